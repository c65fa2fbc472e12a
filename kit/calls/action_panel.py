"""What a call's page offers: the action forms the status and the person's role allow,
and the lifecycle's records (time taken, third parties, hot swaps, resolution).

`panel` is registered in `CALL_PAGE_EXTRAS`; templates read it as `work`. A form that was
just refused (`g.failed_action`) replaces its fresh copy, so its errors and what was typed
show again.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import g
from flask_wtf import FlaskForm
from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import access, store
from kit.calls import action_forms as af
from kit.calls import lifecycle_store as lstore
from kit.calls import workflow as wf
from kit.db import now, write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc

# Other areas act on a call resolved from its page: functions (db, call_id, user, at).
AFTER_RESOLVE: list = []

# name: (form, permission, title shown on the page, button). In the order they are shown.
ACTIONS: dict[str, tuple[type[FlaskForm], str, str, str]] = {
    "start": (af.EmptyForm, "call.work", "Start work", "Start work"),
    "close": (af.EmptyForm, "call.close", "Close", "Close the call"),
    "close_no_contact": (
        af.EmptyForm,
        "call.close",
        "Close: no contact",
        "Close: no further contact from the customer",
    ),
    "note": (af.NoteForm, "call.note", "Add a note", "Add the note"),
    "time": (af.TimeForm, "call.work", "Record time taken", "Record the time"),
    "desk_check": (
        af.DeskCheckForm,
        "call.assign",
        "Desk check: details understood",
        "Confirm the check",
    ),
    "return_to_desk": (
        af.ReturnToDeskForm,
        "call.return_to_desk",
        "Return to the desk",
        "Return the call to the desk",
    ),
    "with_customer": (af.WithCustomerForm, "call.work", "Set With Customer", "Set With Customer"),
    "back_from_customer": (
        af.BackFromCustomerForm,
        "call.work",
        "Back from Customer",
        "Back from Customer",
    ),
    "with_third_party": (
        af.ThirdPartyForm,
        "call.work",
        "Set With 3rd Party",
        "Set With 3rd Party",
    ),
    "back_from_third_party": (
        af.BackFromThirdPartyForm,
        "call.work",
        "Back from 3rd Party",
        "Back from 3rd Party",
    ),
    "resolve": (af.ResolveForm, "call.work", "Resolve", "Resolve the call"),
    "informed": (af.InformedForm, "call.work", "Record that the user was told", "Record it"),
    "fixed_itself": (af.FixedItselfForm, "call.work", "Fixed itself", "Close: it fixed itself"),
    "reopen": (af.ReopenForm, "call.reopen", "Reopen", "Reopen the call"),
    "hot_swap": (af.HotSwapForm, "call.work", "Record a hot swap", "Record the hot swap"),
    "category": (af.CategoryForm, "call.work", "Change category", "Change the category"),
    "void": (af.VoidForm, "call.void", "Void this call", "Void the call"),
    "return_hot_swap": (af.EmptyForm, "call.work", "Return hot swap", "Hot swap returned"),
}
BUTTONS = ("start", "close", "close_no_contact")  # one click, no fields


def offered(db: Database, call: dict[str, Any], user: User) -> list[str]:
    """The actions this person may take on this call now, in the order they are shown."""
    if call["voided"]:
        return []
    allowed = {a.name for a in lc.allowed_actions(call["status"])}
    is_open = lc.is_open(call["status"])
    window = settings.get(db, "reopen_window_days")
    since = call["resolved_at"] or call["closed_at"]
    possible = allowed - {"assign"}  # the desk passes calls on through the hand-off panel
    possible |= {"note", "time"}
    if is_open and not call["desk_checked_at"]:
        possible.add("desk_check")
    if "assign" in allowed and call["routed_at"]:
        possible.add("return_to_desk")
    if call["status"] == lc.RESOLVED and not call["user_informed_at"]:
        possible.add("informed")
    possible |= {"hot_swap", "category"} if is_open else set()
    possible |= {"void"}
    if call["status"] == lc.WITH_CUSTOMER:
        possible.discard("close")
        possible.add("close_no_contact")
    if "reopen" in possible and not lc.can_reopen(call["status"], since, now(), window):
        possible.discard("reopen")
    return [
        n for n in ACTIONS if n in possible and user.can(ACTIONS[n][1]) and n != "return_hot_swap"
    ]


def build(name: str, db: Database, call: dict[str, Any], *, bound: bool) -> FlaskForm:
    """The action's form with its choices; bound to the request's POST data or fresh."""
    cls = ACTIONS[name][0]
    form = cls() if bound else cls(formdata=None)
    filler = _FILLERS.get(name)
    if filler:
        filler(form, db, call, fresh=not bound)
    return form


def _fill_desk_check(form, db, call, fresh):
    if fresh:
        form.dc_summary.data = call["summary"]


def _fill_informed(form, db, call, fresh):
    if fresh and not call["caller_email"]:
        form.informed_how.data = "phone"


def _fill_key(form, db, call, fresh):
    if fresh:
        form.submission_key.data = uuid.uuid4().hex


def _fill_time(form, db, call, fresh):
    _fill_key(form, db, call, fresh)
    if fresh:
        form.time_worked_on.data = now().date()


def _fill_resolve(form, db, call, fresh):
    names = [c["name"] for c in directory.list_categories(db)]
    form.closure_category.choices = [(n, n) for n in names]
    if fresh:
        form.closure_category.data = call["category"]
        form.informed_how.data = "email" if call["caller_email"] else ""


def _fill_category(form, db, call, fresh):
    form.new_category_id.choices = [
        (c["id"], f"{c['name']} ({c['call_type']}, {c['group_name']}, {c['level_name']})")
        for c in directory.list_categories(db)
    ]
    if fresh:
        form.new_category_id.data = call["category_id"]


_FILLERS = {
    "desk_check": _fill_desk_check,
    "informed": _fill_informed,
    "note": _fill_key,
    "time": _fill_time,
    "resolve": _fill_resolve,
    "category": _fill_category,
}


def customer_link(db: Database, call: dict[str, Any]) -> str:
    """A fresh status link for a message to the customer, when the kit has customer links."""
    if not call["caller_email"] or "customer_links" not in db.table_names():
        return ""
    try:
        from kit.customer import links
    except ImportError:  # the customer area is not installed
        return ""
    return links.absolute(links.issue_link(db, call["id"], now()))


def resolve_step(db: Database, call: dict[str, Any], form: FlaskForm) -> str:
    """Resolve, asking for the time taken when none was recorded (the procedure wants it).

    Returns what happened, in words: whether the summary was sent, or how the user was told,
    or that they still need telling (never "sent" when no message was queued)."""
    minutes = form.resolve_minutes.data
    if not minutes and not lstore.total_minutes(db, call["id"]):
        raise wf.WorkflowError(
            "No time has been recorded on this call: give the time taken.", field="resolve_minutes"
        )
    how = form.informed_how.data or ""
    # One transaction: a failure after the resolve (a full disk while the time is written)
    # must not leave the call resolved behind a page that says nothing was saved.
    with write_lock(db):
        sent = wf.resolve(
            db,
            call["id"],
            informed_how=how,
            summary=form.resolution_summary.data,
            details=form.resolution_details.data,
            closure_category=form.closure_category.data,
            customer_confirmed=form.customer_confirmed.data,
            confirmation_exception=form.confirmation_exception.data or None,
            user=g.user,
            at=now(),
            customer_link=customer_link(db, call),
        )
        if minutes:
            wf.add_time(
                db,
                call["id"],
                minutes=minutes,
                worked_on=now().date(),
                user=g.user,
                at=now(),
                note="Recorded when resolving",
            )
        for hook in AFTER_RESOLVE:
            hook(db, call["id"], g.user, now())
    return resolved_words(call, how, sent)


def resolved_words(call: dict[str, Any], how: str, sent: int | None) -> str:
    """The message after resolving: true to what was sent and recorded."""
    if sent is not None:
        return f"Call {call['ref']} resolved; the summary was emailed to {call['caller_email']}."
    if how:
        return f"Call {call['ref']} resolved; the user was told {how_words(how)}."
    return (
        f"Call {call['ref']} resolved. No message was sent: tell the user, then record how "
        "before closing the call."
    )


def how_words(how: str) -> str:
    return {
        "phone": "by phone",
        "in person": "in person",
        "printed notice": "by printed notice",
    }.get(how, how)


def _linked(db: Database, call: dict[str, Any], user: User) -> dict[str, Any] | None:
    """The earlier call this one was logged about, if this person may see it."""
    earlier = store.get_call(db, call["linked_call_id"]) if call.get("linked_call_id") else None
    return earlier if earlier and access.may_see(user, earlier) else None


def panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """The call page's `work`: offered forms, what was refused, and the lifecycle's records."""
    names = offered(db, call, user)
    forms = {n: build(n, db, call, bound=False) for n in names}
    failed = g.get("failed_action")
    swap_errors = []
    if failed and failed[0] == "return_hot_swap":  # shown beside the hot swaps, not as a form
        swap_errors = failed[1].form_errors
    elif failed:
        forms[failed[0]] = failed[1]
    at = now()
    window = settings.get(db, "reopen_window_days")
    since = call["resolved_at"] or call["closed_at"]
    entries = lstore.time_entries(db, call["id"])
    return {
        "work": {
            "forms": forms,
            "failed": failed[0] if failed else None,
            "failed_message": " ".join(failed[1].form_errors) if failed else "",
            "titles": {n: a[2] for n, a in ACTIONS.items()},
            "buttons": {n: a[3] for n, a in ACTIONS.items()},
            "one_click": BUTTONS,
            "time_entries": entries,
            "total_minutes": sum(e["minutes"] or 0 for e in entries),
            "third_parties": lstore.third_parties(db, call["id"]),
            "kinds": wf.THIRD_PARTY_KINDS,
            "hot_swaps": lstore.hot_swaps(db, call["id"]),
            "swap_errors": swap_errors,
            "can_return_swap": user.can("call.work") and not call["voided"],
            "now": at.isoformat(sep=" "),
            "reopen_expired": bool(since)
            and not call["voided"]
            and user.can("call.log")
            and not lc.can_reopen(call["status"], since, at, window),
            "window_days": window,
            "linked": _linked(db, call, user),
        }
    }
