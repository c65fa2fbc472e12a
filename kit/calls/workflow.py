"""The call lifecycle of the incident handling procedure, as plain functions.

Each step takes the database, the call, the person doing it (`user`, or None for the kit
itself and the customer's link) and the time (`at`), checks the call's status inside the
write lock, records the change in the call's append-only history and queues whoever must
be told. A refusal raises `kit.rules.lifecycle.TransitionError` (the status does not allow
it: someone else moved the call meanwhile) or `WorkflowError` with a message for the person.
This module holds routing and working a call; the steps that wait on the customer are in
`workflow_customer`, on a third party in `workflow_third_party`, hot swaps in
`workflow_hot_swaps`, the desk check and hand-backs in `workflow_procedure`, a call's
category and due times in `workflow_category`, and resolving, closing and reopening in
`workflow_resolution`. Import every step from here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import notify, store
from kit.calls.workflow_base import (
    NotAllowed,
    WorkflowError,
    first_response,
    load,
    move,
    owner_addresses,
    require,
    required_text,
    tell_owner,
    uid,
)
from kit.calls.workflow_category import change_category, recompute_due
from kit.calls.workflow_customer import (
    NO_CONTACT_SUMMARY,
    back_from_customer,
    close_no_contact,
    set_with_customer,
)
from kit.calls.workflow_hot_swaps import record_hot_swap, return_hot_swap
from kit.calls.workflow_procedure import (
    check_pass_on,
    desk_check,
    record_user_informed,
    return_to_desk,
)
from kit.calls.workflow_resolution import (
    CONFIRMATION_EXCEPTIONS,
    FIXED_ITSELF_SUMMARY,
    close,
    fixed_itself,
    reopen,
    resolve,
    void,
)
from kit.calls.workflow_third_party import (
    THIRD_PARTY_KINDS,
    back_from_third_party,
    set_with_third_party,
)
from kit.db import stamp, write_lock
from kit.directory import store as directory

__all__ = [
    "CONFIRMATION_EXCEPTIONS",
    "FIXED_ITSELF_SUMMARY",
    "NO_CONTACT_SUMMARY",
    "NotAllowed",
    "THIRD_PARTY_KINDS",
    "WorkflowError",
    "add_note",
    "add_time",
    "assign",
    "back_from_customer",
    "back_from_third_party",
    "change_category",
    "close",
    "close_no_contact",
    "fixed_itself",
    "desk_check",
    "record_user_informed",
    "return_to_desk",
    "record_hot_swap",
    "recompute_due",
    "reopen",
    "resolve",
    "return_hot_swap",
    "set_with_customer",
    "set_with_third_party",
    "start",
    "void",
]

MAX_MINUTES = 24 * 60


def _group(db: Database, group_id: int | None) -> dict:
    group = directory.get_group(db, group_id)
    if group is None:
        raise WorkflowError("Choose a group.", field="group_id")
    return group


def assign(
    db: Database,
    call_id: int,
    *,
    group_id: int,
    assignee_id: int | None = None,
    user: User | None,
    at: datetime,
    reason: str = "",
) -> None:
    """Pass the call to a member of a group, who then owns it; only the desk does this.

    Refused before the desk check, without an owner (a call past the desk check always has
    one), and, when the school applies knowledge base fixes in school, for a call an article
    fixes unless `reason` says why a technician is needed. Only a member of the group can own
    the call, so a call never sits with someone the group's team leader does not direct.
    Assigning routes the call: technicians see it.
    """
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.assign", call)
        check_pass_on(db, call, reason)
        group = _group(db, group_id)
        if assignee_id is None:
            raise WorkflowError(
                f"Choose who in {group['name']} owns the call: a call passed on always has "
                "an owner.",
                field="assignee_id",
            )
        if not lstore.is_member(db, group_id, assignee_id):
            name = lstore.user_name(db, assignee_id) or "That person"
            raise WorkflowError(
                f"{name} is not in {group['name']}: choose someone in the group.",
                field="assignee_id",
            )
        values = {"group_id": group_id, "assignee_id": assignee_id}
        if not call["routed_at"]:
            values["routed_at"] = stamp(at)
        text = f"Why a technician is needed: {reason.strip()}" if reason.strip() else ""
        move(db, call, "assign", values, user=user, at=at, kind="assigned", text=text)
        tell_owner(db, "assigned", call_id, user, at)


def start(db: Database, call_id: int, *, user: User | None, at: datetime) -> None:
    """Start work: the first response if nothing came before it. A technician who starts
    a call passed to their whole group takes it, so the group can see who has it."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        values = first_response(call, at)
        if user and call["assignee_id"] is None and call["group_id"] in user.group_ids:
            values["assignee_id"] = user.id
        move(db, call, "start", values, user=user, at=at, kind="started")


def add_note(
    db: Database,
    call_id: int,
    *,
    text: str,
    user: User | None,
    at: datetime,
    customer_visible: bool = False,
    submission_key: str | None = None,
) -> int:
    """Add a timestamped note and tell the owner (the group while no one owns the call).

    Allowed on resolved and closed calls too: the procedure says a note never needs a reopen.
    A repeated `submission_key` returns the first note and tells no one again.
    """
    text = required_text(text, "Write the note.", "text")
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.note", call)
        if seen := store.event_for_submission(db, submission_key):
            return seen
        event_id = store.add_event(
            db,
            call_id,
            user_id=uid(user),
            at=at,
            kind="note",
            text=text,
            customer_visible=customer_visible,
            submission_key=submission_key,
        )
        notify.send(db, "note", call, to=owner_addresses(db, call), at=at, author=user, text=text)
    return event_id


def add_time(
    db: Database,
    call_id: int,
    *,
    minutes: int,
    worked_on: date,
    user: User | None,
    at: datetime,
    note: str = "",
    submission_key: str | None = None,
) -> int | None:
    """Record time spent on the call: as often as needed, even after it is resolved.

    Returns the new time entry, or None when this `submission_key` was already recorded.
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES:
        raise WorkflowError("Time taken is in whole minutes, from 1 to 1440.", field="minutes")
    if isinstance(worked_on, datetime):
        worked_on = worked_on.date()
    if worked_on > at.date():
        raise WorkflowError("The date worked on cannot be in the future.", field="worked_on")
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if store.event_for_submission(db, submission_key):
            return None
        if worked_on.isoformat() < call["logged_at"][:10]:
            raise WorkflowError(
                f"The call was logged on {call['logged_at'][:10]}: time worked "
                "cannot be before then.",
                field="worked_on",
            )
        entry = lstore.add_time_entry(
            db,
            call_id,
            user_id=uid(user),
            worked_on=worked_on,
            minutes=minutes,
            note=note.strip(),
            at=at,
        )
        text = f"{minutes} minutes on {worked_on:%d %b %Y}" + (
            f": {note.strip()}" if note.strip() else ""
        )
        store.add_event(
            db,
            call_id,
            user_id=uid(user),
            at=at,
            kind="time",
            text=text,
            submission_key=submission_key,
        )
    return entry
