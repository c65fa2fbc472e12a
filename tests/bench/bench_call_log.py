"""The call log with 100,000 calls: the app's page against a bare Flask route doing the
same SQL (the default queue order, and with a filter), and a call page with 200 events.

Both sides are timed alternately (`paired_times`), so a busy machine slows both alike, and
each page's SQL statements are counted and printed. The call page is timed as it is opened
again (its suggested articles kept in the process), on its first view in a process (kept in
the database by an earlier view elsewhere: read, not searched) and on its first view
anywhere (nothing kept: searched)."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from kit import create_app
from kit.auth import store as accounts
from kit.calls import log_store, store
from kit.db import connect, now
from kit.kb import context
from tests.bench.common import paired_times, report_pair


def _bare_app(db_path: str) -> Flask:
    """The baseline: one route, the same queries, rows dumped as JSON, no templates."""
    bare = Flask("bare")

    @bare.get("/calls")
    def calls():
        from flask import request

        db = connect(db_path)
        f = log_store.CallFilter(
            status=request.args.get("status", ""), text=request.args.get("q", "")
        )
        rows, total = log_store.search_calls(db, f, page_size=50)
        db.conn.close()
        return json.dumps({"total": total, "rows": rows}, default=str)

    return bare


def run(instance: Path) -> list[str]:
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    db = connect(app.config["DATABASE"])
    if not accounts.find_by_username(db, "benchadmin"):
        accounts.create_user(
            db, username="benchadmin", name="Bench", password="bench-password-1", roles={"desk"}
        )
    call_id = _call_with_history(db, app)
    db.conn.close()
    client = app.test_client()
    client.post("/auth/login", data={"username": "benchadmin", "password": "bench-password-1"})
    bare = _bare_app(app.config["DATABASE"]).test_client()
    lines = []
    for label, query in (
        ("default queue order", ""),
        ("filter: open + text", "?status=open&q=printer"),
    ):
        _statements(app, client, f"/calls/{query}")
        pair = paired_times(
            lambda q=query: _ok(client.get(f"/calls/{q}")),
            lambda q=query: _ok(bare.get(f"/calls{q}")),
            repeat=30,
        )
        lines.append(report_pair(f"call log page, 100k calls, {label}", pair, 1.3))
    _statements(app, client, f"/calls/{call_id}")
    pair = paired_times(
        lambda: _ok(client.get(f"/calls/{call_id}")), lambda: _ok(bare.get("/calls?q=zzzz")), 30
    )
    lines.append(report_pair("call page, 200 events, opened again", pair, 2.0))

    kept = connect(app.config["DATABASE"])

    def nothing_kept():
        """The call never opened anywhere: nothing kept, its articles will be searched."""
        context._cache.clear()
        kept.execute("DELETE FROM call_suggestions WHERE call_id = ?", [call_id])

    def kept_elsewhere():
        """Its first view in this process (another process, or this one before a restart,
        opened it): the suggestions kept in the database are read, not searched."""
        context._cache.clear()

    for label, setup in (
        ("first view anywhere, searched", nothing_kept),
        ("first view here, kept in the database", kept_elsewhere),
    ):
        pair = paired_times(
            lambda: _ok(client.get(f"/calls/{call_id}")),
            lambda: _ok(bare.get("/calls?q=zzzz")),
            repeat=10,
            setup=setup,
        )
        lines.append(report_pair(f"call page, 200 events, {label}", pair, 2.0))
    kept.conn.close()
    return lines


def _statements(app, client, path: str) -> None:
    """Print how many SQL statements one request for `path` runs (after a warm-up), not
    counting the one at teardown that proves the connection clean to keep it."""
    import kit.db
    from kit import connections

    seen: list[str] = []
    real, check = kit.db.connect, connections.is_clean

    def counting(db_path):
        database = real(db_path)
        database.conn.set_trace_callback(seen.append)
        return database

    def checked(db, busy_timeout_ms):
        db.conn.set_trace_callback(None)
        return check(db, busy_timeout_ms)

    _ok(client.get(path))
    connections.forget()  # the request opens a connection that counts
    kit.db.connect, connections.is_clean = counting, checked
    try:
        _ok(client.get(path))
    finally:
        kit.db.connect, connections.is_clean = real, check
    print(f"{path}: {len(seen)} SQL statements per request", flush=True)


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def _call_with_history(db, app) -> int:
    with app.app_context():
        at = now()
    call_id = db.execute("SELECT MAX(id) FROM calls").fetchone()[0]
    have = db.execute("SELECT COUNT(*) FROM call_events WHERE call_id = ?", [call_id]).fetchone()[0]
    for n in range(max(0, 200 - have)):
        store.add_event(db, call_id, user_id=None, at=at, kind="note", text=f"Note {n}")
    return call_id
