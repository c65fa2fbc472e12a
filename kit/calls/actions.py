"""The actions on a call's page: each is a POST form that runs one workflow step.

Every action looks the call up through `access.get_call_or_404` (a technician acts only
on calls routed to them), checks its permission, and then Post/Redirect/Get. A refused or
incomplete form shows the call's page again with status 400, the message next to the
field and what was typed kept. Only the actions the call's status and the person's role
allow are offered (`kit.calls.action_panel`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, g, redirect, url_for

from kit import settings
from kit.calls import access, action_panel, store
from kit.calls import workflow as wf
from kit.calls.blueprint import CALL_PAGE_EXTRAS, bp
from kit.calls.page import view
from kit.calls.refusals import attach_error
from kit.db import get_db, now
from kit.rules.lifecycle import TransitionError
from kit.security import requires

CALL_PAGE_EXTRAS.append(action_panel.panel)

Step = Callable[..., None]  # (db, call, form, **ids from the URL)


def _run(call_id: int, name: str, step: Step, done: str, **ids: int):
    """The one shape of every action: find the call, check the form, run the step, redirect."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = action_panel.build(name, db, call, bound=True)
    if form.validate_on_submit():
        try:
            said = step(db, call, form, **ids)
        except (wf.WorkflowError, TransitionError) as exc:
            attach_error(form, exc)
        else:
            flash(said if isinstance(said, str) else done.format(ref=call["ref"]))
            return _back_to(db, call_id)
    g.failed_action = (name, form)
    return view(call_id=call_id), 400


def _back_to(db, call_id: int):
    """The call's page, or My jobs when the step passed the call out of the person's sight."""
    call = store.get_call(db, call_id)
    if call and not call["voided"] and access.may_see(g.user, call):
        return redirect(url_for("calls.view", call_id=call_id))
    return redirect(url_for("calls.mine" if g.user.can("call.work") else "calls.log"))


def action(path: str, name: str, done: str) -> Callable[[Step], Step]:
    """Register `step` as POST /calls/<id>/<path>, endpoint `calls.act_<name>`, guarded by
    the permission `action_panel.ACTIONS` gives the action (the same one the page uses)."""

    def decorator(step: Step) -> Step:
        @requires(action_panel.ACTIONS[name][1])
        def endpoint(call_id: int, **ids: int):
            return _run(call_id, name, step, done, **ids)

        endpoint.__name__ = endpoint.__qualname__ = f"act_{name}"
        bp.add_url_rule(f"/<id:call_id>/{path}", endpoint.__name__, endpoint, methods=["POST"])
        return step

    return decorator


@action("desk-check", "desk_check", "Call {ref} checked: it can be passed on now.")
def desk_check(db, call, f):
    wf.desk_check(
        db,
        call["id"],
        summary=f.dc_summary.data,
        understood=f.dc_understood.data,
        user=g.user,
        at=now(),
    )


@action("return-to-desk", "return_to_desk", "Call {ref} returned to the desk; they have been told.")
def return_to_desk(db, call, f):
    wf.return_to_desk(db, call["id"], reason=f.return_reason.data, user=g.user, at=now())


@action("informed", "informed", "Recorded how the user was told about call {ref}.")
def informed(db, call, f):
    how = f.informed_how.data
    sent = wf.record_user_informed(
        db,
        call["id"],
        how=how,
        note=f.informed_note.data or "",
        user=g.user,
        at=now(),
        customer_link=action_panel.customer_link(db, call) if how == "email" else "",
    )
    if sent is not None:
        return f"Call {call['ref']}: the resolution summary was emailed to {call['caller_email']}."
    return None


@action("note", "note", "Note added to call {ref}.")
def note(db, call, f):
    wf.add_note(
        db,
        call["id"],
        text=f.note_text.data,
        user=g.user,
        at=now(),
        customer_visible=f.customer_visible.data,
        submission_key=f.submission_key.data or None,
    )


@action("start", "start", "Work started on call {ref}.")
def start(db, call, f):
    wf.start(db, call["id"], user=g.user, at=now())


@action("with-customer", "with_customer", "Call {ref} is With Customer: the clock has stopped.")
def with_customer(db, call, f):
    link = action_panel.customer_link(db, call) if f.notify_customer.data else ""
    wf.set_with_customer(
        db,
        call["id"],
        information_needed=f.information_needed.data,
        notify_customer=f.notify_customer.data,
        user=g.user,
        at=now(),
        customer_link=link,
    )


@action(
    "back-from-customer",
    "back_from_customer",
    "Call {ref} is Back from Customer; the owner has been told.",
)
def back_from_customer(db, call, f):
    wf.back_from_customer(
        db, call["id"], note=f.back_note.data, user=g.user, at=now(), cal=settings.calendar(db)
    )


@action("with-third-party", "with_third_party", "Call {ref} is With 3rd Party.")
def with_third_party(db, call, f):
    wf.set_with_third_party(
        db,
        call["id"],
        kind=f.tp_kind.data,
        name=f.tp_name.data,
        contact=f.tp_contact.data,
        what=f.tp_what.data,
        expected_by=f.tp_expected_by.data,
        reference=f.tp_reference.data or "",
        user=g.user,
        at=now(),
    )


@action("back-from-third-party", "back_from_third_party", "Call {ref} is back from the 3rd party.")
def back_from_third_party(db, call, f):
    wf.back_from_third_party(db, call["id"], note=f.btp_note.data or "", user=g.user, at=now())


@action("time", "time", "Time recorded on call {ref}.")
def time_taken(db, call, f):
    wf.add_time(
        db,
        call["id"],
        minutes=f.time_minutes.data,
        worked_on=f.time_worked_on.data,
        user=g.user,
        at=now(),
        note=f.time_note.data or "",
        submission_key=f.submission_key.data or None,
    )


action("resolve", "resolve", "Call {ref} resolved.")(action_panel.resolve_step)


@action("close", "close", "Call {ref} closed.")
def close(db, call, f):
    wf.close(db, call["id"], user=g.user, at=now())


@action(
    "close-no-contact",
    "close_no_contact",
    "Call {ref} closed: no further contact from the customer. They have been told.",
)
def close_no_contact(db, call, f):
    wf.close_no_contact(
        db,
        call["id"],
        user=g.user,
        at=now(),
        cal=settings.calendar(db),
        wait_days=settings.get(db, "with_customer_reminder_days"),
    )


@action("reopen", "reopen", "Call {ref} reopened.")
def reopen(db, call, f):
    wf.reopen(
        db,
        call["id"],
        reason=f.reopen_reason.data,
        user=g.user,
        at=now(),
        window_days=settings.get(db, "reopen_window_days"),
    )


@action("fixed-itself", "fixed_itself", "Call {ref} closed: it fixed itself.")
def fixed_itself(db, call, f):
    wf.fixed_itself(db, call["id"], note=f.fixed_note.data or "", user=g.user, at=now())


@action("hot-swap", "hot_swap", "Hot swap recorded on call {ref}.")
def hot_swap(db, call, f):
    wf.record_hot_swap(
        db,
        call["id"],
        replacement_asset=f.replacement_asset.data,
        faulty_asset=f.faulty_asset.data or "",
        taken_by=f.taken_by.data or "",
        user=g.user,
        at=now(),
        note=f.hot_swap_note.data or "",
    )


@action("hot-swaps/<id:hot_swap_id>/return", "return_hot_swap", "Hot swap returned (call {ref}).")
def return_hot_swap(db, call, f, hot_swap_id: int):
    wf.return_hot_swap(db, call["id"], hot_swap_id=hot_swap_id, user=g.user, at=now())


@action("category", "category", "Category of call {ref} changed; due times worked out again.")
def category(db, call, f):
    wf.change_category(
        db,
        call["id"],
        category_id=f.new_category_id.data,
        user=g.user,
        at=now(),
        cal=settings.calendar(db),
    )


@action("void", "void", "Call {ref} voided. It is kept, with its history, but leaves every list.")
def void(db, call, f):
    wf.void(db, call["id"], reason=f.void_reason.data, user=g.user, at=now())
