"""The call log with 100,000 calls: the app's page against a bare Flask route doing the
same SQL (the default queue order, and with a filter), and a call page with 200 events."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from kit import create_app
from kit.auth import store as accounts
from kit.calls import store
from kit.db import connect, now
from tests.bench.common import median_time, report


def _bare_app(db_path: str) -> Flask:
    """The baseline: one route, the same queries, rows dumped as JSON, no templates."""
    bare = Flask("bare")

    @bare.get("/calls")
    def calls():
        from flask import request

        db = connect(db_path)
        f = store.CallFilter(status=request.args.get("status", ""), text=request.args.get("q", ""))
        rows, total = store.search_calls(db, f, page_size=50)
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
        measured = median_time(lambda q=query: _ok(client.get(f"/calls/{q}")))
        baseline = median_time(lambda q=query: _ok(bare.get(f"/calls{q}")))
        lines.append(report(f"call log page, 100k calls, {label}", measured, baseline, 1.5))
    measured = median_time(lambda: _ok(client.get(f"/calls/{call_id}")))
    baseline = median_time(lambda: _ok(bare.get("/calls?q=zzzz")))
    lines.append(report("call page with 200 history events", measured, baseline))
    return lines


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
