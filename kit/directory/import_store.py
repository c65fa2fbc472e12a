"""The SQL of a reference-data import's two halves: checking the file on a private copy of
the directory, then writing what the check found in short batches that can be undone.

Checking a row reads what earlier rows of the same file wrote (a second "Ann Smith" row
finds the first), so the check writes too; it writes into an in-memory copy of the
directory's tables, taken in one read, and so never holds the school database's write
lock: a desk saving a call during a 30,000-row check waited 4 s before. The import then
applies the checked changes to the school database `BATCH_ROWS` at a time, each batch its
own short write-locked transaction, recording each row it added and each row's values
before it updated them. A run that fails, or whose process died (no batch for
`STALE_SECONDS`), is undone from that record, so the school keeps all the file or none of
it. A row the kit meanwhile uses (a call names a person the import added) is kept.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from kit.db import KitDatabase, let_others_write, write_lock
from kit.directory import admin_store
from kit.directory.kinds import KINDS

BATCH_ROWS = 200  # rows per transaction: the desk waits for at most one batch
STALE_SECONDS = 120  # a run with no batch for this long died with its process

# What checking a row reads or writes: the kinds' tables, group members, and the accounts
# a group's team leader and members are found among.
COPIED = (
    "users",
    "people",
    "locations",
    "equipment",
    "support_groups",
    "group_members",
    "categories",
    "response_levels",
)


@dataclass
class Change:
    """One row's write, as the check on the copy made it: the row it updates (None: a new
    row), the columns written, and a support group's members when the file names them."""

    existing_id: int | None
    record: dict[str, Any]
    members: list[int] | None = None


@contextlib.contextmanager
def scratch_copy(db: Database) -> Iterator[Database]:
    """An in-memory database holding the directory's tables as `db` has them now (their
    columns, constraints and indexes; no triggers), read in one snapshot. Nothing written
    to it reaches `db`, and making it takes no write lock on `db`."""
    path = next(r[2] for r in db.execute("PRAGMA database_list") if r[1] == "main")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    copy = KitDatabase(conn)
    try:
        conn.execute("ATTACH DATABASE ? AS school", [path])
        conn.execute("PRAGMA school.busy_timeout = 5000")
        marks = ", ".join("?" for _ in COPIED)
        schema = conn.execute(
            "SELECT sql FROM school.sqlite_master WHERE tbl_name IN "
            f"({marks}) AND type IN ('table', 'index') AND sql IS NOT NULL "
            "ORDER BY type = 'index'",
            COPIED,
        ).fetchall()
        conn.execute("BEGIN")
        for (sql,) in schema:
            conn.execute(sql)
        for table in COPIED:
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM school.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE school")
        yield copy
    finally:
        conn.close()


def apply(db: Database, kind: str, changes: list[Change]) -> None:
    """Write the checked changes batch by batch; on any failure undo what earlier batches
    wrote, then raise. Between batches the desk gets its turn (`let_others_write`)."""
    run_id = (
        db["directory_import_runs"]
        .insert({"kind": kind, "heartbeat_at": time.time(), "state": "running"})
        .last_pk
    )
    try:
        for start in range(0, len(changes), BATCH_ROWS):
            with write_lock(db):
                for change in changes[start : start + BATCH_ROWS]:
                    _apply_one(db, kind, run_id, change)
                db.execute(
                    "UPDATE directory_import_runs SET heartbeat_at = ? WHERE id = ?",
                    [time.time(), run_id],
                )
            let_others_write()
    except BaseException:
        undo(db, run_id)
        raise
    db.execute("UPDATE directory_import_runs SET state = 'done' WHERE id = ?", [run_id])


class ChangedMeanwhile(Exception):
    """A row the checked file updates was deleted before the import reached it."""


def _apply_one(db: Database, kind: str, run_id: int, change: Change) -> None:
    before = None
    if change.existing_id is None:
        row_id = admin_store.insert_plain(db, kind, change.record)
    else:
        row_id = change.existing_id
        before = admin_store.get(db, kind, row_id)
        if before is None:
            raise ChangedMeanwhile(f"{KINDS[kind].one} {row_id} was deleted during the import")
        admin_store.update(db, kind, row_id, change.record)
    members_before = None
    if change.members is not None:
        members_before = admin_store.member_ids(db, row_id) if before else []
        admin_store.set_members(db, row_id, change.members)
    db.execute(
        "INSERT INTO directory_import_undo (run_id, row_id, before, members_before) "
        "VALUES (?, ?, ?, ?)",
        [
            run_id,
            row_id,
            None if before is None else json.dumps(before),
            None if members_before is None else json.dumps(members_before),
        ],
    )


def undo(db: Database, run_id: int) -> None:
    """Put back what a run changed, last change first, in one transaction: rows it added
    are deleted (unless something uses them by now), rows it updated get their values back."""
    with write_lock(db):
        kind = db.execute(
            "SELECT kind FROM directory_import_runs WHERE id = ?", [run_id]
        ).fetchone()[0]
        done = db.execute(
            "SELECT row_id, before, members_before FROM directory_import_undo "
            "WHERE run_id = ? ORDER BY id DESC",
            [run_id],
        ).fetchall()
        for row_id, before, members_before in done:
            if members_before is not None:
                admin_store.set_members(db, row_id, json.loads(members_before))
            if before is None:
                admin_store.delete(db, kind, row_id)  # refused, and kept, when in use
            else:
                values = json.loads(before)
                values.pop("id", None)
                admin_store.update(db, kind, row_id, values)
        db.execute("UPDATE directory_import_runs SET state = 'undone' WHERE id = ?", [run_id])


def undo_unfinished(db: Database) -> int:
    """Undo the runs whose process died between batches; how many there were."""
    stale = db.execute(
        "SELECT id FROM directory_import_runs WHERE state = 'running' AND heartbeat_at < ?",
        [time.time() - STALE_SECONDS],
    ).fetchall()
    for (run_id,) in stale:
        undo(db, run_id)
    return len(stale)
