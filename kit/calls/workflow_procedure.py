"""The steps the procedure adds around a call's statuses: the desk check, a technician
returning a call to the desk, and recording how the user was told of the outcome.

Each is a plain function of (db, call, user, at) checked inside the write lock, like every
lifecycle step; the rules themselves are `kit.rules.procedure`. Import these from
`kit.calls.workflow`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import notify, store
from kit.calls import procedure_store as pstore
from kit.calls.workflow_base import (
    NotAllowed,
    WorkflowError,
    load,
    move,
    require,
    required_text,
    uid,
)
from kit.db import stamp, write_lock
from kit.rules import lifecycle as lc
from kit.rules import procedure as rules

MAX_SUMMARY = 200


def desk_check(
    db: Database, call_id: int, *, summary: str, understood: bool, user: User | None, at: datetime
) -> None:
    """The desk confirms the details make sense, with the call log's one-line summary.

    The person checking owns the call until it is passed on (the desk owns every call), so
    from here on the call always has an owner.
    """
    summary = required_text(summary, "Write the one-line summary for the call log.", "summary")
    if len(summary) > MAX_SUMMARY:
        raise WorkflowError(f"Keep the summary to one line ({MAX_SUMMARY} characters).", "summary")
    if not understood:
        raise WorkflowError(
            "Tick that the details are understood: read them back to the caller, or contact "
            "them first if something does not make sense.",
            field="understood",
        )
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.assign", call)
        if call["desk_checked_at"]:
            raise WorkflowError(
                f"Call {call['ref']} was checked on {call['desk_checked_at'][:16]}."
            )
        if not lc.is_open(call["status"]):
            raise WorkflowError(
                f"Call {call['ref']} is {call['status']}: there is nothing to check."
            )
        values: dict[str, Any] = {
            "summary": summary,
            "desk_checked_at": stamp(at),
            "desk_checked_by": uid(user),
        }
        if call["assignee_id"] is None and user is not None:
            values["assignee_id"] = user.id
        store.update_call(db, call_id, values, user_id=uid(user), at=at, kind="desk_check")


def return_to_desk(
    db: Database, call_id: int, *, reason: str, user: User | None, at: datetime
) -> None:
    """A technician hands a call back to the desk, with why: only the desk passes work on.

    The call goes to the Service Desk's group, owned by whoever checked it at the desk (or
    the desk group's team leader); the desk then passes it on again, or resolves it.
    """
    reason = required_text(
        reason, "Write why the call goes back to the desk, and what will help.", "reason"
    )
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.return_to_desk", call)
        if user is not None and call["assignee_id"] not in (None, user.id):
            raise NotAllowed(f"Call {call['ref']} is owned by someone else.")
        desk_group = pstore.desk_group_id(db) or call["group_id"]
        owner = pstore.active_desk_person(db, call["desk_checked_by"]) or pstore.group_leader(
            db, desk_group
        )
        by = user.name if user else "the kit"
        header = f"--- Returned to the desk on {at:%d %b %Y %H:%M} by {by} ---"
        details = "\n\n".join(p for p in (call["details"].rstrip(), f"{header}\n{reason}") if p)
        values = {"group_id": desk_group, "assignee_id": owner, "details": details}
        move(db, call, "assign", values, user=user, at=at, kind="returned_to_desk", text=reason)
        to = [lstore.user_email(db, owner)] if owner else []
        notify.send(
            db,
            "reassigned",
            load(db, call_id),
            to=to + [settings.get(db, "desk_email") or ""],
            at=at,
            author=user,
            reason=reason,
        )


def record_user_informed(
    db: Database,
    call_id: int,
    *,
    how: str,
    user: User | None,
    at: datetime,
    note: str = "",
    customer_link: str = "",
) -> int | None:
    """Record that the user was told the outcome, and how; by email it sends the summary.

    Returns the outbox id of the message sent by email, else None.
    """
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if call["status"] != lc.RESOLVED:
            raise WorkflowError(
                f"Call {call['ref']} is {call['status']}: the user is told once it is resolved."
            )
        return inform(db, call, how, user=user, at=at, note=note, customer_link=customer_link)


def inform(
    db: Database,
    call: dict[str, Any],
    how: str,
    *,
    user: User | None,
    at: datetime,
    note: str = "",
    customer_link: str = "",
) -> int | None:
    """Inside the caller's write lock: tell (by email) or record telling the user."""
    refusal = rules.informed_refusal(how, call["caller_email"])
    if refusal:
        raise WorkflowError(refusal, field="informed_how")
    sent = None
    if how == "email":
        sent = notify.send(
            db,
            "resolved",
            load(db, call["id"]),
            to=[call["caller_email"]],
            at=at,
            author=user,
            text=call["resolution_summary"] or "",
            customer_link=customer_link,
        )
        if sent is None:  # the author's own address: nothing went
            raise WorkflowError(
                "No message could be sent to that address: record another way.",
                field="informed_how",
            )
    values = {
        "user_informed_at": stamp(at),
        "user_informed_how": how,
        "user_informed_by": uid(user),
    }
    text = rules.INFORMED_HOW[how] + (f": {note.strip()}" if note.strip() else "")
    store.update_call(
        db, call["id"], values, user_id=uid(user), at=at, kind="user_informed", text=text
    )
    return sent


def check_pass_on(db: Database, call: dict[str, Any], reason: str) -> None:
    """Refuse to pass the call on before the desk check, or against the KB-fix policy."""
    refusal = rules.pass_on_refusal(
        call,
        policy=settings.get(db, "kb_fix_policy"),
        solving_articles=pstore.solving_articles(db, call["id"]),
        reason=reason,
    )
    if refusal:
        field = "kb_reason" if call["desk_checked_at"] else "desk_check"
        raise WorkflowError(refusal, field=field)
