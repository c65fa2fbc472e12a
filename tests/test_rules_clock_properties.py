"""Properties of the working-day clock over random calendars, pauses and times (Hypothesis).

Adding working hours and measuring them are inverses: for any calendar, any With Customer
spells and any start, the working time from the start to `add_working_hours(start, h)` is h,
and the due time for the working time measured up to a moment is never after that moment
(or, when no working time passed before it, after the clock first runs).
Times are drawn on a whole-minute grid so the arithmetic is exact to the microsecond.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.rules.clock import (
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    working_days_between,
    working_hours_between,
)

FIRST_DAY = date(2026, 1, 1)
SPAN_DAYS = 60
PROPERTY = settings(max_examples=150, deadline=None)
MICROSECOND = timedelta(microseconds=1)


@st.composite
def calendars(draw) -> WorkingCalendar:
    # At least half an hour a day, so four working weeks fit well inside the clock's horizon
    # even on a desk open one day a week (a shorter day is covered in test_rules_clock_edges).
    opens = draw(st.integers(0, 23 * 60 - 30))
    closes = draw(st.integers(opens + 30, 24 * 60 - 1))
    closed = draw(
        st.sets(st.integers(0, SPAN_DAYS).map(lambda n: FIRST_DAY + timedelta(days=n)), max_size=15)
    )
    return WorkingCalendar(
        working_days=draw(st.sets(st.integers(0, 6), min_size=1)),
        day_start=time(opens // 60, opens % 60),
        day_end=time(closes // 60, closes % 60),
        closed_dates=closed,
    )


moments = st.integers(0, SPAN_DAYS * 24 * 60).map(
    lambda minutes: datetime.combine(FIRST_DAY, time()) + timedelta(minutes=minutes)
)
pause_lists = st.lists(
    st.tuples(moments, st.integers(0, 3 * 24 * 60)).map(
        lambda p: (p[0], p[0] + timedelta(minutes=p[1]))
    ),
    max_size=5,
)
# Whole minutes up to four working weeks, as a school's response levels are.
hour_counts = st.integers(0, 160 * 60).map(lambda minutes: minutes / 60)


@PROPERTY
@given(cal=calendars(), start=moments, hours=hour_counts, pauses=pause_lists)
def test_the_working_time_up_to_a_due_time_is_the_hours_added(cal, start, hours, pauses):
    due = add_working_hours(cal, start, hours, pauses)
    assert due >= start
    assert working_hours_between(cal, start, due, pauses) == pytest.approx(hours, abs=1e-9)


@PROPERTY
@given(cal=calendars(), start=moments, end=moments, pauses=pause_lists)
def test_the_due_time_for_the_time_measured_to_a_moment_is_not_after_it(cal, start, end, pauses):
    hours = working_hours_between(cal, start, end, pauses)
    due = add_working_hours(cal, start, hours, pauses)
    # With no working time before `end`, the due time is when the clock first runs.
    assert due <= max(end + MICROSECOND, add_working_hours(cal, start, 0, pauses))
    assert working_hours_between(cal, start, due, pauses) == pytest.approx(hours, abs=1e-9)


@PROPERTY
@given(cal=calendars(), start=moments, a=hour_counts, b=hour_counts, pauses=pause_lists)
def test_more_hours_are_never_due_sooner(cal, start, a, b, pauses):
    fewer, more = sorted((a, b))
    assert add_working_hours(cal, start, fewer, pauses) <= add_working_hours(
        cal, start, more, pauses
    )


@PROPERTY
@given(cal=calendars(), start=moments, hours=hour_counts, pauses=pause_lists)
def test_a_due_time_falls_when_the_desk_is_open_and_the_clock_runs(cal, start, hours, pauses):
    due = add_working_hours(cal, start, hours, pauses)
    opens, closes = (datetime.combine(due.date(), t) for t in (cal.day_start, cal.day_end))
    assert cal.is_working_day(due) and opens <= due <= closes
    # Just before a due time the clock was running (unless nothing at all was asked for).
    if hours > 0:
        before = working_hours_between(cal, start, due - MICROSECOND, pauses)
        assert before < hours


@PROPERTY
@given(cal=calendars(), start=moments, days=st.integers(0, 40))
def test_working_days_between_undoes_add_working_days_on_any_calendar(cal, start, days):
    later = add_working_days(cal, start, days)
    assert working_days_between(cal, start, later) == days
    assert days == 0 or cal.is_working_day(later)
