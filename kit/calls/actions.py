"""The actions on a call's page: each is a POST form that runs one workflow step.

Every action looks the call up through `access.get_call_or_404` (a technician acts only
on calls routed to them), checks its permission, and then Post/Redirect/Get. A refused or
incomplete form shows the call's page again with status 400, the message next to the
field and what was typed kept. Only the actions the call's status and the person's role
allow are offered (`kit.calls.action_panel`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, url_for
from flask_wtf import FlaskForm

from kit import settings
from kit.calls import access, action_panel, store
from kit.calls import workflow as wf
from kit.calls.routes import CALL_PAGE_EXTRAS, bp, view
from kit.db import get_db, now
from kit.rules.lifecycle import TransitionError
from kit.security import requires

CALL_PAGE_EXTRAS.append(action_panel.panel)

Step = Callable[[Any, dict[str, Any], FlaskForm], None]


def _attach(form: FlaskForm, exc: Exception) -> None:
    """Put the refusal next to its field when it names one, else at the top of the form."""
    name = getattr(exc, "field", None)
    target = next((f for f in form if name and f.name.endswith(name)), None)
    if target is not None:
        target.errors = [*target.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _run(call_id: int, name: str, step: Step, done: str):
    """The one shape of every action: find the call, check the form, run the step, redirect."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = action_panel.build(name, db, call, bound=True)
    if form.validate_on_submit():
        try:
            step(db, call, form)
        except (wf.WorkflowError, TransitionError) as exc:
            _attach(form, exc)
        else:
            flash(done.format(ref=call["ref"]))
            return _back_to(db, call_id)
    g.failed_action = (name, form)
    return view(call_id=call_id), 400


def _back_to(db, call_id: int):
    """The call's page, or My jobs when the step passed the call out of the person's sight."""
    call = store.get_call(db, call_id)
    if call and not call["voided"] and access.may_see(g.user, call):
        return redirect(url_for("calls.view", call_id=call_id))
    return redirect(url_for("calls.mine" if g.user.can("call.work") else "calls.log"))


@bp.post("/<id:call_id>/assign")
@requires("call.assign")
def act_assign(call_id: int):
    return _run(call_id, "assign", lambda db, call, f: wf.assign(
        db, call["id"], group_id=f.group_id.data, assignee_id=f.assignee_id.data, user=g.user,
        at=now()), "Call {ref} assigned.")


@bp.post("/<id:call_id>/reassign")
@requires("call.reassign_group")
def act_reassign(call_id: int):
    return _run(call_id, "reassign", lambda db, call, f: wf.reassign_group(
        db, call["id"], group_id=f.to_group_id.data, reason=f.reassign_reason.data, user=g.user,
        at=now()), "Call {ref} re-assigned; the group has been told.")


@bp.post("/<id:call_id>/note")
@requires("call.note")
def act_note(call_id: int):
    return _run(call_id, "note", lambda db, call, f: wf.add_note(
        db, call["id"], text=f.note_text.data, user=g.user, at=now(),
        customer_visible=f.customer_visible.data), "Note added to call {ref}.")


@bp.post("/<id:call_id>/start")
@requires("call.work")
def act_start(call_id: int):
    return _run(call_id, "start", lambda db, call, f: wf.start(
        db, call["id"], user=g.user, at=now()), "Work started on call {ref}.")


@bp.post("/<id:call_id>/with-customer")
@requires("call.work")
def act_with_customer(call_id: int):
    return _run(call_id, "with_customer", lambda db, call, f: wf.set_with_customer(
        db, call["id"], information_needed=f.information_needed.data,
        notify_customer=f.notify_customer.data, user=g.user, at=now(),
        customer_link=action_panel.customer_link(db, call)),
        "Call {ref} is With Customer: the clock has stopped.")


@bp.post("/<id:call_id>/back-from-customer")
@requires("call.work")
def act_back_from_customer(call_id: int):
    return _run(call_id, "back_from_customer", lambda db, call, f: wf.back_from_customer(
        db, call["id"], note=f.back_note.data, user=g.user, at=now(),
        cal=settings.calendar(db)), "Call {ref} is Back from Customer; the owner has been told.")


@bp.post("/<id:call_id>/with-third-party")
@requires("call.work")
def act_with_third_party(call_id: int):
    return _run(call_id, "with_third_party", lambda db, call, f: wf.set_with_third_party(
        db, call["id"], kind=f.tp_kind.data, name=f.tp_name.data, contact=f.tp_contact.data,
        what=f.tp_what.data, expected_by=f.tp_expected_by.data, user=g.user, at=now()),
        "Call {ref} is With 3rd Party.")


@bp.post("/<id:call_id>/back-from-third-party")
@requires("call.work")
def act_back_from_third_party(call_id: int):
    return _run(call_id, "back_from_third_party", lambda db, call, f: wf.back_from_third_party(
        db, call["id"], note=f.btp_note.data or "", user=g.user, at=now()),
        "Call {ref} is back from the 3rd party.")


@bp.post("/<id:call_id>/time")
@requires("call.work")
def act_time(call_id: int):
    return _run(call_id, "time", lambda db, call, f: wf.add_time(
        db, call["id"], minutes=f.time_minutes.data, worked_on=f.time_worked_on.data,
        user=g.user, at=now(), note=f.time_note.data or ""), "Time recorded on call {ref}.")


@bp.post("/<id:call_id>/resolve")
@requires("call.work")
def act_resolve(call_id: int):
    return _run(call_id, "resolve", action_panel.resolve_step,
                "Call {ref} resolved; the customer has been sent the summary.")


@bp.post("/<id:call_id>/close")
@requires("call.close")
def act_close(call_id: int):
    return _run(call_id, "close", lambda db, call, f: wf.close(
        db, call["id"], user=g.user, at=now()), "Call {ref} closed.")


@bp.post("/<id:call_id>/close-no-contact")
@requires("call.close")
def act_close_no_contact(call_id: int):
    return _run(call_id, "close_no_contact", lambda db, call, f: wf.close_no_contact(
        db, call["id"], user=g.user, at=now(), cal=settings.calendar(db),
        wait_days=settings.get(db, "with_customer_reminder_days")),
        "Call {ref} closed: no further contact from the customer. They have been told.")


@bp.post("/<id:call_id>/reopen")
@requires("call.reopen")
def act_reopen(call_id: int):
    return _run(call_id, "reopen", lambda db, call, f: wf.reopen(
        db, call["id"], reason=f.reopen_reason.data, user=g.user, at=now(),
        window_days=settings.get(db, "reopen_window_days")), "Call {ref} reopened.")


@bp.post("/<id:call_id>/fixed-itself")
@requires("call.work")
def act_fixed_itself(call_id: int):
    return _run(call_id, "fixed_itself", lambda db, call, f: wf.fixed_itself(
        db, call["id"], note=f.fixed_note.data or "", user=g.user, at=now()),
        "Call {ref} closed: it fixed itself.")


@bp.post("/<id:call_id>/hot-swap")
@requires("call.work")
def act_hot_swap(call_id: int):
    return _run(call_id, "hot_swap", lambda db, call, f: wf.record_hot_swap(
        db, call["id"], replacement_asset=f.replacement_asset.data,
        faulty_asset=f.faulty_asset.data or "", taken_by=f.taken_by.data or "", user=g.user,
        at=now(), note=f.hot_swap_note.data or ""), "Hot swap recorded on call {ref}.")


@bp.post("/<id:call_id>/hot-swaps/<id:hot_swap_id>/return")
@requires("call.work")
def act_return_hot_swap(call_id: int, hot_swap_id: int):
    return _run(call_id, "return_hot_swap", lambda db, call, f: wf.return_hot_swap(
        db, call["id"], hot_swap_id=hot_swap_id, user=g.user, at=now()),
        "Hot swap returned (call {ref}).")


@bp.post("/<id:call_id>/category")
@requires("call.work")
def act_category(call_id: int):
    return _run(call_id, "category", lambda db, call, f: wf.change_category(
        db, call["id"], category_id=f.new_category_id.data, user=g.user, at=now(),
        cal=settings.calendar(db)), "Category of call {ref} changed; due times worked out again.")


@bp.post("/<id:call_id>/void")
@requires("call.void")
def act_void(call_id: int):
    return _run(call_id, "void", lambda db, call, f: wf.void(
        db, call["id"], reason=f.void_reason.data, user=g.user, at=now()),
        "Call {ref} voided. It is kept, with its history, but leaves every list.")
