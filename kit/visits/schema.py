"""Tables for passing calls on: visit days, the hand-off record, mail attachments, and the
"resolved at the desk from the knowledge base" mark on a call.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-visits")


@migrations()
def m001_visits_and_handoffs(db: Database) -> None:
    db.execute(
        """CREATE TABLE technician_visits (
            user_id INTEGER PRIMARY KEY REFERENCES users(id),
            pattern TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id),
            updated_at TEXT NOT NULL
        )"""
    )
    # One row per time the desk passed a call on; the latest row says how it waits now.
    db.execute(
        """CREATE TABLE handoffs (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            method TEXT NOT NULL CHECK (method IN ('email', 'phone', 'visit')),
            technician_id INTEGER NOT NULL REFERENCES users(id),
            visit_on TEXT,
            note TEXT NOT NULL DEFAULT '',
            outbox_id INTEGER REFERENCES outbox(id),
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL
        )"""
    )
    db["handoffs"].create_index(["call_id", "id"])
    db["handoffs"].create_index(["technician_id", "method"])
    # Files sent with an outbox message (the job sheet of an email hand-off).
    db.execute(
        """CREATE TABLE outbox_attachments (
            id INTEGER PRIMARY KEY,
            outbox_id INTEGER NOT NULL REFERENCES outbox(id),
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL DEFAULT 'application/pdf',
            content BLOB NOT NULL
        )"""
    )
    db["outbox_attachments"].create_index(["outbox_id"])
    # Resolved by the desk with a solving article, never passed to a technician.
    db["calls"].add_column("first_contact_kb", int, not_null_default=0)


@migrations()
def m002_handoff_group_and_reason(db: Database) -> None:
    # Which group the call went to with the technician, and why it needed one (the desk's
    # reason under the "apply in school" policy): the job sheet prints both.
    db.execute("ALTER TABLE handoffs ADD COLUMN group_id INTEGER REFERENCES support_groups(id)")
    db["handoffs"].add_column("reason", str, not_null_default="")
