"""The survey rules at their edges: the closing day, empty answers, a question nobody
answered, a bad answer for its kind."""

from __future__ import annotations

from datetime import date

import pytest

from kit.rules import surveys as rules

QUESTIONS = [
    {"key": "q1", "kind": "scale", "text": "Overall?"},
    {"key": "q2", "kind": "yes_no", "text": "Informed?"},
    {"key": "q3", "kind": "text", "text": "Ideas?"},
]


def test_a_survey_takes_answers_on_its_closing_day_and_not_after():
    assert rules.takes_answers("2026-12-11", date(2026, 12, 11))
    assert not rules.takes_answers("2026-12-11", date(2026, 12, 12))
    assert rules.takes_answers(None, date(2030, 1, 1))


def test_a_question_nobody_answered_has_no_mean_or_share():
    scale, yes_no, text = rules.results(QUESTIONS, [{}, {"q1": "", "q2": " "}])
    assert (scale.answered, scale.mean) == (0, None)
    assert (yes_no.answered, yes_no.share_yes) == (0, None)
    assert text.comments == [] and rules.headline(scale) == "No answers"


def test_results_count_only_those_who_answered_each_question():
    responses = [{"q1": "5", "q2": "yes", "q3": "More laptops"}, {"q1": "2"}, {"q2": "no"}]
    scale, yes_no, text = rules.results(QUESTIONS, responses)
    assert scale.mean == 3.5 and scale.counts == {"5": 1, "2": 1}
    assert yes_no.share_yes == 0.5
    assert text.comments == ["More laptops"]
    assert rules.headline(scale) == "3.5 out of 5 (2 answered)"
    assert rules.headline(yes_no) == "50% yes (2 answered)"
    assert rules.headline(text) == "1 comment"


@pytest.mark.parametrize(
    "kind, value, kept",
    [
        ("scale", "1", "1"),
        ("scale", " 5 ", "5"),
        ("yes_no", "no", "no"),
        ("text", "", ""),
        ("scale", None, ""),
        ("text", "x" * 3000, "x" * rules.MAX_TEXT_ANSWER),
    ],
)
def test_clean_answer_keeps_what_the_kind_allows(kind, value, kept):
    assert rules.clean_answer(kind, value) == kept


@pytest.mark.parametrize(
    "kind, value", [("scale", "0"), ("scale", "6"), ("yes_no", "maybe"), ("odd", "x")]
)
def test_clean_answer_refuses_what_cannot_be_an_answer(kind, value):
    with pytest.raises(ValueError):
        rules.clean_answer(kind, value)


def test_response_rate_with_nobody_invited_is_none_and_never_above_one():
    assert rules.response_rate(0, 0) is None
    assert rules.response_rate(4, 1) == 0.25
    assert rules.response_rate(2, 5) == 1.0
