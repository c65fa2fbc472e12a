"""Lifecycle steps that wait on a third party: another group, a vendor or a person.

With 3rd Party keeps the service-level clock running (unlike With Customer), and records
who, what and by when, so overdue third parties are flagged. Import these from
`kit.calls.workflow`.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls.workflow_base import (
    WorkflowError,
    first_response,
    load,
    move,
    require,
    required_text,
    uid,
)
from kit.db import stamp, write_lock
from kit.rules import lifecycle as lc
from kit.rules.clock import as_datetime

THIRD_PARTY_KINDS = {
    "group": "Another group",
    "vendor": "A vendor or supplier",
    "person": "A person in the school",
}


def _due_moment(expected_by: date | datetime | str | None) -> datetime:
    moment = as_datetime(expected_by)
    if moment is None:
        raise WorkflowError(
            "Say when the third party expects to have it done.", field="expected_by"
        )
    if not isinstance(expected_by, datetime) and moment.time() == time(0):
        moment = datetime.combine(moment.date(), time(23, 59, 59))  # a date means that whole day
    return moment


def set_with_third_party(
    db: Database,
    call_id: int,
    *,
    kind: str,
    name: str,
    contact: str,
    what: str,
    expected_by: date | datetime | str,
    user: User | None,
    at: datetime,
    reference: str = "",
) -> int:
    """Refer the call to a third party (another group, a vendor, a person in the school).

    The procedure asks who they are, their contact details (always for a vendor), what
    they will do and when, and a supplier's own reference for the job (so the desk can
    chase it); the clock keeps running, and past that date they are flagged. The call stays
    with its owner and group while it waits: the third party never owns it.
    """
    if kind not in THIRD_PARTY_KINDS:
        raise WorkflowError("Choose who the third party is.", field="kind")
    name = required_text(name, "Name the third party.", "name")
    what = required_text(what, "Say what the third party is going to do.", "what")
    contact = (contact or "").strip()
    if kind == "vendor" and not contact:
        raise WorkflowError("Give the vendor's contact details.", field="contact")
    reference = (reference or "").strip()
    if kind == "vendor" and not reference:
        raise WorkflowError(
            "Give the supplier's own reference for the job (their case or ticket number), "
            "so the desk can chase it.",
            field="reference",
        )
    due = _due_moment(expected_by)
    if due < at:
        raise WorkflowError("That date has already passed.", field="expected_by")
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if call["assignee_id"] is None:
            raise WorkflowError(
                f"Call {call['ref']} has no owner: the desk passes it on first, so someone "
                "owns it while the third party works."
            )
        text = (
            f"{THIRD_PARTY_KINDS[kind]}: {name}"
            + (f" ({contact})" if contact else "")
            + (f"\nTheir reference: {reference}" if reference else "")
            + f"\nWhat they will do: {what}\nExpected by: {due:%d %b %Y %H:%M}"
        )
        values = {"third_party_due": stamp(due), **first_response(call, at)}
        move(
            db,
            call,
            "with_third_party",
            values,
            user=user,
            at=at,
            kind="with_third_party",
            text=text,
        )
        return lstore.add_third_party(
            db,
            call_id,
            kind=kind,
            name=name,
            contact=contact,
            what=what,
            expected_by=stamp(due),
            user_id=uid(user),
            at=at,
            reference=reference,
        )


def back_from_third_party(
    db: Database, call_id: int, *, note: str = "", user: User | None, at: datetime
) -> None:
    """The third party has finished or told us enough: work on the call carries on."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        lc.next_status(call["status"], "back_from_third_party")
        lstore.end_third_parties(db, call_id, at)
        move(
            db,
            call,
            "back_from_third_party",
            {"third_party_due": None},
            user=user,
            at=at,
            kind="back_from_third_party",
            text=(note or "").strip(),
        )
