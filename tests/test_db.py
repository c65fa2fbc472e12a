"""The database: pragmas, migrations that upgrade in place, and the packaged assets."""

from __future__ import annotations

import importlib
import subprocess
import sys
import zipfile

import pytest

from kit import schema
from kit.db import MIGRATION_SETS, connect, migrate


def test_connection_sets_the_pragmas_every_request_needs(tmp_path):
    db = connect(str(tmp_path / "x.db"))
    migrate(db)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_upgrade_a_first_version_database_in_place(tmp_path):
    path = str(tmp_path / "old.db")
    db = connect(path)
    schema.migrations.apply(db, stop_before="m002_calls_and_history")
    db["people"].insert({"name": "Kept Person"})
    db.conn.close()

    db = connect(path)
    migrate(db)
    assert [p["name"] for p in db["people"].rows] == ["Kept Person"]
    assert db["calls"].exists() and db["call_events"].exists()
    assert db["categories"].count > 0


def test_migrating_twice_changes_nothing(tmp_path):
    db = connect(str(tmp_path / "x.db"))
    migrate(db)
    before = db.execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0]
    tables = set(db.table_names())
    migrate(db)
    assert db.execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0] == before
    assert set(db.table_names()) == tables


def test_every_migration_set_is_recorded(tmp_path):
    db = connect(str(tmp_path / "x.db"))
    migrate(db)
    recorded = {r[0] for r in db.execute("SELECT DISTINCT migration_set FROM _sqlite_migrations")}
    expected = {importlib.import_module(name).migrations.name for name in MIGRATION_SETS}
    assert recorded == expected


def test_app_uses_only_tables_the_migrations_create(app, login, make_call, client, db):
    """An insert into a misspelt table would silently create it: compare with a fresh schema."""
    make_call()
    login("desk")
    client.get("/calls/")
    fresh = connect(":memory:")
    migrate(fresh)
    assert set(db.table_names()) == set(fresh.table_names())


@pytest.mark.slow
def test_wheel_contains_the_assets_and_an_installed_copy_serves_a_page(tmp_path):
    root = importlib.import_module("kit").__file__.rsplit("/kit/", 1)[0]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            root,
        ],
        check=True,
    )
    wheel = next((tmp_path / "dist").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for asset in ("templates/base.html", "static/css/screen.css"):
        assert f"kit/_assets/{asset}" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    script = (
        "import kit, sys; assert kit.__file__.startswith(sys.argv[1]), kit.__file__\n"
        "app = kit.create_app({'TESTING': True, 'INSTANCE_PATH': sys.argv[2], 'SECRET_KEY': 'x'})\n"
        # An empty instance opens the set-up wizard's first step (templates and CSS served).
        "r = app.test_client().get('/setup/account'); assert r.status_code == 200, r.status_code\n"
        "assert b'Create my account' in r.data\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(target), str(tmp_path / "inst")],
        check=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )


def test_a_second_process_starting_waits_for_the_first_ones_migrations(tmp_path):
    import threading

    from kit.db import migration_lock

    database = str(tmp_path / "kit.sqlite3")
    order: list[str] = []

    def second_start() -> None:
        with migration_lock(database):  # its own open file: locks as another process would
            order.append("second migrates")

    with migration_lock(database):
        second = threading.Thread(target=second_start)
        second.start()
        second.join(0.5)
        order.append("first done")
    second.join(5)
    assert order == ["first done", "second migrates"]


def test_a_desk_write_gets_its_turn_between_a_long_jobs_batches(tmp_path):
    """A job writing batch after batch (an import) must not starve the desk until it ends:
    the desk's write_lock takes the lock in the gap the job leaves between two batches."""
    import threading
    import time

    from kit.db import let_others_write, write_lock

    path = str(tmp_path / "kit.sqlite3")
    job = connect(path)
    job.enable_wal()
    job.execute("CREATE TABLE log (who TEXT)")
    batches, desk_wanted = 25, threading.Event()

    def desk() -> None:
        own = connect(path)
        desk_wanted.wait()
        with write_lock(own):
            own.execute("INSERT INTO log VALUES ('desk')")
        own.conn.close()

    thread = threading.Thread(target=desk)
    thread.start()
    for batch in range(batches):
        with write_lock(job):
            job.execute("INSERT INTO log VALUES (?)", [f"batch {batch}"])
            if batch == 1:
                desk_wanted.set()
            time.sleep(0.02)  # a batch's work, holding the lock
        let_others_write()
    thread.join()
    order = [r[0] for r in job.execute("SELECT who FROM log ORDER BY rowid")]
    assert order.index("desk") < batches  # it was not left waiting until the job ended
    assert order.index("desk") <= 6, order  # nor for more than a few batches
