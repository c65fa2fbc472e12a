"""Printable sheets: a call's job sheet, diagnostics sheet and room sign, the call log,
batches of job sheets, the blank forms for when the system is down, and their instructions.

Every sheet is an inline PDF made by `kit.printing.render`. A call's sheets go through
`access.get_call_or_404`, and lists through `access.visibility`, so a technician can print
exactly the calls they can open and nothing else.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from kit import settings
from kit.attachments import printing as attachment_sheet
from kit.calls import access, log_store
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.calls.choices import call_filter
from kit.calls.choices import filter_form as call_log_filter_form
from kit.db import get_db, now, stamp
from kit.directory import store as directory
from kit.printing import blanks, filing, forms, sheets, store
from kit.printing.blueprint import bp
from kit.printing.pdfs import sheet_pdf
from kit.printing.render import pdf_response
from kit.security import requires

LOG_LIMIT = 1000

CALL_PAGE_EXTRAS.extend([sheets.answers_panel, sheets.desk_panel])

# The modules whose sheets join this blueprint (each imports kit.printing.blueprint).
JOINED = (filing,)


@bp.get("/")
@requires("print.blank")
def index():
    today = now().date()
    return render_template(
        "print/index.html",
        forms=forms.all_forms(),
        week_ago=today - timedelta(days=6),
        today=today,
        statuses=call_log_filter_form(get_db()).status.choices,
    )


@bp.get("/blank/<name>")
@requires("print.blank")
def blank(name: str):
    if name not in blanks.TEMPLATES:
        abort(404)
    return pdf_response(blanks.blank_pdf(get_db(), name), f"blank-{name.replace('_', '-')}.pdf")


@bp.get("/instructions")
@requires("print.blank")
def instructions():
    return sheet_pdf(
        "print/instructions.html", "how-to-use-the-forms.pdf", all_forms=forms.all_forms()
    )


@bp.get("/calls/<id:call_id>/job-sheet")
@requires("print.call")
def job_sheet(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    sheet = sheets.call_sheet(db, call, g.user)
    photos = request.args.get("photos") == "1"  # the call's photos on following pages
    return sheet_pdf(
        "print/job_sheet.html",
        f"{call['ref']}-job-sheet.pdf",
        attachment_sheet.photo_files(current_app.instance_path, [sheet]) if photos else None,
        sheet_list=[sheet],
        form=forms.load("incident_request"),
        forms=forms,
        photos=photos,
    )


@bp.get("/calls/<id:call_id>/diagnostics")
@requires("print.call")
def diagnostics(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    return sheet_pdf(
        "print/diagnostics.html",
        f"{call['ref']}-diagnostics.pdf",
        form=forms.load("diagnostics"),
        forms=forms,
        d=sheets.call_sheet(db, call, g.user),
    )


@bp.get("/calls/<id:call_id>/sign")
@requires("print.call")
def sign(call_id: int):
    """The "Teaching Space Issue" sign left on the lectern desk while a room is not right."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    return sheet_pdf(
        "print/sign.html",
        f"{call['ref']}-room-sign.pdf",
        call=call,
        values=sheets.values(call),
        qr=sheets.qr_svg(call["id"]),
        desk_phone=settings.get(db, "desk_phone"),
        today=now().date(),
    )


def _batch(f: log_store.CallFilter, title: str, filename: str):
    db = get_db()
    found, total = store.batch(db, f)
    if not found:
        flash(f"{title}: there are no calls to print.")
        return redirect(url_for("printing.index"))
    sheet_list = [sheets.call_sheet(db, call, g.user) for call in found]
    return sheet_pdf(
        "print/job_sheet.html",
        filename,
        sheet_list=sheet_list,
        form=forms.load("incident_request"),
        forms=forms,
        left_out=total - len(found),
    )


@bp.get("/my-jobs")
@requires("print.batch")
def my_jobs():
    """A technician's open calls as one PDF, for the round or the next visit."""
    f = log_store.CallFilter(status="open", extra=access.visibility(g.user))
    if g.user.sees_all_calls:
        f.assignee_id = g.user.id
    return _batch(f, "My jobs", "my-jobs.pdf")


@bp.get("/todays-calls")
@requires("print.batch")
def todays_calls():
    """Every call logged today (that this person may see), one job sheet each."""
    today = now().date().isoformat()
    f = log_store.CallFilter(date_from=today, date_to=today, extra=access.visibility(g.user))
    return _batch(f, "Today's new jobs", f"new-jobs-{today}.pdf")


def _log_filter(db) -> tuple[log_store.CallFilter, object] | None:
    """The call log page's own filter form, so the printed log takes the same filters."""
    form = call_log_filter_form(db)
    if request.args and not form.validate():
        return None
    today = now().date()
    date_from = form.date_from.data or (None if form.date_to.data else today - timedelta(6))
    date_to = form.date_to.data or (None if form.date_from.data else today)
    f = call_filter(db, form, g.user, date_from, date_to)
    return f, form


@bp.get("/call-log")
@requires("print.call_log")
def call_log():
    db = get_db()
    parsed = _log_filter(db)
    if parsed is None:
        abort(400)
    f, form = parsed
    rows, total = log_store.search_calls(
        db,
        f,
        sort=form.sort.data if "sort" in request.args else "logged",  # filing order by default
        descending=form.direction.data == "desc",
        page_size=LOG_LIMIT,
    )
    return sheet_pdf(
        "print/call_log.html",
        f"call-log-{f.date_from or 'start'}-{f.date_to or now().date()}.pdf",
        form=forms.load("call_log"),
        rows=sheets.log_rows(db, rows),
        total=total,
        f=f,
    )


@bp.route("/checks", methods=["GET", "POST"])
@requires("print.checks")
def checks():
    """The coordinator's page for each category's diagnostic checks, one per line."""
    db = get_db()
    categories = directory.list_categories(db, active_only=False)
    if request.method == "POST":  # CSRFProtect has checked the token already
        at = stamp(now())
        for category in categories:
            text = request.form.get(f"checks-{category['id']}")
            if text is not None:
                store.save_checks(
                    db, category["id"], forms.parse_checks(text), user_id=g.user.id, at=at
                )
        flash("Diagnostic checks saved.")
        return redirect(url_for("printing.checks"))
    edited = store.edited_checks(db)
    rows = [
        {
            "category": c,
            "edited": c["id"] in edited,
            "checks": store.checks_for(db, c["id"], c["name"]),
        }
        for c in categories
    ]
    return render_template("print/checks.html", rows=rows, max_checks=forms.MAX_CHECKS)
