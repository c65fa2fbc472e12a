"""When the desk is open: working weekdays, opening hours, public and school holidays.

The working-day clock (`kit.rules.clock`) counts working time on a `WorkingCalendar`;
`kit.settings.calendar` builds one from the school's settings. Opening hours are local
wall-clock times and a working day is the half-open window [day_start, day_end). A
calendar with no working time is refused when it is built, so the clock's loops always
find another working day within `HORIZON_DAYS`.

Cost: the `holidays` package takes about 0.3 s to import, and its dates for a country
and years a few milliseconds to compute; it is imported on first need and each
(country, subdivision, years) is computed once per process, so logging a call (the web
form, every mail a fetch reads) does not pay either again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

ONE_DAY = timedelta(days=1)
ONE_HOUR = timedelta(hours=1)
#: The furthest, in calendar days, that any function of the clock looks ahead for an answer.
HORIZON_DAYS = 36_525

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WorkingCalendar:
    """When the desk is open: working weekdays (Monday=0), opening hours and closed dates.

    `closed_dates` holds every date the desk is shut on a day that would otherwise be a
    working day: public holidays and the dates of school holidays. Build one with
    `build_calendar()` to get the public holidays from the `holidays` library.
    """

    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    day_start: time = time(8, 0)
    day_end: time = time(17, 0)
    closed_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable (a tuple or set from config) but store frozensets, so the
        # calendar stays hashable and cannot be changed under a running computation.
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        if not self.working_days:
            raise ValueError("A working calendar needs at least one working day")
        if not self.working_days <= frozenset(range(7)):
            raise ValueError(
                f"Working days are weekday numbers 0 (Monday) to 6 (Sunday), "
                f"got {sorted(self.working_days)}"
            )
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise ValueError("Opening hours are local wall-clock times; drop the tzinfo")
        if self.day_start >= self.day_end:
            raise ValueError(
                f"The working day must start before it ends, got "
                f"{self.day_start:%H:%M}-{self.day_end:%H:%M}"
            )

    def is_working_day(self, d: date) -> bool:
        """True when the desk is open at some time on `d` (a datetime counts as its date)."""
        if isinstance(d, datetime):
            d = d.date()
        return d.weekday() in self.working_days and d not in self.closed_dates

    @property
    def hours_per_day(self) -> float:
        """Length of one working day in hours (9.0 for 08:00-17:00)."""
        opens, closes = window(self, date.min)
        return (closes - opens) / ONE_HOUR


def build_calendar(
    *,
    working_days: Iterable[int] = (0, 1, 2, 3, 4),
    day_start: time = time(8),
    day_end: time = time(17),
    country: str | None = "GB",
    subdivision: str | None = "ENG",
    years: Iterable[int] = (),
    school_holidays: Iterable[tuple[date, date]] = (),
) -> WorkingCalendar:
    """Build the calendar for a school: opening hours, public holidays and school holidays.

    Public holidays come from the `holidays` library for `country`/`subdivision` (default
    England, which includes substitute bank holidays) for each year in `years` and each year
    a school holiday touches. They are loaded once into a plain set of dates, so load every
    year the calendar will be asked about (for example last year to next year). With a
    country but no year to load, this raises ValueError rather than quietly counting bank
    holidays as working days. `country=None` means no public holidays.

    `school_holidays` are inclusive (first day, last day) ranges: half terms, term breaks,
    INSET days.
    """
    ranges = [(first, last) for first, last in school_holidays]
    closed: set[date] = set()
    for first, last in ranges:
        closed.update(_dates_inclusive(first, last))
    wanted_years = set(years) | {d.year for first_last in ranges for d in first_last}
    closed.update(_public_holidays(country, subdivision, wanted_years))
    return WorkingCalendar(
        working_days=frozenset(working_days),
        day_start=day_start,
        day_end=day_end,
        closed_dates=frozenset(closed),
    )


def window(cal: WorkingCalendar, d: date) -> Interval:
    """The desk's opening window on `d`, half-open: [opening, closing)."""
    return datetime.combine(d, cal.day_start), datetime.combine(d, cal.day_end)


def _public_holidays(country: str | None, subdivision: str | None, years: set[int]) -> set[date]:
    if country is None:
        return set()
    if not years:
        raise ValueError(
            f"build_calendar needs years=... (or school holidays) to load the public holidays "
            f"for {country}; pass country=None for a calendar without public holidays"
        )
    return set(_public_holidays_of(country, subdivision, tuple(sorted(years))))


@functools.lru_cache(maxsize=32)
def _public_holidays_of(
    country: str, subdivision: str | None, years: tuple[int, ...]
) -> frozenset[date]:
    """The public holidays of these years, computed once per process (the dates of past
    and coming years do not change while the kit runs)."""
    import holidays  # 0.3 s: only when a calendar with public holidays is first built

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError as exc:
        raise ValueError(
            f"No public holidays known for country={country!r}, subdivision={subdivision!r} "
            f"({exc}); use an ISO 3166 code such as 'GB' with subdivision 'ENG', or "
            f"country=None"
        ) from exc
    return frozenset(found.keys())


def _dates_inclusive(first: date, last: date) -> Iterator[date]:
    if last < first:
        raise ValueError(f"A school holiday must not end before it starts: {first} to {last}")
    if last - first > ONE_DAY * HORIZON_DAYS:
        raise beyond_horizon(first)
    current = first
    while current <= last:
        yield current
        current += ONE_DAY


def beyond_horizon(start: date) -> ValueError:
    return ValueError(  # pragma: no mutate
        f"No answer within {HORIZON_DAYS} calendar days of {start}: the calendar is almost never "
        f"open, or the time asked for is far too long"
    )
