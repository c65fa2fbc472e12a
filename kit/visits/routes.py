"""Visit lists and passing calls on.

The desk sees every technician's visit list and prints it as one PDF (a one-page cover
list, then a job sheet per call); a technician sees and prints only their own, and another
technician's list is the same 404 as one that does not exist. Sheets are built for the
technician who carries them, so they hold no trace of calls not routed to that technician.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from kit import settings
from kit.auth.roles import User
from kit.calls import access
from kit.calls.refusals import attach_error, call_page_again
from kit.calls.workflow import WorkflowError
from kit.db import get_db, now
from kit.printing import forms as print_forms
from kit.printing import sheets
from kit.printing.pdfs import pdf_bytes
from kit.printing.render import pdf_response
from kit.rules import visits
from kit.rules.lifecycle import TransitionError
from kit.security import requires
from kit.visits import handoff as handoffs
from kit.visits import panels, store
from kit.visits.forms import HandoffForm

bp = Blueprint("visits", __name__, url_prefix="/visits")

PRINT_LIMIT = 20  # calls on one printed visit list: the cover stays one page
MAX_PATTERN = 500
# A refusal's field (kit.visits.handoff) -> the form field it is shown beside.
FORM_FIELDS = {
    "method": "method",
    "technician_id": "technician_id",
    "note": "handoff_note",
    "kb_reason": "kb_reason",
    "assignee_id": "technician_id",
}


def _calendar(db):
    at = now()
    return settings.calendar(db, years=range(at.year - 1, at.year + 2))


def _technician_or_404(db, user_id: int) -> dict[str, Any]:
    """The technician whose list this is: the desk may open any, a technician only theirs."""
    tech = store.technician(db, user_id)
    if tech is None or not (g.user.sees_all_calls or g.user.id == user_id):
        abort(404)
    return tech


def _rows(db, tech: dict[str, Any]) -> tuple[date | None, list[dict[str, Any]]]:
    """The next visit and the calls awaiting it in queue order, each flagged when its
    deadline falls before the visit."""
    visit = store.next_visit(db, tech["id"], _calendar(db), now().date())
    found = store.visit_list(db, tech["id"], access.visibility(g.user))
    return visit, [
        {"call": c, "phone_instead": visits.due_before_visit(panels.next_deadline(c), visit)}
        for c in found
    ]


@bp.get("/")
@requires("print.batch")
def index():
    """The desk's overview of every technician's next visit; a technician goes to theirs."""
    if not g.user.sees_all_calls:
        return redirect(url_for("visits.technician", user_id=g.user.id))
    db = get_db()
    cal, today = _calendar(db), now().date()
    counts = store.waiting_counts(db)
    techs = [
        t
        | {
            "next_visit": store.next_visit(db, t["id"], cal, today),
            "waiting": counts.get(t["id"], 0),
        }
        for t in store.technicians(db)
    ]
    return render_template("visits/index.html", techs=techs, can_plan=g.user.can("visits.plan"))


@bp.get("/<id:user_id>")
@requires("print.batch")
def technician(user_id: int):
    db = get_db()
    tech = _technician_or_404(db, user_id)
    visit, rows = _rows(db, tech)
    return render_template(
        "visits/list.html", tech=tech, visit=visit, rows=rows, print_limit=PRINT_LIMIT
    )


def _sheet_pdf(db, call: dict[str, Any], tech_user: User) -> bytes:
    """One call's job sheet, as the printing area makes it, for the technician."""
    return pdf_bytes(
        "print/job_sheet.html",
        sheet_list=[sheets.call_sheet(db, call, tech_user)],
        form=print_forms.load("incident_request"),
        forms=print_forms,
    )


@bp.get("/<id:user_id>/print")
@requires("print.batch")
def print_list(user_id: int):
    """The visit list as one PDF: the cover list, then the printing area's job sheets."""
    db = get_db()
    tech = _technician_or_404(db, user_id)
    visit, rows = _rows(db, tech)
    if not rows:
        flash(f"No calls are waiting for {tech['name']}'s visit: there is nothing to print.")
        return redirect(url_for("visits.technician", user_id=user_id))
    shown = rows[:PRINT_LIMIT]
    tech_user = store.as_user(db, tech["id"])
    pdf = pdf_bytes(
        "visits/visit_list_pdf.html",
        tech=tech,
        visit=visit,
        rows=shown,
        left_out=len(rows) - len(shown),
        sheet_list=[sheets.call_sheet(db, r["call"], tech_user) for r in shown],
        form=print_forms.load("incident_request"),
        forms=print_forms,
    )
    day = visit.isoformat() if visit else "no-visit-day"
    return pdf_response(pdf, f"visit-list-{tech['username']}-{day}.pdf")


@bp.route("/days", methods=["GET", "POST"])
@requires("visits.plan")
def days():
    """Each technician's visit days, typed as weekdays and dates; every line is checked and
    nothing is saved while one cannot be read."""
    db = get_db()
    techs = store.technicians(db)
    typed = {t["id"]: t["pattern"] for t in techs}
    errors: dict[int, str] = {}
    if request.method == "POST":  # CSRFProtect has checked the token already
        for t in techs:
            typed[t["id"]] = request.form.get(f"pattern-{t['id']}", "")[:MAX_PATTERN]
            try:
                visits.parse_pattern(typed[t["id"]])
            except ValueError as exc:
                errors[t["id"]] = str(exc)
        if not errors:
            for t in techs:
                store.save_pattern(db, t["id"], typed[t["id"]], by=g.user.id, at=now())
            flash("Visit days saved.")
            return redirect(url_for("visits.days"))
    cal, today = _calendar(db), now().date()
    next_visits = {t["id"]: store.next_visit(db, t["id"], cal, today) for t in techs}
    return render_template(
        "visits/days.html", techs=techs, typed=typed, errors=errors, next_visits=next_visits
    ), 400 if errors else 200


@bp.post("/calls/<id:call_id>/handoff")
@requires("call.assign")
def handoff(call_id: int):
    """Pass the call to a technician by email, phone or their next visit (Post/Redirect/Get;
    a refusal shows the call's page again with the reason beside the form)."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = HandoffForm()
    form.technician_id.choices = [(0, "")] + [(t["id"], t["name"]) for t in store.technicians(db)]
    if form.validate_on_submit():
        try:
            done = handoffs.pass_on(
                db,
                call,
                method=form.method.data,
                technician_id=form.technician_id.data,
                note=form.handoff_note.data or "",
                user=g.user,
                at=now(),
                cal=_calendar(db),
                make_sheet=_sheet_pdf,
                reason=form.kb_reason.data or "",
            )
        except (WorkflowError, TransitionError) as exc:
            attach_error(form, exc, FORM_FIELDS)
        else:
            flash(f"Call {call['ref']}: {done.splitlines()[0]}")
            return redirect(url_for("calls.view", call_id=call_id))
    return call_page_again(call_id, "handoff_form", form)
