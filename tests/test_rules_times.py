"""Times of day as a school office writes them, read into HH:MM."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.rules.times import MAX_LENGTH, parse_time_of_day, spoken


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("16:30", "16:30"),
        ("4.30pm", "16:30"),
        ("4:30 pm", "16:30"),
        ("4pm", "16:00"),
        ("4 p.m.", "16:00"),
        ("4.30 PM", "16:30"),
        ("8.30am", "08:30"),
        ("8.30", "08:30"),
        ("0830", "08:30"),
        ("830", "08:30"),
        ("16h30", "16:30"),
        ("16:30:00", "16:30"),
        ("  9:05 ", "09:05"),
        ("noon", "12:00"),
        ("Midday", "12:00"),
    ],
)
def test_common_ways_of_writing_a_time_are_read(typed, stored):
    assert parse_time_of_day(typed) == stored


def test_twelve_oclock_is_noon_with_pm_and_midnight_with_am():
    assert parse_time_of_day("12pm") == "12:00"
    assert parse_time_of_day("12.30am") == "00:30"
    assert parse_time_of_day("12:59 pm") == "12:59"


def test_the_edges_of_the_day_are_accepted():
    assert parse_time_of_day("00:00") == "00:00"
    assert parse_time_of_day("23:59") == "23:59"
    assert parse_time_of_day("1am") == "01:00"
    assert parse_time_of_day("11.59pm") == "23:59"


@pytest.mark.parametrize(
    "typed", ["", "24:00", "23:60", "13pm", "0am", "4.3pm", "4.75", "half four", "4:30 xm", "12345"]
)
def test_what_is_not_a_time_is_refused_with_an_example(typed):
    with pytest.raises(ValueError, match="16:30 or 4.30pm"):
        parse_time_of_day(typed)


def test_a_long_input_is_refused_after_reading_only_its_start():
    with pytest.raises(ValueError):
        parse_time_of_day("4" * 100_000)
    assert parse_time_of_day("4.30pm" + " " * (MAX_LENGTH - 6) + "garbage") == "16:30"


@given(st.integers(0, 23), st.integers(0, 59))
def test_spoken_times_read_back_to_the_same_time(hour, minute):
    hhmm = f"{hour:02d}:{minute:02d}"
    assert parse_time_of_day(spoken(hhmm)) == hhmm
    assert parse_time_of_day(hhmm) == hhmm


@given(st.text(max_size=30))
def test_any_text_is_a_time_or_a_plain_refusal(text):
    try:
        result = parse_time_of_day(text)
    except ValueError:
        return
    hour, minute = result.split(":")
    assert 0 <= int(hour) <= 23 and 0 <= int(minute) <= 59
