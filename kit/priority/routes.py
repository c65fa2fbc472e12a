"""Priority in school terms: the desk raises a call's response level by impact and urgency
(from the call's page); the admin edits the school's matrix and marks the exam rooms.

Inspection days and exam periods themselves are a school setting (`special_periods`, on
the settings page); calls logged on those days are raised by `store.apply_special_day`,
registered to run right after a call is logged.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import access
from kit.calls import store as calls
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.calls.refusals import attach_error, call_page_again
from kit.calls.workflow import WorkflowError
from kit.db import get_db, now
from kit.directory import store as directory
from kit.priority import store
from kit.priority.forms import RaiseLevelForm
from kit.rules import lifecycle as lc
from kit.rules.lifecycle import TransitionError
from kit.rules.priority import IMPACTS, URGENCIES
from kit.security import requires

bp = Blueprint("priority", __name__, url_prefix="/priority")
FORM_FIELDS = {"impact": "impact", "reason": "priority_reason"}

calls.AFTER_LOGGING.append(store.apply_special_day)


def panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """The raise form, for the desk, on open calls."""
    if not user.can("call.assign") or call["voided"] or not lc.is_open(call["status"]):
        return {}
    form = g.get("priority_form") or RaiseLevelForm(formdata=None, **store.current_values(db, call))
    return {"priority_panel": {"form": form, "failed": "priority_form" in g}}


CALL_PAGE_EXTRAS.append(panel)


@bp.post("/calls/<id:call_id>")
@requires("call.assign")
def raise_level(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = RaiseLevelForm()
    if form.validate_on_submit():
        try:
            name = store.raise_level(
                db,
                call["id"],
                impact=form.impact.data,
                urgency=form.urgency.data,
                reason=form.priority_reason.data,
                safeguarding=bool(form.safeguarding.data),
                user=g.user,
                at=now(),
                cal=settings.calendar(db),
            )
        except (WorkflowError, TransitionError) as exc:
            attach_error(form, exc, FORM_FIELDS)
        else:
            flash(f"Call {call['ref']} raised to {name}; its due times were worked out again.")
            return redirect(url_for("calls.view", call_id=call_id))
    return call_page_again(call_id, "priority_form", form)


def _level_names(db: Database) -> dict[int, str]:
    names: dict[int, str] = {}
    for level in directory.list_response_levels(db):
        names.setdefault(level["rank"], level["name"])
    return names


@bp.route("/matrix", methods=["GET", "POST"])
@requires("admin")
def matrix():
    """The school's impact x urgency matrix: each cell names a response level."""
    db = get_db()
    current = store.matrix(db)
    problems: list[str] = []
    if request.method == "POST":  # CSRFProtect has checked the token already
        edited = {
            impact: {
                urgency: _int(request.form.get(f"m-{i}-{j}")) for j, urgency in enumerate(URGENCIES)
            }
            for i, impact in enumerate(IMPACTS)
        }
        problems = store.save_matrix(db, edited, user_id=g.user.id, at=now())
        if not problems:
            flash("Priority matrix saved.")
            return redirect(url_for("priority.matrix"))
        current = edited
    return render_template(
        "priority/matrix.html",
        matrix=current,
        impacts=IMPACTS,
        urgencies=URGENCIES,
        levels=_level_names(db),
        problems=problems,
        periods=settings.get(db, "special_periods"),
    ), 400 if problems else 200


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 4 else None


@bp.route("/exam-rooms", methods=["GET", "POST"])
@requires("admin")
def exam_rooms():
    """Which rooms are used for exams: on exam days their calls get the top level."""
    db = get_db()
    if request.method == "POST":  # CSRFProtect has checked the token already
        chosen = {int(v) for v in request.form.getlist("exam_room") if v.isdigit() and len(v) < 12}
        store.set_exam_rooms(db, chosen)
        flash(f"Exam rooms saved ({len(chosen)}).")
        return redirect(url_for("priority.exam_rooms"))
    return render_template("priority/exam_rooms.html", rooms=store.exam_rooms(db))
