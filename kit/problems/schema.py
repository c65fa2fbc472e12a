"""Problem records and the calls linked to them.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-problems")


@migrations()
def m001_problems(db: Database) -> None:
    db.execute(
        """CREATE TABLE problems (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            cause TEXT NOT NULL DEFAULT '',
            workaround TEXT NOT NULL DEFAULT '',
            permanent_fix TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'known error', 'resolved')),
            owner_id INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db["problems"].create_index(["status"])
    # A call has one cause: it is linked to at most one problem.
    db.execute(
        """CREATE TABLE problem_calls (
            problem_id INTEGER NOT NULL REFERENCES problems(id),
            call_id INTEGER NOT NULL UNIQUE REFERENCES calls(id),
            linked_by INTEGER REFERENCES users(id),
            linked_at TEXT NOT NULL,
            PRIMARY KEY (problem_id, call_id)
        )"""
    )
