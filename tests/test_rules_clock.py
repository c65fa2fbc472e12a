"""The working-day clock: due times and elapsed working time in school hours.

Dates are real: in England 2025, Good Friday is 18 April, Easter Monday 21 April, Christmas
Day Thursday 25 December, Boxing Day Friday 26 December; the clocks go forward on Sunday
30 March and back on Sunday 26 October. 3 March 2025 is a Monday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from kit.rules.calendar import build_calendar
from kit.rules.clock import (
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    as_datetime,
    working_days_between,
    working_hours_between,
)

PLAIN = WorkingCalendar()  # Monday to Friday, 08:00-17:00, no closed dates
ENGLAND = build_calendar(years=[2022, 2024, 2025, 2026])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- the calendar --------------------------------------------------------------------


def test_weekday_is_a_working_day():
    assert PLAIN.is_working_day(date(2025, 3, 3))


@pytest.mark.parametrize("day", [date(2025, 3, 8), date(2025, 3, 9)])
def test_weekend_day_is_not_a_working_day(day):
    assert not PLAIN.is_working_day(day)


def test_closed_date_is_not_a_working_day():
    cal = WorkingCalendar(closed_dates=frozenset({date(2025, 3, 3)}))
    assert not cal.is_working_day(date(2025, 3, 3))


def test_is_working_day_takes_a_datetime_as_its_date():
    cal = WorkingCalendar(closed_dates=frozenset({date(2025, 3, 3)}))
    assert not cal.is_working_day(at("2025-03-03 10:00"))


def test_calendar_accepts_working_days_as_a_tuple():
    cal = WorkingCalendar(working_days=(0, 1, 2))
    assert cal.working_days == frozenset({0, 1, 2})
    assert hash(cal) == hash(WorkingCalendar(working_days=frozenset({0, 1, 2})))


def test_calendar_refuses_a_day_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="start before it ends"):
        WorkingCalendar(day_start=time(17), day_end=time(8))


def test_calendar_refuses_no_working_days():
    with pytest.raises(ValueError, match="at least one working day"):
        WorkingCalendar(working_days=frozenset())


def test_calendar_refuses_weekday_numbers_outside_monday_to_sunday():
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        WorkingCalendar(working_days=frozenset({1, 7}))


def test_hours_per_day_is_the_length_of_the_opening_hours():
    assert WorkingCalendar(day_start=time(8, 30), day_end=time(16)).hours_per_day == 7.5


# --- building a calendar -------------------------------------------------------------


@pytest.mark.parametrize(
    "holiday",
    [
        date(2025, 12, 25),  # Christmas Day
        date(2025, 12, 26),  # Boxing Day
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2025, 5, 5),  # Early May bank holiday
        date(2026, 1, 1),  # New Year's Day
    ],
)
def test_england_calendar_closes_on_bank_holidays(holiday):
    assert not ENGLAND.is_working_day(holiday)


def test_england_calendar_closes_on_a_substitute_bank_holiday():
    # Christmas 2022 fell on a Sunday; Tuesday 27 December was the substitute day.
    assert not ENGLAND.is_working_day(date(2022, 12, 27))


def test_england_calendar_keeps_an_ordinary_weekday_open():
    assert ENGLAND.is_working_day(date(2025, 12, 29))


def test_scotland_calendar_closes_on_the_second_of_january():
    scotland = build_calendar(subdivision="SCT", years=[2025])
    assert not scotland.is_working_day(date(2025, 1, 2))
    assert ENGLAND.is_working_day(date(2025, 1, 2))


def test_public_holidays_are_only_loaded_for_the_years_asked_for():
    only_2025 = build_calendar(years=[2025])
    assert only_2025.is_working_day(date(2024, 12, 25))


def test_school_holiday_range_is_closed_on_both_end_dates():
    cal = build_calendar(country=None, school_holidays=[(date(2025, 2, 17), date(2025, 2, 21))])
    assert not cal.is_working_day(date(2025, 2, 17))
    assert not cal.is_working_day(date(2025, 2, 21))


def test_day_after_a_school_holiday_is_a_working_day():
    cal = build_calendar(country=None, school_holidays=[(date(2025, 2, 17), date(2025, 2, 21))])
    assert cal.is_working_day(date(2025, 2, 24))


def test_one_day_school_holiday_closes_that_day_only():
    cal = build_calendar(country=None, school_holidays=[(date(2025, 3, 4), date(2025, 3, 4))])
    assert not cal.is_working_day(date(2025, 3, 4))
    assert cal.is_working_day(date(2025, 3, 5))


def test_school_holiday_years_also_load_that_years_bank_holidays():
    cal = build_calendar(school_holidays=[(date(2025, 2, 17), date(2025, 2, 21))])
    assert not cal.is_working_day(date(2025, 4, 21))


def test_school_holiday_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="must not end before it starts"):
        build_calendar(country=None, school_holidays=[(date(2025, 2, 21), date(2025, 2, 17))])


def test_unknown_country_is_refused_with_its_code_in_the_message():
    with pytest.raises(ValueError, match="'XX'"):
        build_calendar(country="XX", subdivision=None, years=[2025])


def test_unknown_subdivision_is_refused_with_its_code_in_the_message():
    with pytest.raises(ValueError, match="'NOWHERE'"):
        build_calendar(country="GB", subdivision="NOWHERE", years=[2025])


def test_country_without_any_year_to_load_is_refused():
    with pytest.raises(ValueError, match="years="):
        build_calendar()


def test_the_public_holidays_of_the_same_years_are_computed_once_per_process():
    from kit.rules import calendar

    calendar._public_holidays_of.cache_clear()
    first = build_calendar(years=[2025, 2026])
    second = build_calendar(years=[2026, 2025])  # the same years, in another order
    info = calendar._public_holidays_of.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert first == second and not first.is_working_day(date(2025, 12, 25))


def test_no_country_means_no_public_holidays():
    cal = build_calendar(country=None)
    assert cal.is_working_day(date(2025, 12, 25))


def test_build_calendar_uses_the_given_days_and_hours():
    cal = build_calendar(
        working_days=(0, 1, 2, 3), day_start=time(7, 30), day_end=time(15), country=None
    )
    assert (cal.working_days, cal.day_start, cal.day_end) == (
        frozenset({0, 1, 2, 3}),
        time(7, 30),
        time(15),
    )


# --- due times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        ("2025-03-03 09:00", 2, "2025-03-03 11:00"),  # same day
        ("2025-03-03 16:00", 2, "2025-03-04 09:00"),  # over midnight
        ("2025-03-07 16:00", 2, "2025-03-10 09:00"),  # over the weekend
        ("2025-03-03 06:30", 1, "2025-03-03 09:00"),  # before opening
        ("2025-03-03 18:00", 1, "2025-03-04 09:00"),  # after closing
        ("2025-03-03 17:00", 1, "2025-03-04 09:00"),  # exactly at closing
        ("2025-03-08 12:00", 1, "2025-03-10 09:00"),  # on a Saturday
        ("2025-03-03 08:00", 9, "2025-03-03 17:00"),  # exactly one day
        ("2025-03-03 08:00", 45, "2025-03-07 17:00"),  # exactly one week
        ("2025-03-03 08:00", 46, "2025-03-10 09:00"),  # one week and an hour
    ],
)
def test_due_time_counts_only_working_hours(start, hours, due):
    assert add_working_hours(PLAIN, at(start), hours) == at(due)


def test_due_time_that_uses_the_rest_of_the_day_is_closing_time_not_next_morning():
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 8) == at("2025-03-03 17:00")


def test_due_time_skips_christmas_and_boxing_day():
    due = add_working_hours(ENGLAND, at("2025-12-24 16:00"), 2)
    assert due == at("2025-12-29 09:00")


def test_due_time_skips_boxing_day():
    # 2024: Christmas is a Wednesday, Boxing Day a Thursday; Friday 27th is open.
    assert add_working_hours(ENGLAND, at("2024-12-24 16:30"), 1) == at("2024-12-27 08:30")


def test_due_time_skips_good_friday_and_easter_monday():
    assert add_working_hours(ENGLAND, at("2025-04-17 16:00"), 2) == at("2025-04-22 09:00")


def test_due_time_skips_a_school_half_term():
    cal = build_calendar(country=None, school_holidays=[(date(2025, 2, 17), date(2025, 2, 21))])
    assert add_working_hours(cal, at("2025-02-14 16:00"), 3) == at("2025-02-24 10:00")


def test_due_time_runs_across_the_break_between_terms():
    easter_break = (date(2025, 4, 7), date(2025, 4, 21))
    cal = build_calendar(years=[2025], school_holidays=[easter_break])
    assert add_working_hours(cal, at("2025-04-04 15:00"), 4) == at("2025-04-22 10:00")


def test_zero_hours_during_working_time_is_due_at_once():
    assert add_working_hours(PLAIN, at("2025-03-03 10:15"), 0) == at("2025-03-03 10:15")


def test_zero_hours_outside_working_time_is_due_at_next_opening():
    assert add_working_hours(PLAIN, at("2025-03-08 10:00"), 0) == at("2025-03-10 08:00")


@pytest.mark.parametrize(
    ("hours", "due"),
    [
        (1.25, "2025-03-03 10:15"),
        (0.5, "2025-03-03 09:30"),
        (1 / 60, "2025-03-03 09:01"),
        (8.75, "2025-03-04 08:45"),
    ],
)
def test_fractional_hours_count_in_minutes(hours, due):
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), hours) == at(due)


@pytest.mark.parametrize("hours", [-1, float("nan"), float("inf")])
def test_due_time_refuses_hours_that_are_negative_or_not_finite(hours):
    with pytest.raises(ValueError, match="finite number >= 0"):
        add_working_hours(PLAIN, at("2025-03-03 09:00"), hours)


def test_due_time_refuses_a_timezone_aware_start():
    with pytest.raises(ValueError, match="naive local wall-clock"):
        add_working_hours(PLAIN, datetime(2025, 3, 3, 9, tzinfo=UTC), 1)


def test_many_hundreds_of_hours_come_out_exact():
    due = add_working_hours(PLAIN, at("2025-03-03 08:00"), 1000)
    # 1000 hours = 111 nine-hour days + 1 hour; day 112 is Tuesday 5 August 2025.
    assert due == at("2025-08-05 09:00")


def test_due_time_skips_whole_days_instead_of_stepping_through_minutes():
    asked: list[date] = []

    class CountingCalendar(WorkingCalendar):
        def is_working_day(self, d: date) -> bool:
            asked.append(d)
            return super().is_working_day(d)

    add_working_hours(CountingCalendar(), at("2025-03-03 08:00"), 1000)
    assert len(asked) <= 160  # 156 calendar days, asked about once each


# --- pauses (With Customer) ----------------------------------------------------------


def test_pause_during_working_time_moves_the_due_time_later():
    pauses = [(at("2025-03-03 10:00"), at("2025-03-03 11:30"))]
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 2, pauses) == at("2025-03-03 12:30")


def test_pause_outside_working_time_does_not_move_the_due_time():
    pauses = [(at("2025-03-03 17:30"), at("2025-03-04 07:45"))]
    assert add_working_hours(PLAIN, at("2025-03-03 16:00"), 2, pauses) == at("2025-03-04 09:00")


def test_pause_over_a_weekend_only_stops_the_working_hours():
    pauses = [(at("2025-03-07 16:00"), at("2025-03-10 09:00"))]
    assert add_working_hours(PLAIN, at("2025-03-07 15:00"), 2, pauses) == at("2025-03-10 10:00")


def test_several_pauses_all_stop_the_clock():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 10:00")),
        (at("2025-03-03 11:00"), at("2025-03-03 12:00")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 3, pauses) == at("2025-03-03 13:00")


def test_pauses_on_different_days_each_stop_the_clock():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 10:00")),
        (at("2025-03-04 09:00"), at("2025-03-04 10:00")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 12, pauses) == at("2025-03-04 13:00")


def test_overlapping_pauses_are_counted_once():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 11:00")),
        (at("2025-03-03 10:00"), at("2025-03-03 12:00")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 2, pauses) == at("2025-03-03 13:00")


def test_pauses_given_out_of_order_are_sorted():
    pauses = [
        (at("2025-03-03 11:00"), at("2025-03-03 12:00")),
        (at("2025-03-03 09:00"), at("2025-03-03 10:00")),
    ]
    assert add_working_hours(PLAIN, at("2025-03-03 08:00"), 3, pauses) == at("2025-03-03 13:00")


def test_start_inside_a_pause_counts_from_the_end_of_the_pause():
    pauses = [(at("2025-03-03 08:00"), at("2025-03-03 10:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 1, pauses) == at("2025-03-03 11:00")


def test_pause_that_ended_before_the_start_is_ignored():
    pauses = [(at("2025-03-03 08:00"), at("2025-03-03 09:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 10:00"), 1, pauses) == at("2025-03-03 11:00")


def test_pause_that_ends_before_it_starts_is_ignored():
    pauses = [(at("2025-03-03 12:00"), at("2025-03-03 10:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 2, pauses) == at("2025-03-03 11:00")


def test_due_time_that_lands_on_a_pause_start_is_that_instant():
    pauses = [(at("2025-03-03 11:00"), at("2025-03-03 12:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 09:00"), 2, pauses) == at("2025-03-03 11:00")


def test_pause_covering_several_days_skips_them():
    pauses = [(at("2025-03-03 12:00"), at("2025-03-05 12:00"))]
    assert add_working_hours(PLAIN, at("2025-03-03 11:00"), 2, pauses) == at("2025-03-05 13:00")


def test_due_time_refuses_a_timezone_aware_pause():
    pauses = [(datetime(2025, 3, 3, 10, tzinfo=UTC), at("2025-03-03 11:00"))]
    with pytest.raises(ValueError, match="naive"):
        add_working_hours(PLAIN, at("2025-03-03 09:00"), 2, pauses)


# --- clock changes (British Summer Time) ---------------------------------------------


def test_due_time_across_the_spring_clock_change_is_in_wall_clock_hours():
    # The clocks went forward at 01:00 on Sunday 30 March 2025; Monday still opens at 08:00.
    assert add_working_hours(ENGLAND, at("2025-03-28 16:00"), 3) == at("2025-03-31 10:00")


def test_due_time_across_the_autumn_clock_change_is_in_wall_clock_hours():
    # The clocks went back at 02:00 on Sunday 26 October 2025.
    assert add_working_hours(ENGLAND, at("2025-10-24 15:30"), 2.5) == at("2025-10-27 09:00")


def test_working_hours_across_the_spring_clock_change_are_wall_clock_hours():
    hours = working_hours_between(ENGLAND, at("2025-03-28 16:00"), at("2025-03-31 10:00"))
    assert hours == 3.0


def test_seven_day_desk_counts_a_full_day_on_the_clock_change_sunday():
    every_day = WorkingCalendar(working_days=frozenset(range(7)))
    hours = working_hours_between(every_day, at("2025-03-30 00:00"), at("2025-03-31 00:00"))
    assert hours == 9.0


# --- working time elapsed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2025-03-03 09:00", "2025-03-03 11:30", 2.5),  # within a day
        ("2025-03-03 16:00", "2025-03-04 09:00", 2.0),  # over midnight
        ("2025-03-07 16:00", "2025-03-10 09:00", 2.0),  # over the weekend
        ("2025-03-03 06:00", "2025-03-03 20:00", 9.0),  # a whole day and its edges
        ("2025-03-08 09:00", "2025-03-09 17:00", 0.0),  # all weekend
        ("2025-03-03 17:00", "2025-03-04 08:00", 0.0),  # all night
        ("2025-03-03 08:00", "2025-03-10 08:00", 45.0),  # a week
    ],
)
def test_working_hours_between_counts_only_working_hours(start, end, hours):
    assert working_hours_between(PLAIN, at(start), at(end)) == hours


@pytest.mark.parametrize(
    "end", ["2025-03-03 10:00", "2025-03-03 09:00"], ids=["same instant", "end before start"]
)
def test_working_hours_between_is_zero_unless_end_is_after_start(end):
    assert working_hours_between(PLAIN, at("2025-03-03 10:00"), at(end)) == 0.0


def test_working_hours_between_leaves_out_christmas_and_boxing_day():
    hours = working_hours_between(ENGLAND, at("2025-12-24 08:00"), at("2025-12-29 17:00"))
    assert hours == 18.0


def test_working_hours_between_leaves_out_a_pause():
    pauses = [(at("2025-03-03 10:00"), at("2025-03-03 12:00"))]
    hours = working_hours_between(PLAIN, at("2025-03-03 09:00"), at("2025-03-03 13:00"), pauses)
    assert hours == 2.0


def test_working_hours_between_ignores_a_pause_outside_working_time():
    pauses = [(at("2025-03-08 10:00"), at("2025-03-09 12:00"))]
    hours = working_hours_between(PLAIN, at("2025-03-07 16:00"), at("2025-03-10 09:00"), pauses)
    assert hours == 2.0


def test_working_hours_between_counts_overlapping_pauses_once():
    pauses = [
        (at("2025-03-03 09:00"), at("2025-03-03 11:00")),
        (at("2025-03-03 10:00"), at("2025-03-03 12:00")),
    ]
    hours = working_hours_between(PLAIN, at("2025-03-03 08:00"), at("2025-03-03 17:00"), pauses)
    assert hours == 6.0


def test_working_hours_between_leaves_out_a_pause_still_running_until_now():
    now = at("2025-03-04 12:00")
    pauses = [(at("2025-03-04 10:00"), now)]
    assert working_hours_between(PLAIN, at("2025-03-04 08:00"), now, pauses) == 2.0


@pytest.mark.parametrize(
    ("start", "hours"),
    [
        ("2025-03-03 09:00", 4),
        ("2025-03-07 16:45", 7.5),
        ("2025-12-23 13:10", 40),
        ("2025-04-17 08:00", 100),
        ("2025-03-08 03:00", 0.25),
    ],
)
def test_working_hours_between_undoes_add_working_hours(start, hours):
    pauses = [(at("2025-03-10 10:00"), at("2025-03-11 10:00"))]
    due = add_working_hours(ENGLAND, at(start), hours, pauses)
    assert working_hours_between(ENGLAND, at(start), due, pauses) == pytest.approx(hours)


def test_working_hours_between_refuses_a_timezone_aware_end():
    with pytest.raises(ValueError, match="naive"):
        working_hours_between(PLAIN, at("2025-03-03 09:00"), datetime(2025, 3, 3, 12, tzinfo=UTC))


# --- working days --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "result"),
    [
        (date(2025, 3, 3), 0, date(2025, 3, 3)),  # none
        (date(2025, 3, 3), 4, date(2025, 3, 7)),  # within the week
        (date(2025, 3, 6), 2, date(2025, 3, 10)),  # over the weekend
        (date(2025, 3, 8), 1, date(2025, 3, 10)),  # from a Saturday
        (date(2025, 3, 3), 5, date(2025, 3, 10)),  # one week
    ],
)
def test_add_working_days_skips_the_weekend(start, days, result):
    assert add_working_days(PLAIN, start, days) == result


def test_five_working_days_with_customer_skip_the_christmas_bank_holidays():
    # 29, 30, 31 December, then 1 January is closed, then 2 and 5 January.
    assert add_working_days(ENGLAND, date(2025, 12, 24), 5) == date(2026, 1, 5)


def test_add_working_days_takes_a_datetime_as_its_date():
    assert add_working_days(PLAIN, at("2025-03-07 16:00"), 1) == date(2025, 3, 10)


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(PLAIN, date(2025, 3, 3), -1)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2025, 3, 3), date(2025, 3, 7), 4),  # Monday to Friday
        (date(2025, 3, 7), date(2025, 3, 10), 1),  # Friday to Monday
        (date(2025, 3, 8), date(2025, 3, 9), 0),  # Saturday to Sunday
        (date(2025, 3, 3), date(2025, 3, 3), 0),  # same day
        (date(2025, 3, 7), date(2025, 3, 3), 0),  # end before start
    ],
)
def test_working_days_between_counts_days_after_start_up_to_end(start, end, days):
    assert working_days_between(PLAIN, start, end) == days


def test_working_days_between_leaves_out_bank_holidays():
    assert working_days_between(ENGLAND, date(2025, 12, 24), date(2026, 1, 2)) == 4


@pytest.mark.parametrize("days", [0, 1, 5, 20, 250])
def test_working_days_between_undoes_add_working_days(days):
    start = date(2025, 12, 20)
    assert working_days_between(ENGLAND, start, add_working_days(ENGLAND, start, days)) == days


# --- reading times -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025-03-03T09:30:00", "2025-03-03 09:30", " 2025-03-03 09:30 "])
def test_as_datetime_reads_iso_text(text):
    assert as_datetime(text) == datetime(2025, 3, 3, 9, 30)


@pytest.mark.parametrize("empty", [None, ""])
def test_as_datetime_reads_empty_as_not_set(empty):
    assert as_datetime(empty) is None


def test_as_datetime_takes_a_date_as_its_midnight():
    assert as_datetime(date(2025, 3, 3)) == datetime(2025, 3, 3)


def test_as_datetime_refuses_timezone_aware_text():
    with pytest.raises(ValueError, match="naive"):
        as_datetime("2025-03-03T09:30:00+00:00")


def test_as_datetime_refuses_a_number():
    with pytest.raises(TypeError, match="ISO string"):
        as_datetime(20250303)
