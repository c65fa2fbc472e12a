"""The procedure's pure rules (kit.rules.procedure), at their edges."""

from __future__ import annotations

from datetime import date

import pytest

from kit.rules import procedure as rules

CHECKED = {"ref": "26-0001", "desk_checked_at": "2026-11-23 09:30:00", "assignee_id": 3}


@pytest.mark.parametrize(
    "typed, channel",
    [
        ("phone", "Phone"),
        ("  Paper sheet in the tray ", "Paper sheet in the tray"),
        ("Face to face", "In person"),
        ("ANSWERPHONE", "Answerphone"),
        ("carrier pigeon", None),
        ("", None),
    ],
)
def test_channel_named_reads_any_case_and_older_names(typed, channel):
    assert rules.channel_named(typed) == channel


@pytest.mark.parametrize(
    "answer, call_type",
    [
        ("I need something (request)", "Request"),
        ("Something is not working (incident)", "Incident"),
        ("", "Incident"),
        (None, "Incident"),
    ],
)
def test_reported_type_is_an_incident_unless_a_request_was_said(answer, call_type):
    assert rules.reported_type(answer) == call_type


def test_the_persons_answer_wins_over_their_words():
    assert rules.reported_type("I need something (request)", "The printer is broken") == "Request"
    assert rules.reported_type("Something is not working (incident)", "Please install") == (
        "Incident"
    )


@pytest.mark.parametrize(
    "words, call_type",
    [
        ("Projector in S12 says No signal", "Incident"),
        ("The printer in the library is not working", "Incident"),
        ("Could I have a login for our new supply teacher?", "Request"),
        ("Please install Scratch on the ICT suite", "Request"),
        ("Request: new account for Mrs Patel", "Request"),
        ("Please install the update, the old one keeps giving an error", "Incident"),
        ("Can we have access to the shared drive? It won't open", "Incident"),
        ("", "Incident"),
        ("Hello", "Incident"),
    ],
)
def test_words_make_a_request_only_when_they_ask_and_report_no_fault(words, call_type):
    assert rules.reported_type(None, words) == call_type


def test_pass_on_is_refused_before_the_desk_check():
    refusal = rules.pass_on_refusal(
        {"ref": "26-0001"}, policy="give_to_technician", solving_articles=[], reason=""
    )
    assert refusal and "Check call 26-0001 first" in refusal


@pytest.mark.parametrize(
    "policy, articles, reason, refused",
    [
        ("apply_in_school", ["Clear the queue"], "", True),
        ("apply_in_school", ["Clear the queue"], "   ", True),
        ("apply_in_school", ["Clear the queue"], "Fills again at once", False),
        ("apply_in_school", [], "", False),
        ("give_to_technician", ["Clear the queue"], "", False),
    ],
)
def test_kb_fix_policy_keeps_a_fixed_call_at_the_desk_only_in_school(
    policy, articles, reason, refused
):
    answer = rules.pass_on_refusal(CHECKED, policy=policy, solving_articles=articles, reason=reason)
    assert bool(answer) is refused


def test_resolve_needs_an_owner():
    assert rules.resolve_refusal(CHECKED) is None
    assert "has no owner" in rules.resolve_refusal(CHECKED | {"assignee_id": None})


def test_close_needs_the_user_told():
    assert rules.close_refusal({"ref": "26-0001", "user_informed_at": None})
    assert rules.close_refusal({"ref": "26-0001", "user_informed_at": "2026-11-23"}) is None


@pytest.mark.parametrize(
    "how, email, refused",
    [
        ("email", "ann@school.example", False),
        ("email", "  ", True),
        ("phone", "", False),
        ("printed notice", "", False),
        ("carrier pigeon", "ann@school.example", True),
    ],
)
def test_informed_refusal(how, email, refused):
    assert bool(rules.informed_refusal(how, email)) is refused


def test_exception_reasons_name_no_owner_and_the_oldest_overdue_follow_up():
    reasons = rules.exception_reasons(
        CHECKED | {"assignee_id": None}, [date(2026, 11, 20), date(2026, 11, 18)]
    )
    assert reasons == ["No owner", "Follow-up overdue since Wed 18 Nov 2026"]


def test_a_call_waiting_for_its_desk_check_is_not_an_exception():
    assert rules.exception_reasons({"desk_checked_at": None, "assignee_id": None}, []) == []
    assert rules.exception_reasons(CHECKED, []) == []
