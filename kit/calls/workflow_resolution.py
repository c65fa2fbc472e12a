"""The end of a call's life: resolving it, closing it, reopening it, and voiding it.

The procedure's rules live here: a call is resolved only once the customer confirms the
fix (except for access requests and known service disruptions), only the resolution summary
is sent to the customer, and a call is reopened only within the window, for the same issue.
Import these from `kit.calls.workflow`.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import store
from kit.calls.workflow_base import (
    WorkflowError,
    first_response,
    load,
    move,
    require,
    required_text,
    stop_waiting,
    tell_owner,
    uid,
)
from kit.calls.workflow_procedure import inform
from kit.db import stamp, write_lock
from kit.rules import lifecycle as lc
from kit.rules import procedure as rules

#: The procedure's two cases where a call may be resolved without the customer confirming.
# Why a call may be resolved before the customer confirms: the procedure's two, and the
# everyday ones of a school (the caller is in a lesson; three calls went unanswered).
CONFIRMATION_EXCEPTIONS = (
    "access request",
    "known service disruption",
    "caller is teaching",
    "no answer after three tries",
)
FIXED_ITSELF_SUMMARY = "Fixed itself"


def _exception(confirmed: bool, exception: str | None) -> str | None:
    if confirmed:
        return None
    value = (exception or "").strip().lower()
    if value not in CONFIRMATION_EXCEPTIONS:
        raise WorkflowError(
            "The procedure needs the customer to confirm the fix first. Contact "
            "them, or choose why not: an access request, a known service disruption, "
            "the caller is teaching, or no answer after three tries.",
            field="customer_confirmed",
        )
    return value


def resolve(
    db: Database,
    call_id: int,
    *,
    summary: str,
    details: str,
    closure_category: str,
    customer_confirmed: bool,
    confirmation_exception: str | None,
    user: User | None,
    at: datetime,
    customer_link: str = "",
    informed_how: str | None = None,
) -> int | None:
    """Record the fix. Only the summary goes to the customer; the details show on their page.

    `informed_how` records how the user was told (by email it sends the summary); "" means
    not yet, to be recorded before the call closes. None, for the kit's own callers, mails
    the summary when the caller has an address and records that. Refused for a call with no
    owner. Returns the outbox id of the summary sent, or None when nothing was sent.
    """
    summary = required_text(
        summary,
        "Write the resolution summary: it is the only text sent to the customer.",
        "summary",
    )
    closure = required_text(closure_category, "Choose the closure category.", "closure_category")
    exception = _exception(customer_confirmed, confirmation_exception)
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        lc.next_status(call["status"], "resolve")
        refusal = rules.resolve_refusal(call)
        if refusal:
            raise WorkflowError(refusal)
        values = {
            "resolution_summary": summary,
            "resolution_details": (details or "").strip(),
            "closure_category": closure,
            "customer_confirmed": int(bool(customer_confirmed)),
            "confirmation_exception": exception,
            "resolved_at": stamp(at),
            **first_response(call, at),
            **stop_waiting(db, call, at),
        }
        move(
            db,
            call,
            "resolve",
            values,
            user=user,
            at=at,
            kind="resolved",
            text=summary,
            customer_visible=True,
        )
        fresh = load(db, call_id)
        if informed_how is None:  # the kit's own callers: by email when there is an address
            if not call["caller_email"]:
                return None
            try:
                return inform(db, fresh, "email", user=user, at=at, customer_link=customer_link)
            except WorkflowError:
                return None
        if not informed_how:
            return None
        return inform(db, fresh, informed_how, user=user, at=at, customer_link=customer_link)


def close(db: Database, call_id: int, *, user: User | None, at: datetime) -> None:
    """Close a resolved call: it leaves every queue (notes and time can still be added)."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.close", call)
        if call["status"] == lc.WITH_CUSTOMER:
            raise WorkflowError(
                "A call With Customer is closed with “No further contact from "
                "the customer”, or resolved once the customer confirms."
            )
        lc.next_status(call["status"], "close")
        refusal = rules.close_refusal(call)
        if refusal:
            raise WorkflowError(refusal, field="informed_how")
        move(db, call, "close", {"closed_at": stamp(at)}, user=user, at=at, kind="closed")


def reopen(
    db: Database, call_id: int, *, reason: str, user: User | None, at: datetime, window_days: float
) -> None:
    """Reopen when the customer says the same issue is not fixed, within the window.

    After the window, or for a different issue, the procedure wants a new call (linked to
    this one), so that the figures for each call stay true.
    """
    reason = required_text(
        reason, "Say what the customer reported: the same issue is not fixed.", "reason"
    )
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.reopen", call)
        lc.next_status(call["status"], "reopen")
        since = call["resolved_at"] or call["closed_at"]
        if not lc.can_reopen(call["status"], since, at, window_days):
            raise WorkflowError(
                f"Call {call['ref']} was resolved more than {window_days:g} days "
                f"ago, so it cannot be reopened. Log a new call linked to "
                f"{call['ref']} instead."
            )
        values = {
            "resolved_at": None,
            "closed_at": None,
            "customer_confirmed": None,
            "reopen_count": (call["reopen_count"] or 0) + 1,
        }
        move(db, call, "reopen", values, user=user, at=at, kind="reopened", text=reason)
        tell_owner(db, "reopened", call_id, user, at, reason=reason)


def fixed_itself(db: Database, call_id: int, *, note: str, user: User | None, at: datetime) -> None:
    """The customer says the fault went away: close it without a visit, recorded as such."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        values = {
            "resolution_summary": FIXED_ITSELF_SUMMARY,
            "resolution_details": (note or "").strip(),
            "resolved_at": stamp(at),
            "closed_at": stamp(at),
            "user_informed_at": stamp(at),
            "user_informed_how": rules.INFORMED_BY_USER,
            "user_informed_by": uid(user),
            **stop_waiting(db, call, at),
        }
        move(
            db,
            call,
            "fixed_itself",
            values,
            user=user,
            at=at,
            kind="fixed_itself",
            text=(note or "").strip() or FIXED_ITSELF_SUMMARY,
        )


def void(db: Database, call_id: int, *, reason: str, user: User | None, at: datetime) -> None:
    """Void a call logged in error: it and its history are kept, but it leaves every list."""
    reason = required_text(reason, "Say why the call is being voided.", "reason")
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.void", call)
        store.update_call(
            db, call_id, {"voided": 1}, user_id=uid(user), at=at, kind="voided", text=reason
        )
