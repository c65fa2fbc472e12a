"""The life of a call: its statuses and the named actions that move it between them.

This follows the incident handling procedure: a call is Logged, Assigned to an owner, worked
In Progress, may wait With Customer (the service-level clock stops) or With 3rd Party (it
keeps running), is Resolved once the customer confirms the fix, then Closed. A customer who
says the same issue is not fixed can have it Reopened within the reopen window; a different
issue is a new call.

Every change of status is a named action so the screen can offer one button per action
(`allowed_actions`) and the history can record what was done. Which roles may press which
button is decided elsewhere; voiding a call is not a status change and is not here either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kit.rules.clock import as_datetime

LOGGED = "Logged"
ASSIGNED = "Assigned"
IN_PROGRESS = "In Progress"
WITH_CUSTOMER = "With Customer"
BACK_FROM_CUSTOMER = "Back from Customer"
WITH_THIRD_PARTY = "With 3rd Party"
RESOLVED = "Resolved"
CLOSED = "Closed"
REOPENED = "Reopened"

#: Every status, in the order a call usually meets them (for filters and reports).
STATUSES = (
    LOGGED,
    ASSIGNED,
    IN_PROGRESS,
    WITH_CUSTOMER,
    BACK_FROM_CUSTOMER,
    WITH_THIRD_PARTY,
    RESOLVED,
    CLOSED,
    REOPENED,
)
#: Resolved and Closed calls are no longer in anyone's queue.
CLOSED_STATUSES = frozenset({RESOLVED, CLOSED})
OPEN_STATUSES = frozenset(STATUSES) - CLOSED_STATUSES
#: While a call is in one of these the service-level clock is stopped.
PAUSED_STATUSES = frozenset({WITH_CUSTOMER})


class TransitionError(ValueError):
    """An action that the call's current status does not allow (or an unknown name)."""


@dataclass(frozen=True)
class Action:
    """One way to change a call's status: what it is called, its button, from where, to what."""

    name: str
    label: str
    sources: frozenset[str]
    target: str

    def allows(self, status: str) -> bool:
        """True when a call in `status` may take this action."""
        return status in self.sources


# The table is plain data built at import time, with no helper function in it: mutation
# testing (`make mutation`) changes code inside functions, and a function run only at import
# would be changed too late to matter, so its mutants could never be caught.
_WORKABLE = frozenset({ASSIGNED, IN_PROGRESS, BACK_FROM_CUSTOMER, REOPENED})

#: The actions in the order their buttons are shown.
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "assign",
            "Assign",
            frozenset(
                {LOGGED, REOPENED, ASSIGNED, IN_PROGRESS, BACK_FROM_CUSTOMER, WITH_THIRD_PARTY}
            ),
            ASSIGNED,
        ),
        Action(
            "start", "Start work", frozenset({ASSIGNED, REOPENED, BACK_FROM_CUSTOMER}), IN_PROGRESS
        ),
        Action("with_customer", "Set With Customer", _WORKABLE | {WITH_THIRD_PARTY}, WITH_CUSTOMER),
        Action(
            "back_from_customer",
            "Back from Customer",
            frozenset({WITH_CUSTOMER}),
            BACK_FROM_CUSTOMER,
        ),
        Action("with_third_party", "Set With 3rd Party", _WORKABLE, WITH_THIRD_PARTY),
        Action(
            "back_from_third_party",
            "Back from 3rd Party",
            frozenset({WITH_THIRD_PARTY}),
            IN_PROGRESS,
        ),
        # Logged is included: a call fixed at the desk on first contact is resolved at once.
        Action("resolve", "Resolve", OPEN_STATUSES, RESOLVED),
        # From With Customer: "No further contact received from customer" after 5 working days.
        Action("close", "Close", frozenset({RESOLVED, WITH_CUSTOMER}), CLOSED),
        Action("reopen", "Reopen", CLOSED_STATUSES, REOPENED),
        Action("fixed_itself", "Fixed itself", OPEN_STATUSES, CLOSED),
    )
}


def allowed_actions(status: str) -> list[Action]:
    """The actions a call in `status` may take, in button order.

    Reopen is listed for every Resolved or Closed call; whether the reopen window is still
    open depends on dates, so check `can_reopen` before offering it.
    """
    _require_status(status)
    return [action for action in ACTIONS.values() if action.allows(status)]


def next_status(status: str, action: str | Action) -> str:
    """The status after taking `action` (a name from ACTIONS) on a call in `status`.

    Raises TransitionError naming the status and the action when it is not allowed, so a
    stale form (someone else moved the call meanwhile) is refused, not applied.
    """
    name = action.name if isinstance(action, Action) else action
    _require_status(status)
    found = ACTIONS.get(name)
    if found is None:
        raise TransitionError(f"Unknown action {name!r}; known actions: {', '.join(ACTIONS)}")
    if not found.allows(status):
        allowed_from = ", ".join(s for s in STATUSES if s in found.sources)
        raise TransitionError(
            f"Cannot {name!r} a call that is {status}; it is allowed from: {allowed_from}"
        )
    return found.target


def is_open(status: str) -> bool:
    """True while the call still needs work from the desk (not Resolved, not Closed)."""
    _require_status(status)
    return status in OPEN_STATUSES


def is_paused(status: str) -> bool:
    """True while the service-level clock is stopped for the call (With Customer)."""
    _require_status(status)
    return status in PAUSED_STATUSES


def can_reopen(
    status: str,
    resolved_at: datetime | date | str | None,
    now: datetime,
    window_days: float,
) -> bool:
    """True when the call may be reopened: Resolved or Closed, and still within the window.

    The window is plain calendar days (not working days) from `resolved_at`, the moment the
    call was resolved or, if it was closed without being resolved, closed. A reopen exactly
    `window_days` after is still allowed. No `resolved_at` means there is nothing to measure
    from, so no reopen; a new call is logged instead.
    """
    if window_days < 0:
        raise ValueError(f"The reopen window must be >= 0 days, got {window_days}")
    _require_status(status)
    if not ACTIONS["reopen"].allows(status):
        return False
    resolved = as_datetime(resolved_at)
    if resolved is None:
        return False
    return as_datetime(now) - resolved <= timedelta(days=window_days)


def _require_status(status: str) -> None:
    if status not in STATUSES:
        raise TransitionError(f"Unknown status {status!r}; known statuses: {', '.join(STATUSES)}")
