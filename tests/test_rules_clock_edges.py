"""The working-day clock at its edges: exactly at opening and closing, zero-length spells,
two With Customer spells in one day, calendars that are hardly ever open.

These are the cases mutation testing (`make mutation`) showed no test would notice going
wrong. 3 March 2025 is a Monday; PLAIN is open Monday to Friday, 08:00-17:00.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from kit.rules.calendar import build_calendar
from kit.rules.clock import (
    HORIZON_DAYS,
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    working_days_between,
    working_hours_between,
)

PLAIN = WorkingCalendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- calendars that cannot be used are refused when they are built -------------------------


def test_a_desk_that_opens_and_closes_at_the_same_time_is_refused():
    with pytest.raises(ValueError, match="start before it ends"):
        WorkingCalendar(day_start=time(8), day_end=time(8))


def test_a_desk_open_for_one_minute_a_day_is_accepted():
    cal = WorkingCalendar(day_start=time(8), day_end=time(8, 1))
    assert add_working_hours(cal, at("2025-03-03 08:00"), 2 / 60) == at("2025-03-04 08:01")


def test_opening_hours_with_a_timezone_are_refused():
    from datetime import UTC

    with pytest.raises(ValueError, match="wall-clock"):
        WorkingCalendar(day_end=time(17, tzinfo=UTC))


def test_a_calendar_built_from_lists_can_be_used_as_a_cache_key():
    cal = WorkingCalendar(working_days=[0, 1, 2], closed_dates=[date(2025, 3, 4)])
    assert hash(cal) == hash(
        WorkingCalendar(working_days=(2, 1, 0), closed_dates={date(2025, 3, 4)})
    )
    assert cal.closed_dates == frozenset({date(2025, 3, 4)})
    assert not cal.is_working_day(date(2025, 3, 4))


def test_build_calendar_closes_the_school_holidays_it_is_given():
    cal = build_calendar(
        country=None, school_holidays=[(date(2025, 2, 17), date(2025, 2, 21))], day_end=time(15)
    )
    assert not cal.is_working_day(date(2025, 2, 17))
    assert cal.is_working_day(date(2025, 2, 24))
    assert cal.day_end == time(15)


# --- exactly at opening and closing ------------------------------------------------------


def test_no_working_time_passes_before_the_desk_opens():
    assert working_hours_between(PLAIN, at("2025-03-03 06:00"), at("2025-03-03 08:00")) == 0.0


def test_the_first_hour_is_counted_from_exactly_the_opening():
    assert working_hours_between(PLAIN, at("2025-03-03 08:00"), at("2025-03-03 09:00")) == 1.0


def test_the_last_hour_ends_exactly_at_closing():
    assert working_hours_between(PLAIN, at("2025-03-03 16:00"), at("2025-03-03 17:00")) == 1.0


def test_no_working_time_passes_between_closing_and_next_opening():
    assert working_hours_between(PLAIN, at("2025-03-03 17:00"), at("2025-03-04 08:00")) == 0.0


def test_a_call_logged_at_closing_time_is_due_the_next_day():
    assert add_working_hours(PLAIN, at("2025-03-03 17:00"), 0.5) == at("2025-03-04 08:30")


def test_a_call_logged_a_moment_before_closing_counts_that_moment():
    start = at("2025-03-03 16:59:59")
    assert add_working_hours(PLAIN, start, 1 / 3600) == at("2025-03-03 17:00")


def test_working_time_to_a_moment_after_closing_stops_at_closing():
    assert working_hours_between(PLAIN, at("2025-03-03 15:00"), at("2025-03-03 20:00")) == 2.0


def test_working_time_over_a_whole_week_counts_every_working_day():
    assert working_hours_between(PLAIN, at("2025-03-03 08:00"), at("2025-03-10 08:00")) == 45.0


def test_an_afternoon_and_a_morning_add_up_across_the_night():
    assert working_hours_between(PLAIN, at("2025-03-03 16:30"), at("2025-03-04 08:45")) == 1.25


# --- zero hours and zero-length spells ---------------------------------------------------


def test_zero_hours_at_the_start_of_a_with_customer_spell_is_due_when_it_ends():
    pauses = [(at("2025-03-03 10:00"), at("2025-03-03 11:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 10:00"), 0, pauses) == at("2025-03-03 11:00")


def test_zero_hours_inside_a_with_customer_spell_is_due_when_it_ends():
    pauses = [(at("2025-03-03 10:00"), at("2025-03-03 11:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 10:30"), 0, pauses) == at("2025-03-03 11:00")


def test_zero_hours_as_a_with_customer_spell_ends_is_due_at_once():
    pauses = [(at("2025-03-03 10:00"), at("2025-03-03 11:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 11:00"), 0, pauses) == at("2025-03-03 11:00")


def test_zero_hours_in_a_with_customer_spell_that_runs_past_closing_is_due_next_morning():
    pauses = [(at("2025-03-03 16:00"), at("2025-03-03 18:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 16:30"), 0, pauses) == at("2025-03-04 08:00")


def test_a_with_customer_spell_of_no_length_stops_nothing():
    pauses = [(at("2025-03-03 10:00"), at("2025-03-03 10:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 2, pauses) == at("2025-03-03 11:00")


def test_with_customer_spells_that_touch_count_as_one():
    pauses = [
        (at("2025-03-03 10:00"), at("2025-03-03 11:00")),
        (at("2025-03-03 11:00"), at("2025-03-03 12:00")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 2, pauses) == at("2025-03-03 13:00")


def test_a_short_spell_inside_a_longer_one_does_not_shorten_it():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 12:00")),
        (at("2025-03-03 10:00"), at("2025-03-03 10:30")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 2, pauses) == at("2025-03-03 13:00")


def test_working_time_from_a_moment_to_itself_is_zero():
    assert working_hours_between(PLAIN, at("2025-03-03 10:00"), at("2025-03-03 10:00")) == 0.0


# --- two With Customer spells in one day -------------------------------------------------


def test_two_with_customer_spells_on_a_monday_move_a_tuesday_due_time():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 10:00")),
        (at("2025-03-03 11:00"), at("2025-03-03 12:00")),
    ]
    # Monday gives 9 - 2 = 7 hours; the other 3 run on Tuesday morning.
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 10, pauses) == at("2025-03-04 11:00")


def test_two_with_customer_spells_on_a_monday_are_left_out_of_the_time_to_tuesday():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 10:00")),
        (at("2025-03-03 11:00"), at("2025-03-03 12:00")),
    ]
    hours = working_hours_between(PLAIN, at("2025-03-03 08:00"), at("2025-03-04 11:00"), pauses)
    assert hours == 10.0


def test_two_spells_on_each_of_two_days_all_stop_the_clock():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 10:00")),
        (at("2025-03-03 15:00"), at("2025-03-03 16:00")),
        (at("2025-03-04 09:00"), at("2025-03-04 10:00")),
        (at("2025-03-04 15:00"), at("2025-03-04 16:00")),
    ]
    # Monday 7 hours, Tuesday 08:00-09:00 and 10:00-15:00 = 6, then 16:00-17:00 = 1.
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 14, pauses) == at("2025-03-04 17:00")
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 15, pauses) == at("2025-03-05 09:00")


def test_a_spell_across_the_night_then_another_next_day_both_count():
    pauses = [
        (at("2025-03-03 16:00"), at("2025-03-04 09:00")),
        (at("2025-03-04 10:00"), at("2025-03-04 11:00")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 15:00"), 3, pauses) == at("2025-03-04 12:00")


# --- working days, given dates or datetimes ----------------------------------------------


def test_working_days_between_two_datetimes_counts_their_dates():
    start, end = at("2025-03-07 16:00"), at("2025-03-10 09:00")  # Friday afternoon, Monday
    assert working_days_between(PLAIN, start, end) == 1


def test_working_days_between_a_datetime_and_a_date_counts_their_dates():
    assert working_days_between(PLAIN, at("2025-03-03 23:59"), date(2025, 3, 5)) == 2
    assert working_days_between(PLAIN, date(2025, 3, 3), at("2025-03-05 00:01")) == 2


def test_working_days_between_counts_the_last_day_when_it_is_a_working_day():
    assert working_days_between(PLAIN, date(2025, 3, 6), date(2025, 3, 7)) == 1


def test_add_working_days_from_a_datetime_on_a_friday_is_monday():
    assert add_working_days(PLAIN, at("2025-03-07 08:00"), 1) == date(2025, 3, 10)


# --- bounded whatever the input ----------------------------------------------------------


def _open_only_after(first_open: date, days_closed: int) -> WorkingCalendar:
    """Open every day, except that the `days_closed` days from `first_open` are closed."""
    closed = {first_open + timedelta(days=i) for i in range(days_closed)}
    return WorkingCalendar(working_days=range(7), closed_dates=closed)


def test_a_desk_closed_for_over_a_century_refuses_a_due_time_instead_of_hanging():
    cal = _open_only_after(date(2025, 3, 3), HORIZON_DAYS + 1)
    with pytest.raises(ValueError, match="calendar days"):
        add_working_hours(cal, at("2025-03-03 09:00"), 1)


def test_a_desk_that_opens_on_the_last_day_looked_at_gives_that_day():
    cal = _open_only_after(date(2025, 3, 3), HORIZON_DAYS)
    opening = datetime.combine(date(2025, 3, 3) + timedelta(days=HORIZON_DAYS), time(8))
    assert add_working_hours(cal, at("2025-03-03 09:00"), 1) == opening + timedelta(hours=1)


def test_adding_working_days_refuses_a_desk_closed_for_over_a_century():
    cal = _open_only_after(date(2025, 3, 4), HORIZON_DAYS)
    with pytest.raises(ValueError, match="calendar days"):
        add_working_days(cal, date(2025, 3, 3), 1)


def test_adding_working_days_finds_a_day_exactly_at_the_horizon():
    cal = _open_only_after(date(2025, 3, 4), HORIZON_DAYS - 1)
    expected = date(2025, 3, 3) + timedelta(days=HORIZON_DAYS)
    assert add_working_days(cal, date(2025, 3, 3), 1) == expected


def test_working_time_over_more_than_a_century_is_refused():
    end = at("2025-03-03 09:00") + timedelta(days=HORIZON_DAYS + 2)
    with pytest.raises(ValueError, match="calendar days"):
        working_hours_between(PLAIN, at("2025-03-03 09:00"), end)


def test_working_days_over_more_than_a_century_are_refused():
    start = date(2025, 3, 3)
    with pytest.raises(ValueError, match="calendar days"):
        working_days_between(PLAIN, start, start + timedelta(days=HORIZON_DAYS + 1))
    assert working_days_between(PLAIN, start, start + timedelta(days=HORIZON_DAYS)) > 0


def test_a_school_holiday_of_over_a_century_is_refused():
    first = date(2025, 3, 3)
    with pytest.raises(ValueError, match="calendar days"):
        build_calendar(country=None, school_holidays=[(first, first + timedelta(HORIZON_DAYS + 1))])
    cal = build_calendar(country=None, school_holidays=[(first, first + timedelta(HORIZON_DAYS))])
    assert not cal.is_working_day(first + timedelta(HORIZON_DAYS))


# --- which input the clock refuses -------------------------------------------------------


def test_zero_hours_exactly_at_closing_is_due_at_next_opening():
    assert add_working_hours(PLAIN, at("2025-03-03 17:00"), 0) == at("2025-03-04 08:00")


def test_zero_hours_in_a_with_customer_spell_ending_at_closing_is_due_next_morning():
    pauses = [(at("2025-03-03 16:00"), at("2025-03-03 17:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 16:30"), 0, pauses) == at("2025-03-04 08:00")


@pytest.mark.parametrize(
    ("call", "blamed"),
    [
        (lambda aware: add_working_hours(PLAIN, aware, 1), "The start"),
        (lambda aware: working_hours_between(PLAIN, aware, at("2025-03-03 12:00")), "The start"),
        (lambda aware: working_hours_between(PLAIN, at("2025-03-03 09:00"), aware), "The end"),
        (
            lambda aware: add_working_hours(
                PLAIN, at("2025-03-03 09:00"), 1, [(aware, at("2025-03-03 11:00"))]
            ),
            "The pause start",
        ),
        (
            lambda aware: add_working_hours(
                PLAIN, at("2025-03-03 09:00"), 1, [(at("2025-03-03 09:00"), aware)]
            ),
            "The pause end",
        ),
    ],
)
def test_a_timezone_aware_time_is_refused_naming_which_one(call, blamed):
    from datetime import UTC

    with pytest.raises(ValueError, match=f"^{blamed} must be a naive"):
        call(datetime(2025, 3, 3, 10, tzinfo=UTC))


def test_timezone_aware_text_is_refused_as_a_time():
    from kit.rules.clock import as_datetime

    with pytest.raises(ValueError, match="^The time must be a naive"):
        as_datetime("2025-03-03T09:30:00+01:00")
