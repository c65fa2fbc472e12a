"""The follow-up dates set on calls. Append a new `@migrations()` function for every change."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-followups")


@migrations()
def m001_followups(db: Database) -> None:
    db.execute(
        """CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            due_on TEXT NOT NULL,
            comment TEXT NOT NULL CHECK (length(trim(comment)) > 0),
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            done_at TEXT,
            done_by INTEGER REFERENCES users(id)
        )"""
    )
    db["followups"].create_index(["call_id"])
    db["followups"].create_index(["done_at", "due_on"])
