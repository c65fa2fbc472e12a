"""How soon a call is due, in words, for the call's page and My jobs.

The deadline that matters is the response until someone has responded, then the
resolution. While a call is With Customer its clock is stopped, so it is neither due nor
overdue; a resolved or closed call is no longer due at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kit.rules import lifecycle as lc
from kit.rules.clock import WorkingCalendar, as_datetime
from kit.rules.queue import OVERDUE, due_state

RESPONDED = "responded"


def _when(moment: datetime, at: datetime) -> str:
    if moment.date() == at.date():
        return f"today at {moment:%H:%M}"
    return f"{moment:%a %d %b} at {moment:%H:%M}"


def page_states(call: dict[str, Any], at: datetime) -> tuple[str, str]:
    """(response state, resolution state) for the badges beside the two due times."""
    if call["status"] not in lc.OPEN_STATUSES or call["status"] == lc.WITH_CUSTOMER:
        return "", ""
    response = RESPONDED if call["responded_at"] else due_state(call["respond_by"], at)
    return response, due_state(call["resolve_by"], at)


def describe_due(call: dict[str, Any], at: datetime, cal: WorkingCalendar) -> dict[str, Any]:
    """The next deadline (response, then resolution), its state, and a sentence for it."""
    if call["status"] == lc.WITH_CUSTOMER:
        since = as_datetime(call["with_customer_since"]) or at
        return {
            "state": "",
            "due_at": None,
            "words": f"Clock stopped: waiting for the customer since {_when(since, at)}",
        }
    what, due = (
        ("Resolution", call["resolve_by"])
        if call["responded_at"]
        else ("Response", call["respond_by"])
    )
    moment = as_datetime(due)
    if moment is None:
        return {"state": "", "due_at": None, "words": "No due time"}
    state = due_state(moment, at, cal=cal)
    verb = "was due" if state == OVERDUE else "due"
    return {"state": state, "due_at": due, "words": f"{what} {verb} {_when(moment, at)}"}
