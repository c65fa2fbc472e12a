"""The post implementation review's questions, each with the figures that help answer it.

The framework asks a school, once incident management is running, whether it works: is
every call logged through the desk, do users know how to log one, do technicians take
calls only from the desk, are service levels met, what do users say. Each question here
names the figures (keys of `kit.leaders.queries.review_figures`) shown beside it, so the
page, the saved review and its PDF all read from this one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str
    figures: tuple[str, ...] = ()


# The reports area's report names, for "See the full report" links.
REPORTS = {
    "service_levels": "times",
    "users_say": "feedback",
    "settled": "knowledge",
    "workload": "workload",
    "patterns": "equipment",
}


QUESTIONS = (
    Question(
        "logged",
        "Is every call logged through the service desk?",
        "Calls logged by someone other than the desk went round it.",
        ("logged_by",),
    ),
    Question(
        "users_know",
        "Do users know how to log a call?",
        "Which ways people use; a channel nobody uses may need explaining again in the "
        "letter to users.",
        ("by_channel",),
    ),
    Question(
        "technicians",
        "Do technicians receive calls only from the service desk?",
        "Ask the technicians how often staff approach them directly, and compare with "
        "the calls technicians logged themselves.",
        ("by_technicians",),
    ),
    Question(
        "service_levels",
        "Are service levels met?",
        "Responses and resolutions on time, against the response levels.",
        ("service_levels",),
    ),
    Question(
        "users_say",
        "What do users say?",
        "The answers to the short survey offered when a call is resolved, and to the "
        "school's survey of all users sent in the period.",
        ("survey", "staff_surveys"),
    ),
    Question(
        "settled",
        "How many calls are resolved at first contact or from the knowledge base?",
        "Resolved without being passed to a technician, or with an article marked as the fix.",
        ("settled",),
    ),
    Question(
        "workload",
        "Is the workload per technician and week manageable?",
        "Calls each technician owns and the time they recorded, week by week.",
        ("workload",),
    ),
    Question(
        "patterns",
        "Which categories, channels and locations produce most calls?",
        "Where the same fault keeps coming back, consider raising a problem or "
        "replacing the equipment.",
        ("by_category", "by_location"),
    ),
    Question(
        "actions",
        "What will the school change before the next review?",
        "Who does what, and by when.",
    ),
)
MAX_ANSWER = 5000


def default_period(today: date) -> tuple[date, date]:
    """The last twelve weeks up to today: about a term, the framework's review interval."""
    return today - timedelta(weeks=12) + timedelta(days=1), today
