"""Lifecycle steps that wait on the customer: With Customer, Back from Customer, and
closing a call the customer never answered.

While a call is With Customer the service-level clock is stopped: each spell is kept in
`call_pauses` and left out when the due times are worked out again. Waiting on a third
party is `workflow_third_party`. Import these from `kit.calls.workflow`.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import notify, store
from kit.calls.workflow_base import (
    WorkflowError,
    due_values,
    first_response,
    load,
    move,
    owner_addresses,
    require,
    required_text,
    uid,
)
from kit.db import stamp, write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc
from kit.rules.clock import WorkingCalendar, add_working_days, as_datetime
from kit.rules.procedure import INFORMED_NO_CONTACT, NOT_REACHED

NO_CONTACT_SUMMARY = "No further contact received from customer"


def set_with_customer(
    db: Database,
    call_id: int,
    *,
    information_needed: str,
    notify_customer: bool,
    user: User | None,
    at: datetime,
    customer_link: str = "",
) -> None:
    """Wait for information from the customer; the service-level clock stops meanwhile.

    With "Notify customer" the request goes by mail (after the phone call and voicemail the
    procedure asks for first); it needs the caller's email address.
    """
    info = required_text(
        information_needed,
        "Write what information you need from the customer.",
        "information_needed",
    )
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if notify_customer and not call["caller_email"]:
            raise WorkflowError(
                "The call has no email address for the caller, so they cannot be "
                "notified. Phone them and leave a voicemail, then untick "
                "“Notify customer”.",
                field="notify_customer",
            )
        values = {"with_customer_since": stamp(at), **first_response(call, at)}
        move(
            db,
            call,
            "with_customer",
            values,
            user=user,
            at=at,
            kind="with_customer",
            text=info,
            customer_visible=True,
        )
        lstore.start_pause(db, call_id, at)
        if notify_customer:
            notify.send(
                db,
                "with_customer",
                call,
                to=[call["caller_email"]],
                at=at,
                author=user,
                text=info,
                customer_link=customer_link,
            )


def back_from_customer(
    db: Database,
    call_id: int,
    *,
    note: str,
    user: User | None,
    at: datetime,
    cal: WorkingCalendar | None = None,
    customer_visible: bool = False,
    submission_key: str | None = None,
) -> None:
    """The customer got in touch: the clock runs again and the due times move on by the
    working time spent waiting. The owner is told, copied to their team leader. A repeated
    `submission_key` (a reply sent again) changes nothing."""
    note = required_text(note, "Write what the customer said.", "note")
    cal = cal or settings.calendar(db)
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if store.event_for_submission(db, submission_key):
            return
        lc.next_status(call["status"], "back_from_customer")
        lstore.end_pause(db, call_id, at)
        level = directory.get_response_level(db, call["response_level_id"])
        values = {"with_customer_since": None, **due_values(db, call, level, cal, at)}
        move(
            db,
            call,
            "back_from_customer",
            values,
            user=user,
            at=at,
            kind="back_from_customer",
            text=note,
            customer_visible=customer_visible,
            submission_key=submission_key,
        )
        fresh = load(db, call_id)
        cc = [lstore.team_leader_email(db, call["group_id"])] if call["assignee_id"] else []
        notify.send(
            db,
            "back_from_customer",
            fresh,
            to=owner_addresses(db, fresh),
            cc=cc,
            at=at,
            author=user,
            text=note,
        )


def close_no_contact(
    db: Database,
    call_id: int,
    *,
    user: User | None,
    at: datetime,
    cal: WorkingCalendar | None = None,
    wait_days: int | None = None,
) -> None:
    """Close a call With Customer that the customer never answered, with the procedure's
    summary and closing message. Given `cal` and `wait_days`, refuse before the wait is up."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.close", call)
        if call["status"] != lc.WITH_CUSTOMER:
            raise lc.TransitionError(
                f"Only a call With Customer can be closed for no contact; "
                f"call {call['ref']} is {call['status']}."
            )
        since = as_datetime(call["with_customer_since"])
        if cal is not None and wait_days is not None and since is not None:
            limit = add_working_days(cal, since, wait_days)
            if at.date() <= limit:
                raise WorkflowError(
                    f"The customer has until the end of {limit:%A %d %B} to "
                    f"reply ({wait_days} working days)."
                )
        lstore.end_pause(db, call_id, at)
        # The closing message tells the user; with no address to send it to, the record
        # says plainly that they were not reached.
        told = INFORMED_NO_CONTACT if call["caller_email"] else NOT_REACHED
        values = {
            "resolution_summary": NO_CONTACT_SUMMARY,
            "closed_at": stamp(at),
            "with_customer_since": None,
            "user_informed_at": stamp(at),
            "user_informed_how": told,
            "user_informed_by": uid(user),
        }
        move(
            db,
            call,
            "close",
            values,
            user=user,
            at=at,
            kind="closed_no_contact",
            text=NO_CONTACT_SUMMARY,
            customer_visible=True,
        )
        notify.send(
            db, "no_contact_close", load(db, call_id), to=[call["caller_email"]], at=at, author=user
        )
