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
