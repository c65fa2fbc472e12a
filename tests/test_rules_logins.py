"""Sign-in limits at their edges (kit/rules/logins.py): pure, no Flask."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kit.rules.logins import (
    MAX_NAME,
    account_key,
    failures_in_window,
    is_locked,
    lock_after_failure,
    seconds_left,
)

NOW = datetime(2026, 11, 23, 9, 30)
WINDOW = timedelta(minutes=15)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "typed", ["coordinator", " Coordinator", "COORDINATOR ", "\tcoordinator\n"]
)
def test_an_account_is_counted_however_its_name_is_typed(typed):
    assert account_key(typed) == "coordinator"


def test_no_user_name_is_counted_as_the_empty_name():
    assert account_key(None) == ""
    assert account_key("") == ""


def test_a_very_long_user_name_is_cut_to_the_longest_name_counted():
    assert account_key("a" * (MAX_NAME + 20)) == "a" * MAX_NAME
    assert MAX_NAME == 80


def test_a_failure_exactly_a_window_old_has_left_the_window():
    assert failures_in_window([ago(15)], NOW, WINDOW) == 0
    assert failures_in_window([ago(14.99)], NOW, WINDOW) == 1


def test_a_failure_at_this_moment_counts_but_not_one_in_the_future():
    assert failures_in_window([NOW], NOW, WINDOW) == 1
    assert failures_in_window([NOW + timedelta(seconds=1)], NOW, WINDOW) == 0


def test_the_tenth_failure_in_the_window_locks_the_account_for_a_whole_window():
    failures = [ago(i) for i in range(10)]
    assert lock_after_failure(failures, NOW, limit=10, window=WINDOW) == NOW + WINDOW


def test_nine_failures_in_the_window_do_not_lock():
    failures = [ago(i) for i in range(9)] + [ago(15)]
    assert lock_after_failure(failures, NOW, limit=10, window=WINDOW) is None


def test_a_limit_of_one_locks_on_the_first_failure():
    assert lock_after_failure([NOW], NOW, limit=1, window=WINDOW) == NOW + WINDOW


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError):
        lock_after_failure([NOW], NOW, limit=0, window=WINDOW)


def test_an_account_is_locked_until_exactly_its_lock_ends():
    until = NOW + WINDOW
    assert is_locked(until, NOW)
    assert is_locked(until, until - timedelta(microseconds=1))
    assert not is_locked(until, until)
    assert not is_locked(None, NOW)


def test_seconds_left_are_rounded_up_and_never_zero_while_locked():
    assert seconds_left(NOW + timedelta(seconds=90), NOW) == 90
    assert seconds_left(NOW + timedelta(seconds=89, milliseconds=1), NOW) == 90
    assert seconds_left(NOW + timedelta(milliseconds=1), NOW) == 1
    assert seconds_left(NOW, NOW) == 1
