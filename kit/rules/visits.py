"""Technicians' visit days: many schools have a technician only one or two days a week.

A technician's visits are given as weekdays (e.g. Tuesdays and Fridays) and/or dates. A
call left for the next visit expects its response on that day; if its response is due
before then, the desk is told to phone instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class VisitPattern:
    weekdays: frozenset[int] = frozenset()  # Monday = 0
    dates: frozenset[date] = field(default_factory=frozenset)
    closed: frozenset[date] = field(default_factory=frozenset)  # school closed: no visit

    @property
    def empty(self) -> bool:
        return not self.weekdays and not self.dates


def parse_pattern(text: str, closed: Iterable[date] = ()) -> VisitPattern:
    """Read "Tuesday, Friday, 2026-12-03" (names, three-letter names or ISO dates).

    Raises ValueError naming the part it could not read.
    """
    weekdays: set[int] = set()
    dates: set[date] = set()
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        day = _weekday(part)
        if day is not None:
            weekdays.add(day)
            continue
        try:
            dates.add(date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"“{part}” is not a weekday or a date (YYYY-MM-DD).") from None
    return VisitPattern(frozenset(weekdays), frozenset(dates), frozenset(closed))


def _weekday(text: str) -> int | None:
    lowered = text.lower()
    for number, name in enumerate(WEEKDAYS):
        if lowered in (name.lower(), name[:3].lower(), name.lower() + "s"):
            return number
    return None


def format_pattern(pattern: VisitPattern) -> str:
    parts = [WEEKDAYS[d] for d in sorted(pattern.weekdays)]
    parts += [d.isoformat() for d in sorted(pattern.dates)]
    return ", ".join(parts)


def next_visit(pattern: VisitPattern, after: date, horizon_days: int = 366) -> date | None:
    """The first visit day on or after `after`, skipping days the school is closed."""
    if pattern.empty:
        return None
    for offset in range(horizon_days):
        day = after + timedelta(days=offset)
        if day in pattern.closed:
            continue
        if day.weekday() in pattern.weekdays or day in pattern.dates:
            return day
    return None


def due_before_visit(respond_by: datetime | None, visit: date | None) -> bool:
    """True when the response level's clock runs out before the technician comes in:
    the desk should phone instead of waiting for the visit."""
    if respond_by is None:
        return False
    if visit is None:
        return True
    return respond_by.date() < visit
