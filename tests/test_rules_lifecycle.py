"""The life of a call: statuses, the actions between them and the reopen window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kit.rules.lifecycle import (
    ACTIONS,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PAUSED_STATUSES,
    STATUSES,
    Action,
    TransitionError,
    allowed_actions,
    can_reopen,
    is_open,
    is_paused,
    next_status,
)

ALL = [
    "Logged",
    "Assigned",
    "In Progress",
    "With Customer",
    "Back from Customer",
    "With 3rd Party",
    "Resolved",
    "Closed",
    "Reopened",
]
OPEN = [s for s in ALL if s not in ("Resolved", "Closed")]

# The procedure's transitions, written out independently of the module: action -> (from, to).
EXPECTED = {
    "assign": (
        {
            "Logged",
            "Reopened",
            "Assigned",
            "In Progress",
            "Back from Customer",
            "With 3rd Party",
        },
        "Assigned",
    ),
    "start": ({"Assigned", "Reopened", "Back from Customer"}, "In Progress"),
    "with_customer": (
        {"Assigned", "In Progress", "Back from Customer", "Reopened", "With 3rd Party"},
        "With Customer",
    ),
    "back_from_customer": ({"With Customer"}, "Back from Customer"),
    "with_third_party": (
        {"Assigned", "In Progress", "Back from Customer", "Reopened"},
        "With 3rd Party",
    ),
    "back_from_third_party": ({"With 3rd Party"}, "In Progress"),
    "resolve": (set(OPEN), "Resolved"),
    "close": ({"Resolved", "With Customer"}, "Closed"),
    "reopen": ({"Resolved", "Closed"}, "Reopened"),
    "fixed_itself": (set(OPEN), "Closed"),
}
ALLOWED = [(s, a, target) for a, (sources, target) in EXPECTED.items() for s in sorted(sources)]
REFUSED = [(s, a) for a, (sources, _) in EXPECTED.items() for s in ALL if s not in sources]

RESOLVED_AT = datetime(2025, 3, 7, 16, 0)


# --- statuses ------------------------------------------------------------------------


def test_statuses_are_the_procedures_names_in_order():
    assert list(STATUSES) == ALL


def test_open_and_closed_statuses_cover_every_status_once():
    assert OPEN_STATUSES | CLOSED_STATUSES == set(ALL)
    assert not OPEN_STATUSES & CLOSED_STATUSES


@pytest.mark.parametrize("status", OPEN)
def test_status_before_resolution_is_open(status):
    assert is_open(status)


@pytest.mark.parametrize("status", ["Resolved", "Closed"])
def test_resolved_and_closed_are_not_open(status):
    assert not is_open(status)


def test_only_with_customer_stops_the_clock():
    assert PAUSED_STATUSES == {"With Customer"}


@pytest.mark.parametrize("status", ALL)
def test_is_paused_only_for_with_customer(status):
    assert is_paused(status) is (status == "With Customer")


@pytest.mark.parametrize("check", [is_open, is_paused, allowed_actions])
def test_unknown_status_is_refused(check):
    with pytest.raises(ValueError, match="Unknown status 'In progress'"):
        check("In progress")


# --- actions -------------------------------------------------------------------------


def test_actions_are_exactly_the_procedures_actions_in_button_order():
    assert list(ACTIONS) == list(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_action_is_filed_under_its_own_name(name):
    assert ACTIONS[name].name == name


@pytest.mark.parametrize("action", ACTIONS.values(), ids=list(ACTIONS))
def test_action_moves_only_between_known_statuses(action):
    assert action.sources <= set(ALL)
    assert action.target in ALL


@pytest.mark.parametrize("action", ACTIONS.values(), ids=list(ACTIONS))
def test_action_has_a_button_label(action):
    assert action.label.strip()


def test_with_customer_button_says_set_with_customer():
    assert ACTIONS["with_customer"].label == "Set With Customer"


@pytest.mark.parametrize(("status", "action", "target"), ALLOWED)
def test_allowed_action_moves_the_call_to_its_target(status, action, target):
    assert next_status(status, action) == target


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_action_not_allowed_from_a_status_is_refused(status, action):
    with pytest.raises(TransitionError):
        next_status(status, action)


def test_refused_action_names_the_status_and_the_action():
    with pytest.raises(TransitionError, match="'start'.*Logged"):
        next_status("Logged", "start")


def test_refused_action_says_where_it_is_allowed_from():
    with pytest.raises(TransitionError, match="allowed from: With Customer"):
        next_status("In Progress", "back_from_customer")


def test_transition_error_is_a_value_error():
    assert issubclass(TransitionError, ValueError)


def test_unknown_action_is_refused_by_name():
    with pytest.raises(TransitionError, match="Unknown action 'void'"):
        next_status("Logged", "void")


def test_unknown_status_is_refused_by_next_status():
    with pytest.raises(TransitionError, match="Unknown status"):
        next_status("Open", "assign")


def test_next_status_accepts_an_action_object():
    assert next_status("With 3rd Party", ACTIONS["back_from_third_party"]) == "In Progress"


def test_call_fixed_at_the_desk_on_first_contact_can_be_resolved_from_logged():
    assert next_status("Logged", "resolve") == "Resolved"


def test_call_with_no_further_contact_closes_from_with_customer():
    assert next_status("With Customer", "close") == "Closed"


def test_reassigning_a_call_already_assigned_keeps_it_assigned():
    assert next_status("Assigned", "assign") == "Assigned"


def test_action_allows_reports_its_sources():
    action = Action(name="x", label="X", sources=frozenset({"Logged"}), target="Assigned")
    assert action.allows("Logged") and not action.allows("Closed")


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("Logged", ["assign", "resolve", "fixed_itself"]),
        ("With Customer", ["back_from_customer", "resolve", "close", "fixed_itself"]),
        (
            "In Progress",
            ["assign", "with_customer", "with_third_party", "resolve", "fixed_itself"],
        ),
        ("Resolved", ["close", "reopen"]),
        ("Closed", ["reopen"]),
    ],
)
def test_allowed_actions_lists_the_buttons_in_order(status, names):
    assert [action.name for action in allowed_actions(status)] == names


@pytest.mark.parametrize("status", ALL)
def test_every_allowed_action_can_be_taken(status):
    for action in allowed_actions(status):
        assert next_status(status, action.name) == action.target


# --- reopening -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["Resolved", "Closed"])
def test_call_can_be_reopened_within_the_window(status):
    assert can_reopen(status, RESOLVED_AT, RESOLVED_AT + timedelta(days=2), 5)


def test_call_can_be_reopened_at_the_very_end_of_the_window():
    assert can_reopen("Resolved", RESOLVED_AT, RESOLVED_AT + timedelta(days=5), 5)


def test_call_cannot_be_reopened_after_the_window():
    now = RESOLVED_AT + timedelta(days=5, minutes=1)
    assert not can_reopen("Resolved", RESOLVED_AT, now, 5)


def test_reopen_window_is_calendar_days_not_working_days():
    # Resolved on a Friday afternoon; a 3-day window ends on Monday afternoon.
    assert not can_reopen("Closed", RESOLVED_AT, datetime(2025, 3, 11, 9, 0), 3)


@pytest.mark.parametrize("status", OPEN)
def test_open_call_cannot_be_reopened(status):
    assert not can_reopen(status, RESOLVED_AT, RESOLVED_AT, 5)


def test_call_without_a_resolved_time_cannot_be_reopened():
    assert not can_reopen("Closed", None, RESOLVED_AT, 5)


def test_reopen_window_reads_a_resolved_time_stored_as_text():
    assert can_reopen("Resolved", "2025-03-07T16:00:00", datetime(2025, 3, 8, 9, 0), 5)


def test_reopen_window_refuses_a_negative_length():
    with pytest.raises(ValueError, match=">= 0 days"):
        can_reopen("Resolved", RESOLVED_AT, RESOLVED_AT, -1)


def test_a_school_with_no_reopen_window_can_reopen_only_at_the_moment_of_resolving():
    assert can_reopen("Resolved", RESOLVED_AT, RESOLVED_AT, 0)
    assert not can_reopen("Resolved", RESOLVED_AT, RESOLVED_AT + timedelta(seconds=1), 0)


def test_refused_action_lists_every_status_it_is_allowed_from_in_order():
    with pytest.raises(TransitionError, match="allowed from: Resolved, Closed$"):
        next_status("Logged", "reopen")


def test_every_action_moves_the_call_to_a_status_other_than_its_own_name():
    # The table is data built at import: each action has its own name, label and target.
    assert [(a.name, a.label, a.target) for a in ACTIONS.values()][:2] == [
        ("assign", "Assign", "Assigned"),
        ("start", "Start work", "In Progress"),
    ]
    assert all(isinstance(a.sources, frozenset) and a.sources for a in ACTIONS.values())
