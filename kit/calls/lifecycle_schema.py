"""The tables the call lifecycle adds: time taken, third parties, hot swaps, With Customer spells.

Also the columns a call needs to be resolved, reopened and linked, and a flag on history
entries meant for the customer. Append a new `@migrations()` function for every change;
never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-lifecycle")

CALL_COLUMNS = (
    ("resolution_summary", str),  # the only text sent to the customer
    ("resolution_details", str),  # shown to the customer on their status page
    ("closure_category", str),
    ("customer_confirmed", int),
    ("confirmation_exception", str),  # "access request" or "known service disruption"
    ("reopen_count", int),
    ("linked_call_id", int),  # the earlier call a new one was logged about
    ("with_customer_since", str),  # set while With Customer: the daily job's reminders
    ("third_party_due", str),  # when the third party expects to be done: flagged if past
)


@migrations()
def m001_lifecycle(db: Database) -> None:
    calls = db["calls"]
    for name, kind in CALL_COLUMNS:
        calls.add_column(name, kind, not_null_default=0 if name == "reopen_count" else None)
    calls.create_index(["with_customer_since"])
    # Notes and messages the customer may read on their status page.
    db["call_events"].add_column("customer_visible", int, not_null_default=0)
    # Plain SQL for the CHECK constraints sqlite-utils cannot declare.
    db.execute(
        """CREATE TABLE time_entries (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            user_id INTEGER REFERENCES users(id),
            worked_on TEXT NOT NULL,
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    db["time_entries"].create_index(["call_id"])
    db["time_entries"].create_index(["user_id", "worked_on"])
    db.execute(
        """CREATE TABLE third_parties (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            kind TEXT NOT NULL CHECK (kind IN ('group', 'vendor', 'person')),
            name TEXT NOT NULL,
            contact TEXT NOT NULL DEFAULT '',
            what_they_will_do TEXT NOT NULL DEFAULT '',
            expected_by TEXT,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            ended_at TEXT
        )"""
    )
    db["third_parties"].create_index(["call_id"])
    db.execute(
        """CREATE TABLE hot_swaps (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            location_id INTEGER REFERENCES locations(id),
            replacement_asset TEXT NOT NULL,
            faulty_asset TEXT NOT NULL DEFAULT '',
            taken_by TEXT NOT NULL DEFAULT '',
            swapped_at TEXT NOT NULL,
            returned_at TEXT,
            note TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER REFERENCES users(id)
        )"""
    )
    db["hot_swaps"].create_index(["call_id"])
    db["hot_swaps"].create_index(["returned_at"])
    # Spells With Customer: the service-level clock does not run during them.
    db.execute(
        """CREATE TABLE call_pauses (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            started_at TEXT NOT NULL,
            ended_at TEXT
        )"""
    )
    db["call_pauses"].create_index(["call_id"])


@migrations()
def m002_one_time_keys_on_notes_and_time(db: Database) -> None:
    """A note or time entry sent twice (a retry after a lost answer) is saved once."""
    db["call_events"].add_column("submission_key", str)
    db["call_events"].create_index(["submission_key"], unique=True)
