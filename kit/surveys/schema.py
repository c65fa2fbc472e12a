"""Tables for the school's surveys: its questions, each survey of all users sent (with a copy
of its questions), one invitation per person, and the answers.

Answers are kept apart from invitations: an invitation records only that it was answered,
so results cannot be traced to a person. Append a new `@migrations()` function for every
change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-surveys")

STARTER_QUESTIONS = (
    ("staff", "scale", "Overall, how satisfied are you with ICT support in school?"),
    ("staff", "yes_no", "Do you know how to log a call with the service desk?"),
    ("staff", "yes_no", "When you log a call, are you kept informed until it is fixed?"),
    ("staff", "scale", "How satisfied are you with how long problems take to fix?"),
    ("staff", "text", "What one thing would most improve ICT support for you?"),
)


@migrations()
def m001_questions_rounds_invites_responses(db: Database) -> None:
    db.execute(
        """CREATE TABLE survey_questions (
            id INTEGER PRIMARY KEY,
            survey TEXT NOT NULL CHECK (survey IN ('staff', 'call')),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scale', 'yes_no', 'text')),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL
        )"""
    )
    db["survey_questions"].create_index(["survey", "active", "position"])
    db.execute(
        """CREATE TABLE survey_rounds (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            questions TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            closes_on TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )"""
    )
    db.execute(
        """CREATE TABLE survey_invites (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES survey_rounds(id),
            person_id INTEGER REFERENCES people(id),
            email TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            outbox_id INTEGER REFERENCES outbox(id),
            answered_at TEXT
        )"""
    )
    db["survey_invites"].create_index(["round_id", "answered_at"])
    db.execute(
        """CREATE TABLE survey_responses (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES survey_rounds(id),
            answers TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('link', 'paper')),
            submitted_at TEXT NOT NULL
        )"""
    )
    db["survey_responses"].create_index(["round_id"])
    for position, (survey, kind, text) in enumerate(STARTER_QUESTIONS, start=1):
        db["survey_questions"].insert(
            {
                "survey": survey,
                "position": position,
                "kind": kind,
                "text": text,
                "created_at": "2026-01-01 00:00:00",
            }
        )


@migrations()
def m002_call_survey_answers(db: Database) -> None:
    # Answers to the school's own questions on the survey after a call (the kit's three
    # questions stay in the leaders' `surveys` table, which the reports already read).
    db.execute(
        """CREATE TABLE call_survey_answers (
            call_id INTEGER NOT NULL REFERENCES calls(id),
            question_id INTEGER NOT NULL REFERENCES survey_questions(id),
            answer TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            PRIMARY KEY (call_id, question_id)
        )"""
    )
    db["call_survey_answers"].create_index(["submitted_at"])
