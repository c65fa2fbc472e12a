"""The arithmetic behind the reports, as pure functions (no database, no Flask).

Definitions, stated once so the pages, the PDFs and the tests agree:

- Median: the middle value of the sorted values; for an even count, the mean of the two
  middle values.
- 90th percentile: nearest rank. Sort the n values ascending; the answer is the value at
  rank ceil(0.9 x n) (ranks start at 1). It is always one of the measured values, so a
  leader can find the call it came from.
- Mean: the arithmetic mean.
- Times to respond and to resolve, and whether a service level was met, breached or is
  pending, come from one rule: `kit.rules.service_levels` (working hours on the school's
  working-day clock, With Customer spells left out). Every report uses it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from kit.rules.clock import as_datetime
from kit.rules.service_levels import BREACHED, MET, Timing

# (label, from days, up to but not including days): age of an open call in calendar days.
AGE_BUCKETS = (
    ("Under 1 day", 0, 1),
    ("1 to 2 days", 1, 3),
    ("3 to 6 days", 3, 7),
    ("1 to 2 weeks", 7, 14),
    ("2 to 4 weeks", 14, 28),
    ("4 weeks or more", 28, None),
)


def median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile by nearest rank (see the module docstring); None if no values."""
    if not 0 < p <= 100:
        raise ValueError(f"A percentile is above 0 and at most 100, got {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def summarise(values: Iterable[float]) -> dict[str, Any]:
    """Count, median, 90th percentile and mean of some hours (None where there are none)."""
    items = list(values)
    return {
        "count": len(items),
        "median": median(items),
        "p90": percentile(items, 90),
        "mean": mean(items),
    }


def rate(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`; None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


# --- ages of open calls -------------------------------------------------------------------


def age_bucket(logged_at: datetime | str, now: datetime) -> str:
    """The label of the age bucket a call logged at `logged_at` is in at `now`."""
    days = (now - as_datetime(logged_at)) / timedelta(days=1)
    for label, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days < high):
            return label
    return AGE_BUCKETS[0][0]  # logged in the future (a clock set wrong): the youngest


def bucket_counts(logged_times: Iterable[datetime | str], now: datetime) -> list[tuple[str, int]]:
    """How many calls fall in each age bucket, every bucket listed in order."""
    counts = dict.fromkeys((label for label, _, _ in AGE_BUCKETS), 0)
    for logged in logged_times:
        counts[age_bucket(logged, now)] += 1
    return list(counts.items())


# --- series over days and weeks -----------------------------------------------------------


def choose_by(start: date, end: date, by: str = "auto") -> str:
    """ "day" or "week": as asked, or by day for ranges up to 31 days, else by week."""
    if by in ("day", "week"):
        return by
    return "day" if (end - start).days < 31 else "week"


def period_start(d: date, by: str) -> date:
    """The first day of the period holding `d`: the day itself, or the week's Monday."""
    return d if by == "day" else d - timedelta(days=d.weekday())


def periods(start: date, end: date, by: str) -> list[date]:
    """The first day of every period from `start` to `end` inclusive."""
    step = timedelta(days=1 if by == "day" else 7)
    current, found = period_start(start, by), []
    while current <= end:
        found.append(current)
        current += step
    return found


def series(per_day: Mapping[date, int], start: date, end: date, by: str) -> list[int]:
    """Daily counts added up into the periods of `periods(start, end, by)`."""
    firsts = periods(start, end, by)
    totals = dict.fromkeys(firsts, 0)
    for day, count in per_day.items():
        if start <= day <= end:
            totals[period_start(day, by)] += count
    return [totals[p] for p in firsts]


def open_series(open_at_start: int, logged: list[int], resolved: list[int]) -> list[int]:
    """Calls open at the end of each period: those open at the start, plus every call logged
    since, less every call resolved since (each resolved call was open before it)."""
    found, current = [], open_at_start
    for new, done in zip(logged, resolved, strict=True):
        current += new - done
        found.append(current)
    return found


# --- service levels -----------------------------------------------------------------------


def timing_rows(
    calls: list[Mapping[str, Any]],
    timings: Mapping[int, Timing],
    key: str,
    order: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Per value of `key` (e.g. "category"): response and resolution summaries and how many
    service levels were met and breached; in `order` (response levels by rank) when given,
    else alphabetical."""
    groups: dict[str, list[Timing]] = {}
    for call in calls:
        groups.setdefault(call[key] or "—", []).append(timings[call["id"]])
    rank = {name: i for i, name in enumerate(order or [])}
    rows = []
    for name in sorted(groups, key=lambda n: (rank.get(n, len(rank)), n)):
        items = groups[name]
        rows.append(
            {
                "name": name,
                "calls": len(items),
                "respond": summarise(t.respond_hours for t in items if t.responded),
                "resolve": summarise(t.resolve_hours for t in items if t.resolved),
                "respond_met": sum(t.respond_state == MET for t in items),
                "respond_breached": sum(t.respond_state == BREACHED for t in items),
                "resolve_met": sum(t.resolve_state == MET for t in items),
                "resolve_breached": sum(t.resolve_state == BREACHED for t in items),
            }
        )
    return rows


def hours_text(value: float | None) -> str:
    """Hours for a table cell: two decimals, or a dash when there is no value."""
    return "—" if value is None else f"{value:.2f}"


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"
