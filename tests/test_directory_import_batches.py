"""A large directory import is checked without the write lock and written in short batches:
the desk can save meanwhile, and a run that fails or dies part-way is undone, leaving the
directory as it was."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kit.db import connect, write_lock
from kit.directory import admin_store, import_runs, import_store
from kit.directory.importer import import_csv


def _staff(n: int, start: int = 0) -> str:
    rows = [f"Person {i},person{i}@school.example,Maths\n" for i in range(start, start + n)]
    return "name,email,department\n" + "".join(rows)


def _directory(db) -> dict[str, list]:
    tables = ("people", "support_groups", "group_members")
    return {t: [dict(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}


def test_checking_a_file_takes_no_write_lock(app, db):
    desk = connect(app.config["DATABASE"])
    desk.execute("BEGIN IMMEDIATE")  # the desk holds the lock throughout the check
    try:
        report = import_csv(db, "people", _staff(300), dry_run=True)
    finally:
        desk.execute("ROLLBACK")
    assert report.ok and report.created == 300
    assert db["people"].count == 0


def test_a_desk_write_during_a_long_staff_import_gets_in_within_a_few_batches(app, db, monkeypatch):
    monkeypatch.setattr(import_store, "BATCH_ROWS", 20)
    batches, desk_wanted = 30, threading.Event()
    real_apply_one = import_store._apply_one
    applied: list[int] = []

    def slow_batches(*args, **kwargs):  # each batch holds the lock a while, as a big one would
        applied.append(1)
        if len(applied) == 21:  # the second batch's first row: the desk wants to save now
            desk_wanted.set()
        if len(applied) % 20 == 0:
            time.sleep(0.02)
        return real_apply_one(*args, **kwargs)

    monkeypatch.setattr(import_store, "_apply_one", slow_batches)

    def desk() -> None:
        own = connect(app.config["DATABASE"])
        desk_wanted.wait(10)
        with write_lock(own):
            admin_store.insert(own, "people", {"name": "Saved by the desk"})
        own.conn.close()

    thread = threading.Thread(target=desk)
    thread.start()
    report = import_csv(db, "people", _staff(20 * batches), dry_run=False)
    thread.join()
    assert report.imported and report.created == 20 * batches
    names = [r[0] for r in db.execute("SELECT name FROM people ORDER BY id")]
    before_desk = names.index("Saved by the desk")
    assert before_desk < 20 * batches, "the desk was not left waiting until the import ended"
    assert before_desk <= 20 * 6, f"nor for more than a few batches ({before_desk} rows first)"


def test_a_failed_import_leaves_the_directory_as_before(app, db, users, monkeypatch):
    import_csv(db, "people", _staff(5), dry_run=False)
    admin_store.insert(db, "groups", {"name": "Network", "tier": 3})
    before = _directory(db)
    monkeypatch.setattr(import_store, "BATCH_ROWS", 2)
    real_apply_one = import_store._apply_one
    applied: list[int] = []

    def full_disk_in_the_third_batch(*args, **kwargs):
        applied.append(1)
        if len(applied) == 5:
            raise sqlite3.OperationalError("database or disk is full")
        return real_apply_one(*args, **kwargs)

    monkeypatch.setattr(import_store, "_apply_one", full_disk_in_the_third_batch)
    # Updates five people (new department), adds three.
    text = _staff(8).replace("Maths", "Science")
    with pytest.raises(sqlite3.OperationalError):
        import_csv(db, "people", text, dry_run=False)
    assert _directory(db) == before
    state = db.execute("SELECT state FROM directory_import_runs ORDER BY id DESC").fetchone()[0]
    assert state == "undone"


def test_a_failed_group_import_gives_the_members_back(app, db, users, monkeypatch):
    users["technician"]
    done = import_csv(db, "groups", "name,tier,members\nNetwork,3,technician\n", dry_run=False)
    before = _directory(db)
    assert done.imported and len(before["group_members"]) == 2  # and Service Delivery's
    monkeypatch.setattr(import_store, "BATCH_ROWS", 1)
    real_apply_one = import_store._apply_one

    def fails_on_the_second_row(db_, kind, run_id, change):
        if change.existing_id is None:
            raise sqlite3.OperationalError("database or disk is full")
        return real_apply_one(db_, kind, run_id, change)

    monkeypatch.setattr(import_store, "_apply_one", fails_on_the_second_row)
    with pytest.raises(sqlite3.OperationalError):
        import_csv(db, "groups", "name,tier,members\nNetwork,3,\nPrinting,2,\n", dry_run=False)
    assert _directory(db) == before


def test_an_import_whose_process_died_is_undone_by_the_next_one(app, db):
    import_csv(db, "people", _staff(3), dry_run=False)
    before = _directory(db)
    import_csv(db, "people", _staff(4).replace("Maths", "Art"), dry_run=False)
    # As if the process had died after its batches: the run never finished.
    db.execute("UPDATE directory_import_runs SET state = 'running', heartbeat_at = 0 WHERE id = 2")
    report = import_csv(db, "people", _staff(1, start=50), dry_run=True)
    assert report.ok and _directory(db) == before


def test_a_run_still_writing_is_not_taken_for_a_dead_one(app, db):
    import_csv(db, "people", _staff(3), dry_run=False)
    db.execute(
        "UPDATE directory_import_runs SET state = 'running', heartbeat_at = ?", [time.time()]
    )
    import_csv(db, "people", _staff(1, start=50), dry_run=True)
    assert db["people"].count == 3


def test_the_page_of_an_import_that_died_undoes_what_it_wrote(app, login, client, db):
    import_csv(db, "people", _staff(3), dry_run=False)
    db.execute("UPDATE directory_import_runs SET state = 'running', heartbeat_at = 0")
    login("admin")
    folder = Path(app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    import_runs._write(
        folder,
        "cd" * 16,
        {"kind": "people", "dry_run": False, "user_id": 1, "token": "", "total": 3,
         "done": 3, "finished": False, "report": None, "updated_at": time.time() - 600},
    )  # fmt: skip
    html = client.get("/directory/people/import/runs/" + "cd" * 16).get_data(as_text=True)
    assert "Nothing was saved" in html
    assert db["people"].count == 0


def test_an_imported_row_is_what_the_admin_page_would_have_saved(app, db):
    text = "asset_tag,type,make,purchase_date\nPRJ-1,Projector,Epson,01/09/2024\n"
    import_csv(db, "equipment", text, dry_run=False)
    item = db.execute("SELECT asset_tag, type, make, purchase_date FROM equipment").fetchone()
    assert tuple(item) == ("PRJ-1", "Projector", "Epson", "2024-09-01")
