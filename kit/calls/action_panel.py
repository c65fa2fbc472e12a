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
from kit.db import now
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
    "assign": (af.AssignForm, "call.assign", "Assign", "Assign"),
    "reassign": (af.ReassignForm, "call.reassign_group", "Re-assign to another group", "Re-assign"),
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
    possible = allowed | {"note", "time"}
    possible |= {"reassign"} if "assign" in allowed else set()
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


def _fill_assign(form, db, call, fresh):
    groups = directory.list_groups(db)
    form.group_id.choices = [(gr["id"], gr["name"]) for gr in groups]
    members = {
        gr["name"]: [(m["id"], m["name"]) for m in directory.group_members(db, gr["id"])]
        for gr in groups
    }
    form.assignee_id.choices = {"No one yet": [(0, "— The whole group —")]} | members
    if fresh:
        form.group_id.data, form.assignee_id.data = call["group_id"], call["assignee_id"]


def _fill_reassign(form, db, call, fresh):
    form.to_group_id.choices = [(0, "— Choose a group —")] + [
        (gr["id"], f"{gr['name']} (tier {gr['tier']})")
        for gr in directory.list_groups(db)
        if gr["id"] != call["group_id"]
    ]


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


def _fill_category(form, db, call, fresh):
    form.new_category_id.choices = [
        (c["id"], f"{c['name']} ({c['call_type']}, {c['group_name']}, {c['level_name']})")
        for c in directory.list_categories(db)
    ]
    if fresh:
        form.new_category_id.data = call["category_id"]


_FILLERS = {
    "assign": _fill_assign,
    "reassign": _fill_reassign,
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


def resolve_step(db: Database, call: dict[str, Any], form: FlaskForm) -> None:
    """Resolve, asking for the time taken when none was recorded (the procedure wants it)."""
    minutes = form.resolve_minutes.data
    if not minutes and not lstore.total_minutes(db, call["id"]):
        raise wf.WorkflowError(
            "No time has been recorded on this call: give the time taken.", field="resolve_minutes"
        )
    wf.resolve(
        db,
        call["id"],
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
    return {
        "work": {
            "forms": forms,
            "failed": failed[0] if failed else None,
            "failed_message": " ".join(failed[1].form_errors) if failed else "",
            "titles": {n: a[2] for n, a in ACTIONS.items()},
            "buttons": {n: a[3] for n, a in ACTIONS.items()},
            "one_click": BUTTONS,
            "time_entries": lstore.time_entries(db, call["id"]),
            "total_minutes": lstore.total_minutes(db, call["id"]),
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
