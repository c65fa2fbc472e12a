"""The SQL of the past-call import: a batch of calls with their history and the run's marks,
and voiding a run that did not finish.

A batch is written with one statement per table (`executemany`), not one per row: the rows
are built before the write lock is taken (`kit.reports.call_import`), so a batch holds the
lock only for numbering and inserting. Ids are given here (the next after the highest,
which is what SQLite would choose), so the history and the run's marks need no read-back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls import store
from kit.db import stamp, write_lock
from kit.rules.refs import format_ref

VOID_TEXT = "The import this call came from did not finish: none of its rows is kept."


def insert_calls(
    db: Database,
    rows: Sequence[tuple[dict[str, Any], str, str]],
    *,
    run_id: int | None,
    user_id: int | None,
    at: datetime,
) -> list[tuple[int, str]]:
    """Insert (calls row, history changes as JSON, history text) each with the next
    reference in the year it was logged and an "imported" history entry; marked as
    `run_id`'s when given. The caller holds the write lock. Each call's (id, ref)."""
    if not rows:
        return []
    next_seq = {y: store.next_sequence(db, y) for y in sorted({r["ref_year"] for r, _, _ in rows})}
    first_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM calls").fetchone()[0]
    columns = ["id", "ref", "ref_seq", *rows[0][0]]
    values, made = [], []
    for offset, (row, _, _) in enumerate(rows):
        call_id, year = first_id + offset, row["ref_year"]
        seq, ref = next_seq[year], format_ref(year, next_seq[year])
        next_seq[year] += 1
        values.append((call_id, ref, seq, *row.values()))
        made.append((call_id, ref))
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(f"INSERT INTO calls ({', '.join(columns)}) VALUES ({marks})", values)
    store.add_events(
        db,
        [
            (call_id, changes, text)
            for (call_id, _), (_, changes, text) in zip(made, rows, strict=True)
        ],
        user_id=user_id,
        at=at,
        kind="imported",
    )
    if run_id is not None:
        db.conn.executemany(
            "INSERT INTO call_import_calls (run_id, call_id) VALUES (?, ?)",
            [(run_id, call_id) for call_id, _ in made],
        )
    return made


def start_run(db: Database, *, user_id: int | None, at: datetime, heartbeat: str) -> int:
    """Record a run before its first batch: until it is marked done, its calls are voided
    by the next import after `heartbeat` goes stale (the process died)."""
    run = {"user_id": user_id, "started_at": stamp(at), "heartbeat_at": heartbeat}
    return db["call_import_runs"].insert({**run, "state": "running"}).last_pk


def batch_done(db: Database, run_id: int, rows_done: int, heartbeat: str) -> None:
    db.execute(
        "UPDATE call_import_runs SET rows_done = ?, heartbeat_at = ? WHERE id = ?",
        [rows_done, heartbeat, run_id],
    )


def run_done(db: Database, run_id: int) -> None:
    db.execute("UPDATE call_import_runs SET state = 'done' WHERE id = ?", [run_id])


def stale_runs(db: Database, cutoff: str) -> list[int]:
    found = db.execute(
        "SELECT id FROM call_import_runs WHERE state = 'running' AND heartbeat_at < ?", [cutoff]
    )
    return [r[0] for r in found]


def abandon(db: Database, run_id: int, at: datetime) -> None:
    """Void a run's calls (the kit never deletes one) and free their keys for a new import."""
    with write_lock(db):
        call_ids = [
            r[0]
            for r in db.execute("SELECT call_id FROM call_import_calls WHERE run_id = ?", [run_id])
        ]
        for call_id in call_ids:
            db.execute("UPDATE calls SET voided = 1, submission_key = NULL WHERE id = ?", [call_id])
        store.add_events(
            db, [(c, "{}", VOID_TEXT) for c in call_ids], user_id=None, at=at, kind="voided"
        )
        db.execute("UPDATE call_import_runs SET state = 'abandoned' WHERE id = ?", [run_id])
