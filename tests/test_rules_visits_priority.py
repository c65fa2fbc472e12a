"""Visit days and priority in school terms: pure rules, no Flask."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kit.rules import priority, visits


def test_visit_pattern_reads_weekday_names_and_dates():
    p = visits.parse_pattern("Tuesdays, fri, 2026-12-03")
    assert p.weekdays == {1, 4}
    assert p.dates == {date(2026, 12, 3)}


def test_visit_pattern_names_the_part_it_cannot_read():
    with pytest.raises(ValueError, match="Funday"):
        visits.parse_pattern("Tuesday, Funday")


def test_next_visit_is_the_next_matching_weekday():
    p = visits.parse_pattern("Tuesday, Friday")
    assert visits.next_visit(p, date(2026, 11, 23)) == date(2026, 11, 24)  # Monday -> Tuesday
    assert visits.next_visit(p, date(2026, 11, 25)) == date(2026, 11, 27)  # Wednesday -> Friday


def test_next_visit_counts_today_when_today_is_a_visit_day():
    p = visits.parse_pattern("Monday")
    assert visits.next_visit(p, date(2026, 11, 23)) == date(2026, 11, 23)


def test_next_visit_skips_days_the_school_is_closed():
    p = visits.parse_pattern("Tuesday", closed=[date(2026, 11, 24)])
    assert visits.next_visit(p, date(2026, 11, 23)) == date(2026, 12, 1)


def test_a_one_off_date_is_a_visit():
    p = visits.parse_pattern("2026-12-09")
    assert visits.next_visit(p, date(2026, 11, 23)) == date(2026, 12, 9)


def test_no_visit_days_means_no_next_visit():
    assert visits.next_visit(visits.VisitPattern(), date(2026, 11, 23)) is None


def test_call_due_before_the_visit_is_flagged():
    assert visits.due_before_visit(datetime(2026, 11, 23, 15), date(2026, 11, 24))
    assert not visits.due_before_visit(datetime(2026, 11, 24, 15), date(2026, 11, 24))
    assert visits.due_before_visit(datetime(2026, 11, 24, 15), None)


def test_pattern_round_trips_through_text():
    p = visits.parse_pattern("Friday, Tuesday")
    assert visits.format_pattern(p) == "Tuesday, Friday"


def test_matrix_raises_a_whole_school_lesson_to_the_top():
    assert (
        priority.matrix_rank(priority.DEFAULT_MATRIX, "Whole school", "A lesson is happening now")
        == 1
    )


def test_matrix_never_lowers_the_category_level():
    assert priority.raised_rank(default_rank=1, matrix_rank_value=4) == 1
    assert priority.raised_rank(default_rank=3, matrix_rank_value=2) == 2
    assert priority.raised_rank(default_rank=3, matrix_rank_value=None) == 3


def test_edited_matrix_with_unknown_level_is_reported():
    matrix = {k: dict(v) for k, v in priority.DEFAULT_MATRIX.items()}
    matrix["One person"]["Can wait"] = 9
    problems = priority.validate_matrix(matrix, ranks=[1, 2, 3, 4])
    assert problems == ["“One person” / “Can wait” must be one of the response levels."]


def test_default_matrix_is_valid():
    assert priority.validate_matrix(priority.DEFAULT_MATRIX, ranks=[1, 2, 3, 4]) == []


def test_unknown_impact_is_refused():
    with pytest.raises(ValueError):
        priority.matrix_rank(priority.DEFAULT_MATRIX, "Galaxy", "Today")


def test_exam_period_raises_teaching_space_calls_to_the_top():
    periods = [(date(2027, 5, 10), date(2027, 6, 20))]
    assert (
        priority.special_day_rank(
            3,
            teaching_space=True,
            exam_room=False,
            today=date(2027, 5, 12),
            special_periods=periods,
        )
        == 1
    )


def test_outside_exam_period_the_level_stays():
    periods = [(date(2027, 5, 10), date(2027, 6, 20))]
    assert (
        priority.special_day_rank(
            3,
            teaching_space=True,
            exam_room=False,
            today=date(2027, 4, 12),
            special_periods=periods,
        )
        == 3
    )


def test_office_calls_are_not_raised_on_inspection_day():
    periods = [(date(2027, 3, 2), date(2027, 3, 2))]
    assert (
        priority.special_day_rank(
            3,
            teaching_space=False,
            exam_room=False,
            today=date(2027, 3, 2),
            special_periods=periods,
        )
        == 3
    )


def test_an_empty_part_in_a_visit_pattern_is_skipped_not_the_rest():
    assert visits.parse_pattern("Tuesday,, Friday").weekdays == {1, 4}


def test_visit_days_may_be_separated_by_semicolons():
    assert visits.parse_pattern("Tuesday; Friday").weekdays == {1, 4}
    assert visits.parse_pattern("Tue;2026-12-03").dates == {date(2026, 12, 3)}


def test_a_call_with_no_response_time_can_wait_for_the_visit():
    assert not visits.due_before_visit(None, date(2026, 11, 24))
    assert not visits.due_before_visit(None, None)


def test_a_one_off_visit_up_to_a_year_ahead_is_found():
    after = date(2026, 11, 23)
    in_a_year = date(2027, 11, 23)  # 365 days on, the last day looked at
    assert visits.next_visit(visits.parse_pattern("2027-11-23"), after) == in_a_year
    assert visits.next_visit(visits.parse_pattern("2027-11-24"), after) is None


def test_a_teaching_space_call_goes_to_the_top_on_a_one_day_inspection():
    inspection = [(date(2027, 3, 2), date(2027, 3, 2))]
    rank = priority.special_day_rank(
        3, teaching_space=True, exam_room=False, today=date(2027, 3, 2), special_periods=inspection
    )
    assert rank == 1


@pytest.mark.parametrize("today", [date(2027, 5, 10), date(2027, 6, 20)])
def test_an_exam_room_call_goes_to_the_top_on_the_first_and_last_day_of_exams(today):
    exams = [(date(2027, 5, 10), date(2027, 6, 20))]
    rank = priority.special_day_rank(
        4, teaching_space=False, exam_room=True, today=today, special_periods=exams
    )
    assert rank == 1


@pytest.mark.parametrize("today", [date(2027, 5, 9), date(2027, 6, 21)])
def test_the_day_before_and_after_an_exam_period_are_ordinary_days(today):
    assert not priority.special_day(today, [(date(2027, 5, 10), date(2027, 6, 20))])


def test_a_missing_row_in_the_matrix_is_reported_with_the_bad_values_after_it():
    matrix = {k: dict(v) for k, v in priority.DEFAULT_MATRIX.items()}
    del matrix["Whole school"]
    matrix["One person"]["Today"] = 0
    assert priority.validate_matrix(matrix, ranks=[1, 2, 3, 4]) == [
        "The row “Whole school” is missing.",
        "“One person” / “Today” must be one of the response levels.",
    ]


@pytest.mark.parametrize("default", [1, 3, 4])
def test_a_safeguarding_concern_goes_to_the_top_whatever_its_level(default):
    assert priority.override_rank(default, safeguarding=True) == 1
    assert priority.override_rank(default, safeguarding=True, top_rank=0) == 0


def test_a_call_that_is_not_a_safeguarding_concern_keeps_its_level():
    assert priority.override_rank(3, safeguarding=False) == 3


@pytest.mark.parametrize(
    ("rank", "start"),
    [
        (4, ("One person", "Can wait")),
        (3, ("One person", "Today")),
        (2, ("One person", "A lesson is happening now")),
        (1, ("A class or department", "A lesson is happening now")),
    ],
)
def test_the_raise_form_starts_at_the_mildest_impact_and_urgency_giving_the_calls_level(
    rank, start
):
    assert priority.starting_values(priority.DEFAULT_MATRIX, rank) == start


@pytest.mark.parametrize("rank", [None, 9])
def test_the_raise_form_starts_at_the_mildest_cell_for_a_level_the_matrix_never_gives(rank):
    assert priority.starting_values(priority.DEFAULT_MATRIX, rank) == ("One person", "Can wait")


def test_the_raise_form_reads_a_matrix_with_a_missing_row():
    matrix = {k: dict(v) for k, v in priority.DEFAULT_MATRIX.items() if k != "One person"}
    assert priority.starting_values(matrix, 3) == ("A class or department", "Can wait")
