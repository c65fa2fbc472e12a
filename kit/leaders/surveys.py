"""Customers' feedback after a call is resolved: which calls are asked, and what.

The framework's post implementation review asks "what do users say"; a short survey on the
customer's own status link answers it without paper. A school that gets many calls may
ask only one in N (the `survey_every_nth` setting), chosen by call id so the choice is
stable: the same call is offered the survey on every visit to its page.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit import settings

SURVEY_STATUSES = ("Resolved", "Closed")
SATISFACTION = {
    5: "Very satisfied",
    4: "Satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Dissatisfied",
    1: "Very dissatisfied",
}


def should_survey(call_id: int, every_nth: int | None) -> bool:
    """Whether the call is one the school asks about: all (1 or less), else one in N by id."""
    n = int(every_nth or 1)
    return n <= 1 or call_id % n == 0


def is_offered(db: Database, call: dict[str, Any]) -> bool:
    """The survey is offered on a resolved or closed call the school samples, not voided."""
    return (
        call.get("status") in SURVEY_STATUSES
        and not call.get("voided")
        and should_survey(call["id"], settings.get(db, "survey_every_nth"))
    )
