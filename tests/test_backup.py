"""Backups: a consistent copy while the kit is in use, checked before it is restored."""

from __future__ import annotations

import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest

from kit.backup import BackupError, backup, check, restore
from kit.db import connect


def _dump(path: Path) -> tuple[list, list]:
    conn = sqlite3.connect(path)
    try:
        calls = conn.execute("SELECT * FROM calls ORDER BY id").fetchall()
        events = conn.execute("SELECT * FROM call_events ORDER BY id").fetchall()
    finally:
        conn.close()
    return calls, events


def test_backup_and_restore_bring_back_every_call_and_event(app, make_call, tmp_path):
    for n in range(20):
        make_call(summary=f"Call {n}")
    instance, db_path = Path(app.instance_path), Path(app.config["DATABASE"])
    (instance / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nlogo")
    before = _dump(db_path)
    archive = tmp_path / "backup.zip"
    report = backup(instance, db_path, archive)
    assert report.calls == 20

    elsewhere = tmp_path / "restored"
    restore(archive, elsewhere, elsewhere / "kit.sqlite3")
    assert _dump(elsewhere / "kit.sqlite3") == before
    assert (elsewhere / "logo.png").read_bytes() == b"\x89PNG\r\n\x1a\nlogo"


def test_backup_taken_while_calls_are_being_logged_is_consistent(app, make_call, tmp_path):
    """Writers keep going during the backup; the copy passes integrity_check and holds
    every call that was committed before it started."""
    for n in range(10):
        make_call(summary=f"Before {n}")
    stop = threading.Event()

    def writer():
        from datetime import datetime

        from kit import settings
        from kit.calls import store

        db = connect(app.config["DATABASE"])
        cal = settings.calendar(db)
        n = 0
        while not stop.is_set() and n < 200:
            store.log_call(
                db,
                store.NewCall(
                    caller_name="W", channel="Phone", category_id=1, summary=f"During {n}"
                ),
                user_id=None,
                at=datetime(2026, 11, 23, 10, 0),
                cal=cal,
            )
            n += 1
        db.conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    archive = tmp_path / "live.zip"
    report = backup(Path(app.instance_path), Path(app.config["DATABASE"]), archive)
    stop.set()
    thread.join()
    check(archive)
    assert report.calls >= 10


def test_restore_refuses_a_damaged_database(tmp_path):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("kit.sqlite3", b"this is not a database" * 100)
    with pytest.raises(BackupError, match="damaged|integrity"):
        check(archive)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "x.zip"
    path.write_text("hello")
    with pytest.raises(BackupError, match="not a kit backup"):
        check(path)


def test_restore_refuses_paths_outside_the_instance(tmp_path, app):
    archive = tmp_path / "evil.zip"
    backup(Path(app.instance_path), Path(app.config["DATABASE"]), archive)
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("../escape.txt", "x")
    with pytest.raises(BackupError, match="unsafe path"):
        check(archive)


def test_kit_backup_command_writes_the_archive(app, make_call, tmp_path):
    from kit.cli import backup_command

    make_call()
    result = app.test_cli_runner().invoke(backup_command, [str(tmp_path / "b.zip")])
    assert result.exit_code == 0, result.output
    assert "Backed up 1 calls" in result.output
