"""The order in which the desk works its queue, and the words shown for how soon a call is due.

The procedure says: attend to Incidents, then Maintenance, then Requests. Within a type the
call whose response is due soonest comes first (a call with no due time after those with
one), then the call logged longest ago. Call types this module does not know sort after
Requests rather than breaking the queue.

`due_state` gives the words ("overdue", "due soon", "on time") shown next to a call, so
lateness is never shown by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from kit.rules.clock import WorkingCalendar, as_datetime, working_hours_between

TYPE_RANK = {"Incident": 0, "Maintenance": 1, "Request": 2}
_UNKNOWN_TYPE_RANK = len(TYPE_RANK)

OVERDUE = "overdue"
DUE_SOON = "due soon"
ON_TIME = "on time"

Moment = datetime | date | str | None


def queue_key(call: Mapping[str, Any]) -> tuple:
    """The sort key of a call: type rank, then due time (none last), then time logged.

    Reads "call_type", "due_at" and "logged_at"; times may be datetimes, ISO strings (as
    stored in the database) or None/missing. Works on dicts and on sqlite3.Row.
    """
    due = as_datetime(_field(call, "due_at"))
    logged = as_datetime(_field(call, "logged_at"))
    return (
        TYPE_RANK.get(_field(call, "call_type"), _UNKNOWN_TYPE_RANK),
        due is None,
        due or datetime.max,
        logged or datetime.max,
    )


def sort_queue(calls: Iterable[Mapping[str, Any]]) -> list:
    """The calls in the order the procedure says to work them (a new list; stable on ties)."""
    return sorted(calls, key=queue_key)


def due_state(
    due_at: Moment,
    now: datetime,
    soon_hours: float = 1.0,
    cal: WorkingCalendar | None = None,
) -> str:
    """The words for how soon a call is due: overdue, due soon, on time ("" if no due time).

    Overdue once `now` is past the due time (at exactly the due time the call is still in
    time). Due soon when at most `soon_hours` remain: working hours on `cal` if given (so a
    call due first thing Monday is due soon at Friday's close), otherwise plain hours. The
    caller decides what due time a paused (With Customer) call shows.
    """
    if soon_hours < 0:
        raise ValueError(f"soon_hours must be >= 0, got {soon_hours}")
    due = as_datetime(due_at)
    if due is None:
        return ""
    current = as_datetime(now)
    if current > due:
        return OVERDUE
    if cal is None:
        left = (due - current) / timedelta(hours=1)
    else:
        left = working_hours_between(cal, current, due)
    return DUE_SOON if left <= soon_hours else ON_TIME


def _field(call: Mapping[str, Any], key: str) -> Any:
    # sqlite3.Row is not a Mapping (no .get) and raises IndexError for a missing column.
    try:
        return call[key]
    except (KeyError, IndexError):
        return None
