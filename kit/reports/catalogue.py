"""The list of reports: each one's title, what it answers, and how it is built.

The routes serve every report in `REPORTS` the same way (page, PDF, CSV), so adding a report
is one line here and one builder module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from kit import settings
from kit.reports import (
    baseline,
    equipment,
    feedback,
    knowledge,
    outstanding,
    service_levels,
    suppliers,
    workload,
)
from kit.reports.forms import FilterForm
from kit.reports.model import Report
from kit.rules.clock import WorkingCalendar


@dataclass(frozen=True)
class Entry:
    title: str
    question: str
    build: Callable[[Database, FilterForm, datetime], Report]
    uses_dates: bool = True


def calendar_for(db: Database, start: date, end: date, now: datetime) -> WorkingCalendar:
    """The school's working-day clock with public holidays loaded for every year reported."""
    first = min(start.year, now.year) - 1
    return settings.calendar(db, years=range(first, max(end.year, now.year) + 2))


def _baseline(db: Database, form: FilterForm, now: datetime) -> Report:
    f = form.filter
    first = baseline.first_call_day(db) or f.start
    return baseline.baseline(db, f, calendar_for(db, min(first, f.start), f.end, now), now)


def _times(db: Database, form: FilterForm, now: datetime) -> Report:
    f = form.filter
    return service_levels.times(db, f, calendar_for(db, f.start, f.end, now), now)


REPORTS: dict[str, Entry] = {
    "workload": Entry(
        "Workload monitoring",
        "How many calls were logged, resolved and left open, by whom, and how "
        "much time technicians recorded.",
        lambda db, form, now: workload.workload(db, form.filter, form.by, now.date()),
    ),
    "outstanding": Entry(
        "Calls outstanding",
        "Which calls are open now and how long they have waited.",
        lambda db, form, now: outstanding.outstanding(db, form.filter, now),
        uses_dates=False,
    ),
    "times": Entry(
        "Time to respond and to resolve",
        "How quickly calls are answered and fixed, and which service levels were missed.",
        _times,
    ),
    "baseline": Entry(
        "Baseline and targets",
        "What the desk achieves per priority, measured from the first call, against the "
        "targets the school sets after its baseline.",
        _baseline,
    ),
    "equipment": Entry(
        "Equipment",
        "Which assets and models cause most calls, and failure rates per term.",
        lambda db, form, now: equipment.equipment(db, form.filter, settings.get(db, "terms") or []),
    ),
    "knowledge": Entry(
        "Knowledge and first contact",
        "Which articles solve calls, and how many calls the desk fixes at once.",
        lambda db, form, now: knowledge.knowledge(db, form.filter),
    ),
    "third-parties": Entry(
        "Third parties and suppliers",
        "Which calls went to suppliers and others, and whether they kept to their dates.",
        lambda db, form, now: suppliers.third_parties(db, form.filter, now),
    ),
    "feedback": Entry(
        "Customer feedback",
        "What customers said in the survey after their call was resolved.",
        lambda db, form, now: feedback.feedback(db, form.filter),
    ),
}
