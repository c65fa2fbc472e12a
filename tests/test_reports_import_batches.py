"""A large import is written in short batches: the desk can log calls meanwhile, and a run
that fails or dies part-way keeps none of its rows (its calls are voided, never deleted)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from kit import settings
from kit.db import connect, stamp
from kit.reports import call_import
from kit.reports.call_import_rows import PastCall
from tests.test_reports_import import GOOD, HEADER

AT = datetime(2026, 11, 23, 9, 30)


def _rows(n: int) -> str:
    lines = [
        f"2025-09-{1 + i % 28:02d} 09:{i % 60:02d},Caller {i},Printer or copier,Jam {i},Closed,"
        f",2025-09-{1 + i % 28:02d} 12:00,,,,,\n"
        for i in range(n)
    ]
    return HEADER + "".join(lines)


def _kept(db) -> int:
    return db.execute("SELECT COUNT(*) FROM calls WHERE voided = 0").fetchone()[0]


def test_the_preview_shows_the_references_the_import_then_takes(app, db):
    cal = settings.calendar(db)
    preview = call_import.import_calls(db, GOOD, dry_run=True, user_id=None, at=AT, cal=cal)
    done = call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=AT, cal=cal)
    assert preview.changes == done.changes and len(done.changes) == 3
    assert not preview.imported and done.imported
    assert db.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 3


def test_the_desk_can_log_a_call_between_two_batches_of_an_import(app, db, monkeypatch):
    monkeypatch.setattr(call_import, "BATCH_ROWS", 5)
    desk = connect(app.config["DATABASE"])
    desk.execute("PRAGMA busy_timeout = 0")  # a desk write that had to wait would fail at once
    written: list[int] = []

    def between_batches(rows: int) -> None:
        written.append(rows)
        desk.execute("BEGIN IMMEDIATE")
        desk.execute("ROLLBACK")

    report = call_import.import_calls(
        db, _rows(12), dry_run=False, user_id=None, at=AT, cal=settings.calendar(db),
        progress=between_batches,
    )  # fmt: skip
    assert report.imported and report.created == 12
    assert written == [5, 10, 12]


def test_an_import_that_fails_in_its_second_batch_keeps_none_of_its_rows(app, db, monkeypatch):
    monkeypatch.setattr(call_import, "BATCH_ROWS", 2)
    real_insert = call_import.insert_calls
    batches = []

    def full_disk_in_the_second_batch(*args, **kwargs):
        batches.append(1)
        if len(batches) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(call_import, "insert_calls", full_disk_in_the_second_batch)
    cal = settings.calendar(db)
    with pytest.raises(sqlite3.OperationalError):
        call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=AT, cal=cal)
    assert _kept(db) == 0
    voided = db.execute("SELECT COUNT(*) FROM calls WHERE voided = 1").fetchone()[0]
    assert voided == 2, "the first batch's calls are kept, voided, with their history"
    kinds = [r[0] for r in db.execute("SELECT kind FROM call_events ORDER BY id")]
    assert kinds.count("voided") == 2
    monkeypatch.setattr(call_import, "insert_calls", real_insert)
    again = call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=AT, cal=cal)
    assert again.imported and _kept(db) == 3, "the same file imports cleanly afterwards"


def test_an_import_whose_process_died_is_voided_by_the_next_one(app, db):
    cal = settings.calendar(db)
    call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=AT, cal=cal)
    # As if the process had died after its first batch: the run never finished.
    db.execute("UPDATE call_import_runs SET state = 'running', heartbeat_at = ?", [stamp(AT)])
    later = datetime(2026, 11, 23, 9, 45)
    report = call_import.import_calls(db, _rows(1), dry_run=True, user_id=None, at=later, cal=cal)
    assert report.ok
    assert _kept(db) == 0
    states = [r[0] for r in db.execute("SELECT state FROM call_import_runs")]
    assert states == ["abandoned"]


def test_a_run_still_writing_is_not_taken_for_a_dead_one(app, db):
    cal = settings.calendar(db)
    call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=AT, cal=cal)
    db.execute("UPDATE call_import_runs SET state = 'running', heartbeat_at = ?", [stamp(AT)])
    soon = datetime(2026, 11, 23, 9, 35)  # five minutes since its last batch
    call_import.import_calls(db, _rows(1), dry_run=True, user_id=None, at=soon, cal=cal)
    assert _kept(db) == 3


def test_a_call_numbered_between_two_batches_is_followed_by_the_next_batch(app, db, monkeypatch):
    monkeypatch.setattr(call_import, "BATCH_ROWS", 5)
    desk = connect(app.config["DATABASE"])
    cal = settings.calendar(db)
    category = db.execute("SELECT id FROM categories WHERE name = 'Email'").fetchone()[0]
    between: list[int] = []

    def desk_imports_one(rows: int) -> None:
        if rows == 5:
            past = PastCall(
                logged_at=datetime(2025, 9, 30, 9, 0), caller_name="Desk", category_id=category,
                summary="Logged meanwhile", resolved_at=datetime(2025, 9, 30, 10, 0),
            )  # fmt: skip
            between.append(call_import.import_past_call(desk, past, user_id=None, at=AT, cal=cal))

    report = call_import.import_calls(
        db, _rows(12), dry_run=False, user_id=None, at=AT, cal=cal, progress=desk_imports_one
    )
    assert report.imported and report.created == 12
    refs = [r[0] for r in db.execute("SELECT ref FROM calls ORDER BY id")]
    assert refs == [f"25-{n:04d}" for n in range(1, 14)], "one sequence, no gap, no repeat"
    meanwhile = db.execute("SELECT ref, summary FROM calls WHERE id = ?", between).fetchone()
    assert tuple(meanwhile) == ("25-0006", "Logged meanwhile")
    histories = db.execute("SELECT COUNT(DISTINCT call_id) FROM call_events").fetchone()[0]
    assert histories == 13, "every call, the import's and the desk's, has its history"


def test_a_batch_is_sized_to_hold_the_lock_briefly_between_its_bounds():
    target = call_import.BATCH_SECONDS
    assert call_import.next_batch_rows(100, target) == 100  # on pace: the same again
    assert call_import.next_batch_rows(100, target * 2) == 50  # slow (a busy machine): fewer
    assert call_import.next_batch_rows(100, target / 2) == 200  # quick: more
    assert call_import.next_batch_rows(100, 10.0) == call_import.MIN_BATCH_ROWS
    assert call_import.next_batch_rows(100, 0.0) == call_import.BATCH_ROWS
