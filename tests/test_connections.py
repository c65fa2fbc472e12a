"""A server thread keeps its SQLite connection from one request to the next only when the
request left it clean, and a kept connection sees every write made since, by anyone
(kit.connections)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from flask import g

from kit import connections
from kit.db import get_db


@pytest.fixture(autouse=True)
def nothing_kept_from_other_tests():
    connections.forget()
    yield
    connections.forget()


def _closed(db) -> bool:
    try:
        db.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def _ten_rows(db):
    return db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
        "SELECT i FROM n"
    )


def test_a_thread_serves_its_next_request_on_the_connection_it_kept(login, client):
    login("desk")
    client.get("/calls/")
    kept = connections.kept_connection()
    assert kept is not None
    assert client.get("/calls/").status_code == 200
    assert connections.kept_connection() is kept


def test_a_cursor_left_half_read_makes_the_connection_be_closed_not_kept(app):
    with app.test_request_context("/"):
        db = get_db()
        g.left_open = _ten_rows(db)
        assert g.left_open.fetchone()[0] == 1
    assert connections.kept_connection() is None
    assert _closed(db)


def test_a_transaction_left_open_makes_the_connection_be_closed_not_kept(app):
    with app.test_request_context("/"):
        db = get_db()
        db.execute("BEGIN")
        db.execute("SELECT COUNT(*) FROM calls").fetchone()
    assert connections.kept_connection() is None
    assert _closed(db)


def test_a_request_that_read_everything_it_asked_for_leaves_its_connection_kept(app):
    with app.test_request_context("/"):
        db = get_db()
        assert len(_ten_rows(db).fetchall()) == 10
        cursor = _ten_rows(db)
        cursor.fetchone()
        cursor.close()  # closed half read: reset, so nothing holds a snapshot
    assert connections.kept_connection() is db
    assert not _closed(db)


def test_a_pragma_changed_by_a_request_makes_the_connection_be_closed(app):
    with app.test_request_context("/"):
        db = get_db()
        db.execute("PRAGMA foreign_keys = OFF")
    assert connections.kept_connection() is None
    assert _closed(db)


def test_a_temporary_table_left_by_a_request_makes_the_connection_be_closed(app):
    with app.test_request_context("/"):
        db = get_db()
        db.execute("CREATE TEMP TABLE scratch (x)")
    assert connections.kept_connection() is None


def test_a_kept_connection_sees_another_processs_write_on_the_next_request(
    login, client, app, make_call
):
    call_id = make_call("Projector in S12 shows No signal")
    login("desk")
    assert "No signal" in client.get("/calls/").get_data(as_text=True)
    kept = connections.kept_connection()
    writer = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('UPDATE calls SET summary = ? WHERE id = ?', ('Changed elsewhere', sys.argv[2]))\n"
        "c.commit()\n"
    )
    subprocess.run([sys.executable, "-c", writer, app.config["DATABASE"], str(call_id)], check=True)
    page = client.get("/calls/").get_data(as_text=True)
    assert connections.kept_connection() is kept
    assert "Changed elsewhere" in page and "No signal" not in page


def test_a_logout_is_seen_on_the_kept_connections_next_request(login, client, post):
    login("desk")
    client.get("/calls/")
    kept = connections.kept_connection()
    copied = client.get_cookie("session").value
    assert post("/auth/logout", token_from="/calls/").status_code == 302
    client.set_cookie("session", copied)
    response = client.get("/calls/")
    assert connections.kept_connection() is kept
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_each_thread_keeps_its_own_connection(app):
    import threading

    with app.test_request_context("/"):
        mine = get_db()
    seen = {}

    def other_thread():
        with app.test_request_context("/"):
            seen["db"] = get_db()
        seen["kept"] = connections.kept_connection()

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen["db"] is not mine and seen["kept"] is seen["db"]
    assert connections.kept_connection() is mine


def test_a_command_closes_its_connection_rather_than_keeping_it(app):
    with app.app_context():  # as `kit daily` or mail in's poll runs
        db = get_db()
        db.execute("SELECT COUNT(*) FROM calls").fetchone()
    assert connections.kept_connection() is None
    assert _closed(db)


def test_a_command_does_not_take_the_connection_a_request_kept(app):
    with app.test_request_context("/"):
        kept = get_db()
    with app.app_context():
        assert get_db() is not kept
    assert connections.kept_connection() is kept


def test_a_database_file_replaced_at_the_same_path_gets_a_new_connection(app):
    with app.test_request_context("/"):
        first = get_db()
    path = app.config["DATABASE"]
    shutil.copy(path, path + ".copy")
    os.replace(path + ".copy", path)
    with app.test_request_context("/"):
        assert get_db() is not first
    assert _closed(first)


def test_an_app_on_another_database_closes_the_kept_connection_first(app, tmp_path):
    from kit import create_app

    with app.test_request_context("/"):
        first = get_db()
    other = create_app(
        {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "other"), "SECRET_KEY": "test"}
    )
    with other.test_request_context("/"):
        second = get_db()
    assert _closed(first)
    assert connections.kept_connection() is second


def test_a_connection_kept_before_a_fork_is_neither_used_nor_closed_in_the_child(app):
    with app.test_request_context("/"):
        kept = get_db()
    child = os.fork()
    if child == 0:  # the child, as a gunicorn worker forked from the master
        code = 1
        try:
            with app.test_request_context("/"):
                code = 0 if get_db() is not kept else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert connections.kept_connection() is kept
    assert kept.execute("SELECT COUNT(*) FROM calls").fetchone()[0] >= 0


def test_without_sqlites_statement_table_every_request_opens_its_own(app, monkeypatch):
    monkeypatch.setattr(connections, "CLEAN_CHECK", "SELECT busy FROM sqlite_stmt_missing")
    monkeypatch.setattr(connections, "_supported", None)
    with app.test_request_context("/"):
        db = get_db()
    assert connections.kept_connection() is None
    assert _closed(db)
