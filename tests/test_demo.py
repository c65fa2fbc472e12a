"""The demo school `make run` loads: every role has something to look at on first login."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kit import demo

NOW = datetime(2026, 11, 23, 9, 30)


def test_the_demo_has_calls_at_every_stage_of_the_procedure(app, db):
    demo.load(db, at=NOW)
    statuses = {row[0] for row in db.execute("SELECT status FROM calls")}
    wanted = {"Logged", "Assigned", "With Customer", "With 3rd Party", "Resolved", "Closed"}
    assert statuses >= wanted


def test_the_demo_technician_has_jobs_routed_to_them(app, db):
    demo.load(db, at=NOW)
    tech = db.execute("SELECT id FROM users WHERE username = 'tech'").fetchone()[0]
    jobs = db.execute("SELECT COUNT(*) FROM calls WHERE assignee_id = ?", [tech]).fetchone()[0]
    assert jobs >= 2


def test_the_demo_logins_work_with_the_documented_password(app, db, client):
    demo.load(db, at=NOW)
    from tests.conftest import csrf_token

    token = csrf_token(client)
    answer = client.post(
        "/auth/login",
        data={"username": "office", "password": demo.DEMO_PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 302
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"password `{demo.DEMO_PASSWORD}`" in readme
