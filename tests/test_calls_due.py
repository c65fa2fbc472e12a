"""How soon a call is due, in the words My jobs and the call's page show (kit/calls/due.py).

Pure: a call is a plain dict, the time and the calendar are given. 3 March 2025 is a Monday.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kit.calls.due import RESPONDED, describe_due, page_states
from kit.rules.clock import WorkingCalendar

PLAIN = WorkingCalendar()  # Monday to Friday, 08:00-17:00
NOW = datetime(2025, 3, 4, 10, 0)  # Tuesday morning


def call(status="Assigned", responded_at=None, respond_by=None, resolve_by=None, since=None):
    return {
        "status": status,
        "responded_at": responded_at,
        "respond_by": respond_by,
        "resolve_by": resolve_by,
        "with_customer_since": since,
    }


# --- the sentence on My jobs --------------------------------------------------------------


def test_a_call_not_yet_responded_to_shows_its_response_due_time_today():
    due = describe_due(call(respond_by="2025-03-04T13:30:00"), NOW, PLAIN)
    assert due == {
        "state": "on time",
        "due_at": "2025-03-04T13:30:00",
        "words": "Response due today at 13:30",
    }


def test_a_response_due_on_another_day_names_the_day():
    due = describe_due(call(respond_by="2025-03-06T09:15:00"), NOW, PLAIN)
    assert due["words"] == "Response due Thu 06 Mar at 09:15"


def test_an_overdue_response_says_it_was_due():
    due = describe_due(call(respond_by="2025-03-04T09:30:00"), NOW, PLAIN)
    assert (due["state"], due["words"]) == ("overdue", "Response was due today at 09:30")


def test_once_responded_to_the_resolution_is_the_deadline():
    responded = call(
        responded_at="2025-03-04T09:00:00",
        respond_by="2025-03-04T09:30:00",
        resolve_by="2025-03-04T10:30:00",
    )
    due = describe_due(responded, NOW, PLAIN)
    assert due == {
        "state": "due soon",
        "due_at": "2025-03-04T10:30:00",
        "words": "Resolution due today at 10:30",
    }


def test_due_soon_is_counted_in_working_hours():
    # Due at Monday's opening, seen at Friday's closing: no working time left, so due soon.
    friday_close = datetime(2025, 3, 7, 17, 0)
    due = describe_due(call(respond_by="2025-03-10T08:30:00"), friday_close, PLAIN)
    assert due["state"] == "due soon"
    assert due["words"] == "Response due Mon 10 Mar at 08:30"


def test_a_call_with_no_due_time_says_so():
    assert describe_due(call(), NOW, PLAIN) == {"state": "", "due_at": None, "words": "No due time"}


def test_a_call_with_the_customer_says_its_clock_is_stopped_since_when():
    waiting = call(
        status="With Customer", respond_by="2025-03-04T09:00:00", since="2025-03-03T14:05:00"
    )
    assert describe_due(waiting, NOW, PLAIN) == {
        "state": "",
        "due_at": None,
        "words": "Clock stopped: waiting for the customer since Mon 03 Mar at 14:05",
    }


def test_a_call_with_the_customer_since_an_unknown_time_counts_from_now():
    waiting = call(status="With Customer")
    assert describe_due(waiting, NOW, PLAIN)["words"].endswith("since today at 10:00")


# --- the badges beside the two due times on the call's page --------------------------------


def test_badges_show_the_state_of_the_response_and_the_resolution():
    open_call = call(respond_by="2025-03-04T09:00:00", resolve_by="2025-03-05T09:00:00")
    assert page_states(open_call, NOW) == ("overdue", "on time")


def test_a_responded_call_shows_responded_beside_its_response():
    responded = call(
        responded_at="2025-03-04T08:30:00",
        respond_by="2025-03-04T09:00:00",
        resolve_by="2025-03-04T10:30:00",
    )
    assert page_states(responded, NOW) == (RESPONDED, "due soon")
    assert RESPONDED == "responded"


@pytest.mark.parametrize("status", ["With Customer", "Resolved", "Closed"])
def test_a_call_with_the_customer_or_finished_shows_no_badges(status):
    stopped = call(
        status=status, respond_by="2025-03-04T09:00:00", resolve_by="2025-03-04T09:30:00"
    )
    assert page_states(stopped, NOW) == ("", "")


@pytest.mark.parametrize("status", ["Logged", "In Progress", "With 3rd Party", "Reopened"])
def test_every_other_open_call_shows_its_badges(status):
    waiting = call(
        status=status, respond_by="2025-03-04T09:00:00", resolve_by="2025-03-04T09:30:00"
    )
    assert page_states(waiting, NOW) == ("overdue", "overdue")
