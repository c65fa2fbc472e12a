"""The SQL for the school's surveys: questions, the surveys of all users sent, invitations
and answers.

An invitation's link is random (128 bits and more) and stored hashed, like a customer's
status link; an answer is stored apart from its invitation, so results cannot name anyone.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.db import stamp, write_lock
from kit.rules import surveys as rules

TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Questions -------------------------------------------------------------------------------


def questions(db: Database, survey: str = "staff") -> list[dict[str, Any]]:
    """The questions the school asks now, in order."""
    return [
        dict(r)
        for r in db.execute(
            "SELECT * FROM survey_questions WHERE survey = ? AND active = 1 ORDER BY position, id",
            [survey],
        ).fetchall()
    ]


def add_question(db: Database, survey: str, *, kind: str, text: str, at: datetime) -> int:
    """Add a question at the end; refuses more than `rules.MAX_QUESTIONS` in use."""
    if kind not in rules.KINDS:
        raise ValueError("Choose what kind of answer the question takes.")
    if survey not in rules.SURVEYS:
        raise ValueError("Choose which survey asks the question.")
    if not text.strip():
        raise ValueError("Write the question.")
    with write_lock(db):
        if len(questions(db, survey)) >= rules.MAX_QUESTIONS:
            raise ValueError(
                f"A survey asks at most {rules.MAX_QUESTIONS} questions: retire one first."
            )
        position = db.execute(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM survey_questions WHERE survey = ?",
            [survey],
        ).fetchone()[0]
        return (
            db["survey_questions"]
            .insert(
                {
                    "survey": survey,
                    "position": position,
                    "kind": kind,
                    "text": text.strip(),
                    "created_at": stamp(at),
                }
            )
            .last_pk
        )


def retire_question(db: Database, question_id: int) -> bool:
    """Stop asking a question (surveys already sent keep their copy); False if unknown."""
    cursor = db.execute(
        "UPDATE survey_questions SET active = 0 WHERE id = ? AND active = 1", [question_id]
    )
    return cursor.rowcount == 1


# Surveys of all users --------------------------------------------------------------------


def recipients(db: Database) -> tuple[list[dict[str, Any]], int]:
    """Everyone in the staff directory with an email address (one per address), and how
    many people have none (they need the paper copy)."""
    rows = db.execute("SELECT id, name, email FROM people ORDER BY name, id").fetchall()
    seen: set[str] = set()
    out = []
    without = 0
    for row in rows:
        email = (row["email"] or "").strip()
        if "@" not in email:
            without += 1
            continue
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        out.append({"id": row["id"], "name": row["name"], "email": email})
    return out, without


def start_round(
    db: Database, *, title: str, closes_on: date, user_id: int | None, at: datetime
) -> tuple[int, list[tuple[dict[str, Any], str, int]]]:
    """Open a survey of all users with a copy of today's questions and one invitation per
    person; returns its id and (person, token, invitation id) for the messages to send."""
    asked = [{"key": f"q{q['id']}", "kind": q["kind"], "text": q["text"]} for q in questions(db)]
    if not asked:
        raise ValueError("Add at least one question before sending the survey.")
    people, _without = recipients(db)
    with db.atomic():
        round_id = (
            db["survey_rounds"]
            .insert(
                {
                    "title": title.strip(),
                    "questions": json.dumps(asked),
                    "opened_at": stamp(at),
                    "closes_on": closes_on.isoformat(),
                    "created_by": user_id,
                }
            )
            .last_pk
        )
        invites = []
        for person in people:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            invite_id = (
                db["survey_invites"]
                .insert(
                    {
                        "round_id": round_id,
                        "person_id": person["id"],
                        "email": person["email"],
                        "token_hash": _hash(token),
                    }
                )
                .last_pk
            )
            invites.append((person, token, invite_id))
    return round_id, invites


def set_invite_message(db: Database, invite_id: int, outbox_id: int | None) -> None:
    db.execute("UPDATE survey_invites SET outbox_id = ? WHERE id = ?", [outbox_id, invite_id])


def _round(row: Any) -> dict[str, Any]:
    return dict(row) | {"questions": json.loads(row["questions"])}


def get_round(db: Database, round_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT r.*, u.name AS created_by_name FROM survey_rounds r "
        "LEFT JOIN users u ON u.id = r.created_by WHERE r.id = ?",
        [round_id],
    ).fetchone()
    return _round(row) if row else None


def rounds(db: Database) -> list[dict[str, Any]]:
    """Every survey of all users, newest first, with how many were invited and answered."""
    return [
        _round(r)
        for r in db.execute(
            "SELECT r.*, u.name AS created_by_name, "
            "(SELECT COUNT(*) FROM survey_invites i WHERE i.round_id = r.id) AS invited, "
            "(SELECT COUNT(*) FROM survey_responses s WHERE s.round_id = r.id) AS answered, "
            "(SELECT COUNT(*) FROM survey_responses s WHERE s.round_id = r.id "
            " AND s.channel = 'paper') AS on_paper "
            "FROM survey_rounds r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.id DESC"
        ).fetchall()
    ]


def rounds_between(db: Database, date_from: str, date_to: str) -> list[dict[str, Any]]:
    """Surveys of all users opened in the period (dates as YYYY-MM-DD, both included)."""
    return [r for r in rounds(db) if date_from <= r["opened_at"][:10] <= date_to]


def invite_for(db: Database, token: str) -> dict[str, Any] | None:
    """The invitation a link opens, with its survey, or None (unknown or malformed)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    row = db.execute("SELECT * FROM survey_invites WHERE token_hash = ?", [_hash(token)]).fetchone()
    if row is None:
        return None
    return dict(row) | {"round": get_round(db, row["round_id"])}


def save_response(
    db: Database,
    round_id: int,
    answers: dict[str, str],
    *,
    at: datetime,
    invite_id: int | None = None,
) -> bool:
    """Keep one set of answers; with an invitation, only its first (False after that).

    The invitation is marked answered in the same write, so two tabs leave one answer.
    """
    with write_lock(db):
        if invite_id is not None:
            marked = db.execute(
                "UPDATE survey_invites SET answered_at = ? WHERE id = ? AND answered_at IS NULL",
                [stamp(at), invite_id],
            )
            if marked.rowcount != 1:
                return False
        db["survey_responses"].insert(
            {
                "round_id": round_id,
                "answers": json.dumps(answers),
                "channel": "paper" if invite_id is None else "link",
                "submitted_at": stamp(at),
            }
        )
    return True


def responses(db: Database, round_id: int) -> list[dict[str, str]]:
    """Every set of answers to a survey, oldest first."""
    return [
        json.loads(r[0])
        for r in db.execute(
            "SELECT answers FROM survey_responses WHERE round_id = ? ORDER BY id", [round_id]
        ).fetchall()
    ]


def counts(db: Database, round_id: int) -> dict[str, int]:
    """How many were invited, answered by their link, and answered on paper."""
    row = db.execute(
        "SELECT (SELECT COUNT(*) FROM survey_invites WHERE round_id = :r) AS invited, "
        "(SELECT COUNT(*) FROM survey_responses WHERE round_id = :r AND channel = 'link') "
        "AS by_link, (SELECT COUNT(*) FROM survey_responses WHERE round_id = :r "
        "AND channel = 'paper') AS on_paper",
        {"r": round_id},
    ).fetchone()
    return dict(row)


# The school's own questions on the survey after a call ------------------------------------


def asked_after_a_call(db: Database) -> list[dict[str, Any]]:
    """The school's own questions on the survey after a call, each with its field name."""
    return [q | {"key": f"q{q['id']}"} for q in questions(db, "call")]


def save_call_answers(db: Database, call_id: int, answers: dict[int, str], *, at: datetime) -> None:
    """Keep a caller's answers to the school's questions (empty answers are left out)."""
    rows = [
        {"call_id": call_id, "question_id": qid, "answer": text, "submitted_at": stamp(at)}
        for qid, text in answers.items()
        if text
    ]
    if rows:
        db["call_survey_answers"].insert_all(rows, ignore=True)


def call_answers_between(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """Answers to the school's call-survey questions submitted from `start` (a date) to
    before `end` (a date): one row per question per call."""
    return [
        dict(r)
        for r in db.execute(
            "SELECT a.call_id, a.question_id, a.answer, q.text, q.kind "
            "FROM call_survey_answers a JOIN survey_questions q ON q.id = a.question_id "
            "WHERE a.submitted_at >= ? AND a.submitted_at < ? ORDER BY a.submitted_at, q.position",
            [start, end],
        ).fetchall()
    ]
