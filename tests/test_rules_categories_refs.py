"""What a category implies, and call references read over the phone: pure rules, no Flask."""

from __future__ import annotations

from datetime import datetime

import pytest

from kit.rules.categories import (
    CALL_TYPES,
    Implications,
    due_times,
    implied_by,
    teaching_space_summary,
)
from kit.rules.clock import WorkingCalendar
from kit.rules.refs import format_ref, normalise_ref, parse_ref

PLAIN = WorkingCalendar()  # Monday to Friday, 08:00-17:00
PROJECTOR = {"call_type": "Maintenance", "group_id": 3}
STANDARD = {"id": 2, "respond_hours": "4", "resolve_hours": 16}


# --- categories ----------------------------------------------------------------------


def test_call_types_are_incident_maintenance_request_in_the_procedures_order():
    assert CALL_TYPES == ("Incident", "Maintenance", "Request")


def test_a_category_sets_the_type_group_and_response_level():
    assert implied_by(PROJECTOR, STANDARD) == Implications(
        call_type="Maintenance",
        type_rank=1,
        group_id=3,
        response_level_id=2,
        respond_hours=4.0,
        resolve_hours=16.0,
    )


def test_response_hours_stored_as_text_are_read_as_numbers():
    implied = implied_by(PROJECTOR, {"id": 1, "respond_hours": "0.5", "resolve_hours": "2"})
    assert (implied.respond_hours, implied.resolve_hours) == (0.5, 2.0)


def test_a_category_of_an_unknown_type_is_refused():
    with pytest.raises(KeyError):
        implied_by({"call_type": "Wish", "group_id": 3}, STANDARD)


def test_response_and_resolution_are_due_in_working_hours_from_logging():
    logged = datetime(2025, 3, 3, 9, 0)  # a Monday
    respond_by, resolve_by = due_times(PLAIN, logged, implied_by(PROJECTOR, STANDARD))
    assert respond_by == datetime(2025, 3, 3, 13, 0)
    assert resolve_by == datetime(2025, 3, 4, 16, 0)  # 8 hours on Monday, 8 on Tuesday


def test_a_call_logged_on_friday_afternoon_is_due_on_monday():
    logged = datetime(2025, 3, 7, 15, 0)
    respond_by, _ = due_times(PLAIN, logged, implied_by(PROJECTOR, STANDARD))
    assert respond_by == datetime(2025, 3, 10, 10, 0)


def test_a_teaching_space_summary_names_the_site_building_and_room():
    summary = teaching_space_summary("Main site", "Science block", "S4")
    assert summary == "Teaching space – Main site – Science block – S4"


# --- references ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "seq", "ref"),
    [
        (2026, 1, "26-0001"),
        (2026, 42, "26-0042"),
        (2026, 9999, "26-9999"),
        (2026, 10000, "26-10000"),  # grows past four digits
        (2100, 7, "00-0007"),
        (2009, 3, "09-0003"),
    ],
)
def test_a_reference_is_the_two_digit_year_and_the_sequence(year, seq, ref):
    assert format_ref(year, seq) == ref


@pytest.mark.parametrize("seq", [0, -1])
def test_sequence_numbers_start_at_one(seq):
    with pytest.raises(ValueError):
        format_ref(2026, seq)


@pytest.mark.parametrize(
    "typed",
    ["26-0042", "26 42", "26/42", "2642", "26-42", " 26 - 0042 ", "26 0042", "26-000000042"],
)
def test_a_reference_is_read_as_it_is_heard(typed):
    assert parse_ref(typed) == (26, 42)


@pytest.mark.parametrize(
    "typed",
    [
        None,
        "",
        "   ",
        "26",
        "26-",
        "abc",
        "x26-0042",
        "26-0042x",
        "26-1234567890",
        "2-0042",
        "26--42",
    ],
)
def test_text_that_is_not_a_reference_is_not_read_as_one(typed):
    assert parse_ref(typed) is None


def test_a_long_sequence_of_nine_digits_is_still_a_reference():
    assert parse_ref("26-123456789") == (26, 123456789)


@pytest.mark.parametrize(("typed", "stored"), [("26 42", "26-0042"), ("09/7", "09-0007")])
def test_a_typed_reference_is_stored_in_the_printed_form(typed, stored):
    assert normalise_ref(typed) == stored


def test_text_that_is_not_a_reference_has_no_stored_form():
    assert normalise_ref("printer") is None
    assert normalise_ref(None) is None
