"""The working-day clock: service-level times counted in the school's working hours.

When the desk is open (working days, hours, holidays) is the `WorkingCalendar` of
`kit.rules.calendar`; this module counts working time on one.

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
from datetime import date, datetime, time, timedelta

from kit.rules.calendar import (
    HORIZON_DAYS,
    ONE_DAY,
    ONE_HOUR,
    Interval,
    WorkingCalendar,
    beyond_horizon,
    window,
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
            raise beyond_horizon(first)
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
        raise beyond_horizon(current)
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


def _open_windows(cal: WorkingCalendar, start: datetime) -> Iterator[Interval]:
    """The desk's opening windows from `start` onward, the first clipped to `start`."""
    day = start.date()
    for _ in range(HORIZON_DAYS + 1):
        if cal.is_working_day(day):
            opens, closes = window(cal, day)
            if closes > start:
                yield max(opens, start), closes
        day += ONE_DAY
    raise beyond_horizon(start.date())


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


def _require_naive(moment: datetime, what: str) -> None:
    if moment.utcoffset() is not None:  # None for every naive datetime
        raise ValueError(
            f"The {what} must be a naive local wall-clock time, got {moment.isoformat()}"
        )
