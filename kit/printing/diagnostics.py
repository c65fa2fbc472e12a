"""The call's Diagnostics page: the diagnostics sheet filled in on screen.

The form is built from `forms/diagnostics.toml` (the same definition the sheet is printed
from): the sheet's boxes, its physical and category checks (result and done), and new
lines for its action table. Saving runs `diagnostics_work.save`; reprinted, both sheets
show what was filled in. Desk, routed technician and admin may fill it in (`call.work`).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from kit.calls import access
from kit.calls.refusals import attach_error
from kit.calls.workflow_base import WorkflowError
from kit.db import get_db, now
from kit.printing import diagnostics_work as work
from kit.printing import forms, questions, sheets, store
from kit.security import requires

bp = Blueprint("diagnostics", __name__, url_prefix="/calls")

BOX_SECTIONS = ("fault", "history", "findings")
NEW_ACTIONS = 3
RESULT_MAX = 200


def boxes() -> list[dict[str, Any]]:
    """The sheet's boxes filled in on screen (those taken from the call itself are shown)."""
    definition = forms.load("diagnostics")
    return [
        f
        for name in BOX_SECTIONS
        for f in forms.section(definition, name)["fields"]
        if not f.get("from")
    ]


def all_checks(db, call: dict[str, Any]) -> list[str]:
    physical = forms.section(forms.load("diagnostics"), "physical")["checks"]
    return list(physical) + store.checks_for(db, call["category_id"], call["category"])


def form_class(checks: list[str]) -> type[FlaskForm]:
    class DiagnosticsForm(FlaskForm):
        submission_key = HiddenField(validators=[Length(max=64)])

    for field in boxes():
        setattr(DiagnosticsForm, field["name"], questions.build(field, required=False))
    for i, _check in enumerate(checks):
        setattr(DiagnosticsForm, f"check_{i}_done", BooleanField("Done"))
        setattr(
            DiagnosticsForm,
            f"check_{i}_result",
            StringField("Result", validators=[Optional(), Length(max=RESULT_MAX)]),
        )
    for i in range(NEW_ACTIONS):
        setattr(DiagnosticsForm, f"action_{i}_day", DateField("When", validators=[Optional()]))
        setattr(
            DiagnosticsForm,
            f"action_{i}_action",
            StringField("Action", validators=[Optional(), Length(max=RESULT_MAX)]),
        )
        setattr(
            DiagnosticsForm,
            f"action_{i}_result",
            StringField("Result", validators=[Optional(), Length(max=RESULT_MAX)]),
        )
        setattr(
            DiagnosticsForm,
            f"action_{i}_minutes",
            IntegerField(
                "Minutes",
                validators=[
                    Optional(),
                    NumberRange(1, work.MAX_MINUTES, "Minutes, from 1 to 1440."),
                ],
            ),
        )
    return DiagnosticsForm


def _fill(form: FlaskForm, record: dict[str, Any], checks: list[str]) -> None:
    for field in boxes():
        form[field["name"]].data = record["fields"].get(field["name"], "")
    for i, check in enumerate(checks):
        done = record["checks"].get(check, {})
        form[f"check_{i}_done"].data = bool(done.get("done"))
        form[f"check_{i}_result"].data = done.get("result", "")
    form.submission_key.data = uuid.uuid4().hex


def _read(form: FlaskForm, checks: list[str]) -> tuple[dict, dict, list[work.Action]] | None:
    """The boxes, checks and new actions typed; None after marking a half-filled action."""
    fields = {
        f["name"]: (form[f["name"]].data or "").strip()
        for f in boxes()
        if (form[f["name"]].data or "").strip()
    }
    results = {}
    for i, check in enumerate(checks):
        result = (form[f"check_{i}_result"].data or "").strip()
        if form[f"check_{i}_done"].data or result:
            results[check] = {"done": bool(form[f"check_{i}_done"].data), "result": result}
    actions, ok = [], True
    for i in range(NEW_ACTIONS):
        text = (form[f"action_{i}_action"].data or "").strip()
        minutes = form[f"action_{i}_minutes"].data
        if not text and not minutes:
            continue
        if not text:
            form[f"action_{i}_action"].errors.append("Say what was done.")
            ok = False
        elif not minutes:
            form[f"action_{i}_minutes"].errors.append("Say how many minutes it took.")
            ok = False
        else:
            day = form[f"action_{i}_day"].data or now().date()
            result = (form[f"action_{i}_result"].data or "").strip()
            actions.append(work.Action(day=day, action=text, result=result, minutes=minutes))
    return (fields, results, actions) if ok else None


@bp.route("/<id:call_id>/diagnostics", methods=["GET", "POST"])
@requires("call.work")
def page(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    checks = all_checks(db, call)
    form = form_class(checks)()
    if request.method == "GET":
        _fill(form, store.diagnostic_record(db, call_id), checks)
    elif form.validate_on_submit() and (typed := _read(form, checks)) is not None:
        fields, results, actions = typed
        try:
            work.save(
                db,
                call_id,
                fields=fields,
                checks=results,
                actions=actions,
                user=g.user,
                at=now(),
                submission_key=form.submission_key.data or None,
            )
        except WorkflowError as exc:
            attach_error(form, exc, fields={})  # a line of the action table: said at the top
        else:
            flash(f"Diagnostics saved on call {call['ref']}.")
            return redirect(url_for("diagnostics.page", call_id=call_id))
    sheet = sheets.call_sheet(db, call, g.user)
    return render_template(
        "print/diagnostics_page.html",
        call=call,
        form=form,
        boxes=boxes(),
        checks=checks,
        new_actions=range(NEW_ACTIONS),
        actions=sheet["actions"],
        total_minutes=sheet["total_minutes"],
        definition=forms.load("diagnostics"),
    ), (400 if form.is_submitted() else 200)
