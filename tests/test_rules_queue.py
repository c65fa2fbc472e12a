"""The queue order from the procedure, and the words for how soon a call is due."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from kit.rules.clock import WorkingCalendar
from kit.rules.queue import (
    DUE_SOON,
    ON_TIME,
    OVERDUE,
    TYPE_RANK,
    due_state,
    queue_key,
    sort_queue,
)

PLAIN = WorkingCalendar()  # Monday to Friday, 08:00-17:00
NOW = datetime(2025, 3, 4, 10, 0)  # a Tuesday morning


def call(ref: str, call_type: str = "Incident", due_at=None, logged_at="2025-03-03T09:00:00"):
    return {"ref": ref, "call_type": call_type, "due_at": due_at, "logged_at": logged_at}


def refs(calls) -> list[str]:
    return [c["ref"] for c in calls]


# --- queue order ---------------------------------------------------------------------


def test_type_ranks_are_incident_maintenance_request():
    assert TYPE_RANK == {"Incident": 0, "Maintenance": 1, "Request": 2}


def test_incident_comes_before_maintenance_before_request():
    calls = [call("R", "Request"), call("M", "Maintenance"), call("I", "Incident")]
    assert refs(sort_queue(calls)) == ["I", "M", "R"]


def test_type_outranks_an_earlier_due_time():
    calls = [
        call("R", "Request", due_at="2025-03-03T10:00:00"),
        call("I", "Incident", due_at="2025-03-05T10:00:00"),
    ]
    assert refs(sort_queue(calls)) == ["I", "R"]


def test_within_a_type_the_earliest_due_comes_first():
    calls = [
        call("later", due_at="2025-03-04T15:00:00"),
        call("sooner", due_at="2025-03-04T11:00:00"),
    ]
    assert refs(sort_queue(calls)) == ["sooner", "later"]


def test_call_without_a_due_time_comes_after_calls_with_one():
    calls = [call("none"), call("due", due_at="2025-12-31T17:00:00")]
    assert refs(sort_queue(calls)) == ["due", "none"]


def test_oldest_logged_comes_first_when_due_times_are_equal():
    due = "2025-03-04T12:00:00"
    calls = [
        call("newer", due_at=due, logged_at="2025-03-03T11:00:00"),
        call("older", due_at=due, logged_at="2025-03-03T08:30:00"),
    ]
    assert refs(sort_queue(calls)) == ["older", "newer"]


def test_oldest_logged_comes_first_when_neither_has_a_due_time():
    calls = [
        call("newer", logged_at="2025-03-03T11:00:00"),
        call("older", logged_at="2025-03-01T08:30:00"),
    ]
    assert refs(sort_queue(calls)) == ["older", "newer"]


def test_datetimes_and_iso_text_sort_together():
    calls = [
        call("text", due_at="2025-03-04T12:00:00"),
        call("datetime", due_at=datetime(2025, 3, 4, 11, 0)),
        call("spaced text", due_at="2025-03-04 11:30"),
    ]
    assert refs(sort_queue(calls)) == ["datetime", "spaced text", "text"]


def test_empty_due_text_counts_as_no_due_time():
    calls = [call("empty", due_at=""), call("due", due_at="2025-03-04T12:00:00")]
    assert refs(sort_queue(calls)) == ["due", "empty"]


def test_unknown_call_type_sorts_after_requests():
    calls = [call("odd", "Project"), call("R", "Request")]
    assert refs(sort_queue(calls)) == ["R", "odd"]


def test_call_missing_its_keys_still_sorts_last():
    calls = [{"ref": "bare"}, call("I")]
    assert refs(sort_queue(calls)) == ["I", "bare"]


def test_sort_queue_returns_a_new_list_and_leaves_the_input_alone():
    calls = [call("R", "Request"), call("I")]
    result = sort_queue(calls)
    assert refs(calls) == ["R", "I"]
    assert result is not calls


def test_sort_queue_keeps_the_given_order_for_identical_calls():
    calls = [call("first"), call("second"), call("third")]
    assert refs(sort_queue(calls)) == ["first", "second", "third"]


def test_sort_queue_accepts_any_iterable():
    assert refs(sort_queue(c for c in [call("R", "Request"), call("I")])) == ["I", "R"]


def test_queue_key_reads_a_sqlite_row():
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    row = db.execute(
        "select 'Maintenance' as call_type, '2025-03-04T12:00:00' as due_at, "
        "'2025-03-03T09:00:00' as logged_at"
    ).fetchone()
    assert queue_key(row) == queue_key(
        call("x", "Maintenance", due_at="2025-03-04T12:00:00", logged_at="2025-03-03T09:00:00")
    )


def test_queue_key_for_a_sqlite_row_without_a_due_column_puts_it_last_in_its_type():
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    row = db.execute("select 'Incident' as call_type").fetchone()
    assert queue_key(row)[:2] == (0, True)


# --- how soon a call is due ----------------------------------------------------------


def test_due_state_words_are_plain_words():
    assert (OVERDUE, DUE_SOON, ON_TIME) == ("overdue", "due soon", "on time")


@pytest.mark.parametrize("due_at", [None, ""])
def test_call_without_a_due_time_has_no_due_state(due_at):
    assert due_state(due_at, NOW) == ""


def test_call_past_its_due_time_is_overdue():
    assert due_state(datetime(2025, 3, 4, 9, 59), NOW) == "overdue"


def test_call_at_exactly_its_due_time_is_not_yet_overdue():
    assert due_state(NOW, NOW) == "due soon"


def test_call_due_within_the_hour_is_due_soon():
    assert due_state(datetime(2025, 3, 4, 10, 45), NOW) == "due soon"


def test_call_due_exactly_an_hour_away_is_due_soon():
    assert due_state(datetime(2025, 3, 4, 11, 0), NOW) == "due soon"


def test_call_due_later_is_on_time():
    assert due_state(datetime(2025, 3, 4, 11, 1), NOW) == "on time"


def test_due_soon_threshold_can_be_widened():
    assert due_state(datetime(2025, 3, 4, 13, 0), NOW, soon_hours=4) == "due soon"


def test_due_state_reads_a_due_time_stored_as_text():
    assert due_state("2025-03-04T09:00:00", NOW) == "overdue"


def test_due_first_thing_monday_is_due_soon_at_fridays_close_on_the_working_clock():
    friday = datetime(2025, 3, 7, 16, 30)
    monday = datetime(2025, 3, 10, 8, 30)
    assert due_state(monday, friday, cal=PLAIN) == "due soon"


def test_due_first_thing_monday_is_on_time_at_fridays_close_on_the_plain_clock():
    friday = datetime(2025, 3, 7, 16, 30)
    monday = datetime(2025, 3, 10, 8, 30)
    assert due_state(monday, friday) == "on time"


def test_due_later_on_monday_is_on_time_at_fridays_close_on_the_working_clock():
    friday = datetime(2025, 3, 7, 16, 0)
    monday = datetime(2025, 3, 10, 10, 0)
    assert due_state(monday, friday, cal=PLAIN) == "on time"


def test_call_due_on_friday_is_overdue_over_the_weekend_on_the_working_clock():
    saturday = datetime(2025, 3, 8, 12, 0)
    assert due_state(datetime(2025, 3, 7, 16, 0), saturday, cal=PLAIN) == "overdue"


def test_due_state_refuses_a_negative_threshold():
    with pytest.raises(ValueError, match="soon_hours"):
        due_state(NOW, NOW, soon_hours=-1)


def test_with_no_due_soon_warning_a_call_is_on_time_until_its_due_moment():
    assert due_state(datetime(2025, 3, 4, 10, 1), NOW, soon_hours=0) == "on time"
    assert due_state(NOW, NOW, soon_hours=0) == "due soon"
