"""The working-day clock: service-level times counted in the school's working hours.

A response level such as "respond within 4 hours" means 4 hours of the desk's working time:
weekends, public holidays, school holidays and the hours outside the working day do not
count, and neither does time the call spends With Customer (the clock is stopped while the
desk waits on the customer; callers pass those spells as `pauses`).

All datetimes are naive local wall-clock times, the school's own time. School hours are
wall-clock hours: the desk opens at 08:00 and closes at 17:00 whether or not the clocks went
forward overnight, so a due time must be worked out on the wall clock, not in UTC. The UK
clock changes happen early on a Sunday, outside working hours, so in wall-clock terms they
change nothing. Timezone-aware datetimes are refused with a ValueError rather than silently
mixed with naive ones; convert to local time before calling.

Working time on a working day is the half-open window [day_start, day_end): a call logged at
exactly closing time starts counting at the next opening. A due time that uses up the last
minute of a day is that day's closing time (Mon 09:00 + 8 hours = Mon 17:00), never the next
morning's opening.

Every function steps a day at a time (whole closed days are skipped with one check), so the
cost grows with the number of calendar days spanned, never with the number of minutes. No
loop can run for ever: a calendar with no working time (08:00-08:00, no working day) is
refused when it is built, and no answer is looked for more than `HORIZON_DAYS` calendar days
(about a century) from where it starts: further than that raises ValueError (it would take an
absurd number of hours or a calendar that is open almost never).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays

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
        opens, closes = _window(self, date.min)
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


def add_working_hours(
    cal: WorkingCalendar,
    start: datetime,
    hours: float,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> datetime:
    """The due time: the instant when `hours` of working time have run since `start`.

    The clock starts at `start` if the desk is open and not paused then, otherwise at the
    next moment it is (so zero hours from a Saturday is Monday's opening). Paused spells
    (With Customer) do not count; a pause still running should be passed as (paused_at,
    now). The result is the earliest instant at which the hours are used up, so it can be
    exactly a closing time. Fractional hours count to the microsecond.
    """
    _require_naive(start, "start")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"Working hours to add must be a finite number >= 0, got {hours!r}")
    remaining = timedelta(hours=hours)
    for lo, hi in _running_time(cal, start, pauses):
        if remaining <= hi - lo:
            return lo + remaining
        remaining -= hi - lo
    raise AssertionError("unreachable: a calendar always has another working day")


def working_hours_between(
    cal: WorkingCalendar,
    start: datetime,
    end: datetime,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> float:
    """Working hours elapsed from `start` to `end`, minus paused spells; 0.0 if end <= start.

    This is the inverse of `add_working_hours`: for the same calendar and pauses,
    `working_hours_between(cal, s, add_working_hours(cal, s, h))` is `h`.
    """
    _require_naive(start, "start")
    _require_naive(end, "end")
    if end <= start:
        return 0.0
    total = timedelta()
    for lo, hi in _running_time(cal, start, pauses):
        if lo >= end:
            break
        total += min(hi, end) - lo
    return total / ONE_HOUR


def add_working_days(cal: WorkingCalendar, start: date, days: int) -> date:
    """The date that is `days` working days after `start` (`start` itself when days is 0).

    Used for rules such as "With Customer for more than 5 working days": the call is past
    the limit once today is later than `add_working_days(cal, paused_on, 5)`. A datetime is
    taken as its date.
    """
    if days < 0:
        raise ValueError(f"Working days to add must be >= 0, got {days}")
    first = current = start.date() if isinstance(start, datetime) else start
    while days > 0:
        current += ONE_DAY
        if current - first > ONE_DAY * HORIZON_DAYS:
            raise _beyond_horizon(first)
        if cal.is_working_day(current):
            days -= 1
    return current


def working_days_between(cal: WorkingCalendar, start: date, end: date) -> int:
    """The number of working days after `start` up to and including `end` (0 if end <= start).

    The inverse of `add_working_days`: `working_days_between(cal, d, add_working_days(cal,
    d, n))` is `n`.
    """
    current = start.date() if isinstance(start, datetime) else start
    last = end.date() if isinstance(end, datetime) else end
    if last - current > ONE_DAY * HORIZON_DAYS:
        raise _beyond_horizon(current)
    count = 0
    while current < last:
        current += ONE_DAY
        if cal.is_working_day(current):
            count += 1
    return count


def as_datetime(value: datetime | date | str | None) -> datetime | None:
    """A naive datetime from what the database or a form gives: datetime, date, ISO text.

    None and the empty string mean "not set" and give None. A date is taken as its
    midnight. Timezone-aware values are refused, as everywhere in the clock.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = datetime.fromisoformat(value.strip())
    else:
        raise TypeError(f"Expected a datetime, date or ISO string, got {type(value).__name__}")
    _require_naive(moment, "time")
    return moment


# --- internals -------------------------------------------------------------------------


def _window(cal: WorkingCalendar, d: date) -> Interval:
    return datetime.combine(d, cal.day_start), datetime.combine(d, cal.day_end)


def _open_windows(cal: WorkingCalendar, start: datetime) -> Iterator[Interval]:
    """The desk's opening windows from `start` onward, the first clipped to `start`."""
    day = start.date()
    for _ in range(HORIZON_DAYS + 1):
        if cal.is_working_day(day):
            opens, closes = _window(cal, day)
            if closes > start:
                yield max(opens, start), closes
        day += ONE_DAY
    raise _beyond_horizon(start.date())


def _running_time(
    cal: WorkingCalendar, start: datetime, pauses: Iterable[Interval]
) -> Iterator[Interval]:
    """The spells from `start` onward when the clock runs: open and not paused, in order."""
    merged = _merge_pauses(pauses)
    ends = [pause_hi for _, pause_hi in merged]
    for lo, hi in _open_windows(cal, start):
        # The first pause still running after the window opens; those before have ended.
        first = bisect_right(ends, lo)
        cursor = lo
        for pause_lo, pause_hi in merged[first:]:
            if pause_lo >= hi:
                break
            if pause_lo > cursor:
                yield cursor, pause_lo
            cursor = max(cursor, pause_hi)
            if cursor >= hi:
                break
        if cursor < hi:
            yield cursor, hi


def _merge_pauses(pauses: Iterable[Interval]) -> list[Interval]:
    """Pauses sorted and merged, so overlapping or touching spells are counted once."""
    spells = []
    for lo, hi in pauses:
        _require_naive(lo, "pause start")
        _require_naive(hi, "pause end")
        if hi > lo:
            spells.append((lo, hi))
    spells.sort()
    merged: list[Interval] = []
    for lo, hi in spells:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _public_holidays(country: str | None, subdivision: str | None, years: set[int]) -> set[date]:
    if country is None:
        return set()
    if not years:
        raise ValueError(
            f"build_calendar needs years=... (or school holidays) to load the public holidays "
            f"for {country}; pass country=None for a calendar without public holidays"
        )
    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=sorted(years))
    except NotImplementedError as exc:
        raise ValueError(
            f"No public holidays known for country={country!r}, subdivision={subdivision!r} "
            f"({exc}); use an ISO 3166 code such as 'GB' with subdivision 'ENG', or "
            f"country=None"
        ) from exc
    return set(found.keys())


def _dates_inclusive(first: date, last: date) -> Iterator[date]:
    if last < first:
        raise ValueError(f"A school holiday must not end before it starts: {first} to {last}")
    if last - first > ONE_DAY * HORIZON_DAYS:
        raise _beyond_horizon(first)
    current = first
    while current <= last:
        yield current
        current += ONE_DAY


def _beyond_horizon(start: date) -> ValueError:
    return ValueError(  # pragma: no mutate
        f"No answer within {HORIZON_DAYS} calendar days of {start}: the calendar is almost never "
        f"open, or the time asked for is far too long"
    )


def _require_naive(moment: datetime, what: str) -> None:
    if moment.utcoffset() is not None:  # None for every naive datetime
        raise ValueError(
            f"The {what} must be a naive local wall-clock time, got {moment.isoformat()}"
        )
