"""The leaders' tables: customers' survey answers, the letter and charter, the reviews.

Every version of the letter to users and the service desk charter is kept with its date
and author (the framework asks for the charter "with its updates"), so the table is
append-only like a call's history. Append a new `@migrations()` function for every
change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-leaders")


@migrations()
def m001_surveys_documents_reviews(db: Database) -> None:
    # Plain SQL for the CHECK constraints sqlite-utils cannot declare.
    db.execute(
        """CREATE TABLE surveys (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL UNIQUE REFERENCES calls(id),
            satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
            fixed INTEGER NOT NULL CHECK (fixed IN (0, 1)),
            time_ok INTEGER NOT NULL CHECK (time_ok IN (0, 1)),
            comment TEXT NOT NULL DEFAULT '',
            submitted_at TEXT NOT NULL
        )"""
    )
    db["surveys"].create_index(["submitted_at"])
    db.execute(
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('letter', 'charter')),
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
            UNIQUE (kind, version)
        )"""
    )
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER documents_no_{verb.lower()} BEFORE {verb} ON documents "
            "BEGIN SELECT RAISE(ABORT, 'document versions are kept, never rewritten'); END"
        )
    db.execute(
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{}',
            figures TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db["reviews"].create_index(["created_at"])
