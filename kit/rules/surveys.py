"""The school's own surveys, as rules: the kinds of question, what an answer may be, whether
a survey still takes answers, and what the answers add up to. No Flask, no SQL.

The framework's post implementation review asks what users say: a short survey after a call
(kit.leaders.surveys) and, once a term or a year, a survey of all users. The school writes
the questions; each survey sent keeps a copy of its questions, so its results read the same
after the school edits them. Conventions: a survey takes answers up to and including its
closing day; a question nobody answered has no mean (None), never 0; a share is of those
who answered that question, not of everyone invited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: The kinds of question a school may ask, as the question editor names them.
KINDS = {
    "scale": "A score from 1 (very dissatisfied) to 5 (very satisfied)",
    "yes_no": "Yes or no",
    "text": "In their own words",
}
SCALE = {
    5: "Very satisfied",
    4: "Satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Dissatisfied",
    1: "Very dissatisfied",
}
YES_NO = {"yes": "Yes", "no": "No"}
#: The surveys questions belong to: after a resolved call, and of all users once a term.
SURVEYS = {"staff": "Survey of all users (termly or annual)", "call": "After a call is resolved"}
MAX_QUESTIONS = 20
MAX_TEXT_ANSWER = 2000
COMMENTS_SHOWN = 200


@dataclass
class Result:
    """What one question's answers add up to."""

    key: str
    text: str
    kind: str
    answered: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # score or yes/no -> how many
    mean: float | None = None  # scale only
    share_yes: float | None = None  # yes_no only, 0..1
    comments: list[str] = field(default_factory=list)  # text only, oldest first


def clean_answer(kind: str, value: Any) -> str:
    """An answer as it is kept ("" when not given); raises ValueError for one that cannot be
    an answer to this kind of question (a score of 7, "maybe" to yes or no)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if kind == "scale":
        if text not in {str(n) for n in SCALE}:
            raise ValueError("Choose a score from 1 to 5.")
        return text
    if kind == "yes_no":
        if text not in YES_NO:
            raise ValueError("Choose yes or no.")
        return text
    if kind == "text":
        return text[:MAX_TEXT_ANSWER]
    raise ValueError(f"Unknown kind of question: {kind}")


def takes_answers(closes_on: str | date | None, today: date) -> bool:
    """Whether a survey still takes answers: up to and including its closing day."""
    if not closes_on:
        return True
    end = closes_on if isinstance(closes_on, date) else date.fromisoformat(str(closes_on)[:10])
    return today <= end


def response_rate(invited: int, answered: int) -> float | None:
    """The share of those invited who answered (None when nobody was invited)."""
    return None if invited <= 0 else min(answered, invited) / invited


def results(
    questions: Sequence[Mapping[str, Any]], responses: Iterable[Mapping[str, str]]
) -> list[Result]:
    """Each question's results from the answers (a mapping of question key to answer each)."""
    out = [Result(q["key"], q["text"], q["kind"]) for q in questions]
    for response in responses:
        for result in out:
            value = (response.get(result.key) or "").strip()
            if not value:
                continue
            result.answered += 1
            if result.kind == "text":
                result.comments.append(value)
            else:
                result.counts[value] = result.counts.get(value, 0) + 1
    for result in out:
        if result.kind == "scale" and result.answered:
            total = sum(int(score) * n for score, n in result.counts.items())
            result.mean = total / result.answered
        elif result.kind == "yes_no" and result.answered:
            result.share_yes = result.counts.get("yes", 0) / result.answered
        result.comments = result.comments[-COMMENTS_SHOWN:]
    return out


def headline(result: Result) -> str:
    """One question's result in words, for a table cell or the review."""
    if not result.answered:
        return "No answers"
    if result.kind == "scale" and result.mean is not None:
        return f"{result.mean:.1f} out of 5 ({result.answered} answered)"
    if result.kind == "yes_no" and result.share_yes is not None:
        return f"{round(result.share_yes * 100)}% yes ({result.answered} answered)"
    return f"{result.answered} comment{'' if result.answered == 1 else 's'}"
