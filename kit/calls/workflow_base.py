"""What every step of the call lifecycle shares: its errors, loading and checking a call,
moving it to its next status, and working out its due times on the working-day clock.

Helpers here run inside the caller's `write_lock`; they never open a transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import access, notify, store
from kit.calls import lifecycle_store as lstore
from kit.db import stamp
from kit.rules import lifecycle as lc
from kit.rules.clock import WorkingCalendar, add_working_hours, as_datetime


class WorkflowError(ValueError):
    """A step the procedure refuses. `field` names the input it is about, for the form."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(WorkflowError):
    """The person may not take this step on this call (routes refuse it earlier)."""


def load(db: Database, call_id: int) -> dict[str, Any]:
    """The call with its names; a voided call is kept for the record but never changed."""
    call = store.get_call(db, call_id)
    if call is None:
        raise WorkflowError(f"There is no call number {call_id}.")
    if call["voided"]:
        raise WorkflowError(f"Call {call['ref']} was voided: it is kept for the record only.")
    return call


def require(user: User | None, permission: str, call: dict[str, Any]) -> None:
    """Refuse a person without the permission or who may not see the call.

    `user=None` is the kit itself (the daily job) or the customer through their link,
    whose own checks happened before the call.
    """
    if user is None:
        return
    if not user.can(permission):
        raise NotAllowed("Your account is not allowed to do that.")
    if not access.may_see(user, call):
        raise NotAllowed(f"Call {call['ref']} is not routed to you.")


def uid(user: User | None) -> int | None:
    return user.id if user else None


def required_text(value: str | None, message: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise WorkflowError(message, field=field)
    return text


def move(
    db: Database,
    call: dict[str, Any],
    action: str,
    values: dict[str, Any],
    *,
    user: User | None,
    at: datetime,
    kind: str,
    text: str = "",
    customer_visible: bool = False,
    submission_key: str | None = None,
) -> str:
    """Take lifecycle `action` (TransitionError if the status forbids it) and record it."""
    status = lc.next_status(call["status"], action)
    store.update_call(
        db,
        call["id"],
        {"status": status, **values},
        user_id=uid(user),
        at=at,
        kind=kind,
        text=text,
        customer_visible=customer_visible,
        submission_key=submission_key,
    )
    return status


def first_response(call: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The first thing done for the caller is the response the service level measures."""
    return {} if call["responded_at"] else {"responded_at": stamp(at)}


def stop_waiting(db: Database, call: dict[str, Any], at: datetime) -> dict[str, Any]:
    """End any With Customer spell and third party still open when a call is finished."""
    values: dict[str, Any] = {}
    if call["with_customer_since"]:
        lstore.end_pause(db, call["id"], at)
        values["with_customer_since"] = None
    if call["third_party_due"] or call["status"] == lc.WITH_THIRD_PARTY:
        lstore.end_third_parties(db, call["id"], at)
        values["third_party_due"] = None
    return values


def due_values(
    db: Database,
    call: dict[str, Any],
    level: dict[str, Any],
    cal: WorkingCalendar,
    at: datetime,
) -> dict[str, str]:
    """Response and resolution due times from when the call was logged, in working hours,
    leaving out every With Customer spell (one still running counts up to `at`)."""
    logged = as_datetime(call["logged_at"])
    paused = lstore.pauses(db, call["id"], until=at)
    return {
        "respond_by": stamp(add_working_hours(cal, logged, float(level["respond_hours"]), paused)),
        "resolve_by": stamp(add_working_hours(cal, logged, float(level["resolve_hours"]), paused)),
    }


def owner_addresses(db: Database, call: dict[str, Any]) -> list[str]:
    """The owner, or the group's team leader and mailbox while no one owns the call."""
    if call["assignee_id"]:
        return [lstore.user_email(db, call["assignee_id"])]
    return lstore.group_contacts(db, call["group_id"])


def tell_owner(
    db: Database, key: str, call_id: int, user: User | None, at: datetime, **context: Any
) -> None:
    """Queue message `key` to the call's owner (or its group), with the call as it is now."""
    call = load(db, call_id)
    notify.send(db, key, call, to=owner_addresses(db, call), at=at, author=user, **context)
