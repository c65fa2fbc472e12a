"""The workload report's summary (kit.reports.summary) gives every table of the report what
the direct queries over the calls give (kit.reports.queries and monthly_queries, kept as
the reference), on a cold summary and after writes of every kind, from this connection,
from plain SQL on another, and after its triggers were lost."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from datetime import date, datetime, timedelta

import pytest
import summary_school
from summary_school import Made, stamp

from kit import create_app
from kit.reports import queries as q
from kit.reports import summary
from kit.reports import summary_queries as sq

RANGES = [
    (date(2021, 11, 24), date(2026, 11, 23)),  # the longest range: five years to today
    (date(2024, 1, 1), date(2024, 12, 31)),  # whole months only
    (date(2025, 3, 15), date(2025, 4, 10)),  # two part-months
    (date(2025, 3, 2), date(2025, 5, 30)),  # part-months either side of a whole one
    (date(2023, 6, 30), date(2023, 6, 30)),  # one day, the last of a month
    (date(2026, 11, 1), date(2026, 11, 30)),  # this month, partly to come
    (date(2019, 1, 1), date(2019, 12, 31)),  # before any call
]


def _filters(made: Made) -> list[dict]:
    return [
        {},
        {"group_id": made.groups[1]},
        {"technician_id": made.users[0]},
        {"category_id": made.categories[0]},
        {"call_type": "Incident"},
        {"call_type": "Request", "group_id": made.groups[0]},
        {"site": "Main"},
    ]


def assert_summary_agrees(db, made: Made) -> int:
    """Every range and filter: the summary's figures are the reference's. Returns how many
    figures were compared that were not empty (so the data is not trivially equal)."""
    summary.refresh(db)
    assert summary.stale_days(db) == 0
    compared = 0
    for start, end in RANGES:
        for extra in _filters(made):
            f = q.ReportFilter(start, end, **extra)
            expected = dataclasses.asdict(sq.from_calls(db, f))
            got = dataclasses.asdict(sq.workload_figures(db, f))
            assert got.pop("source") == ("calls" if f.site else "summary")
            expected.pop("source")
            for name, value in expected.items():
                assert got[name] == value, (name, f)
                compared += bool(value)
    return compared


@pytest.fixture
def school(db, make_call, clock) -> Made:
    return summary_school.build(db, make_call, clock)


def test_a_cold_summary_gives_every_table_what_the_calls_give(school, db):
    assert summary.stale_days(db) > 300  # nothing built yet: the triggers marked every day
    assert assert_summary_agrees(db, school) > 150


def test_the_data_has_what_the_summary_must_get_right(school, db):
    """Guards the builder: backwards calls, voided ones, closures without a resolution,
    calls logged at midnight and in a month's last minute, time on other months."""
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT COUNT(*) FROM report_backwards_calls") == 0  # before the build
    summary.refresh(db)
    assert count("SELECT COUNT(*) FROM report_backwards_calls") >= 3
    assert count("SELECT COUNT(*) FROM calls WHERE voided = 1") >= 5
    assert count("SELECT COUNT(*) FROM calls WHERE resolved_at IS NULL AND closed_at IS NOT NULL")
    assert count("SELECT COUNT(*) FROM calls WHERE time(logged_at) = '00:00:00'") >= 5
    assert count("SELECT COUNT(*) FROM calls WHERE time(logged_at) = '23:59:00'") >= 5
    assert count(
        "SELECT COUNT(*) FROM time_entries te JOIN calls c ON c.id = te.call_id "
        "WHERE substr(te.worked_on, 1, 7) <> substr(c.logged_at, 1, 7)"
    )


def _further_writes(db, made: Made, make_call, clock) -> None:
    """Reassignments, recategorised calls, reopened and re-timed ones, voids, time moved
    and deleted, equipment moved, names changed, new calls today."""
    calls = made.calls
    for n, call_id in enumerate(calls[:60]):
        change = n % 6
        if change == 0:
            db["calls"].update(call_id, {"group_id": made.groups[0], "assignee_id": made.users[1]})
        elif change == 1:
            db["calls"].update(
                call_id, {"category_id": made.categories[-1], "call_type": "Request"}
            )
        elif change == 2:  # reopened
            db["calls"].update(call_id, {"resolved_at": None, "closed_at": None})
        elif change == 3:
            logged = datetime.fromisoformat(db["calls"].get(call_id)["logged_at"])
            db["calls"].update(call_id, {"logged_at": stamp(logged - timedelta(days=33))})
        elif change == 4:
            db["calls"].update(call_id, {"voided": 1 - db["calls"].get(call_id)["voided"]})
        else:
            db["calls"].update(call_id, {"location_id": None, "equipment_id": made.equipment[0]})
    entries = [r[0] for r in db.execute("SELECT id FROM time_entries ORDER BY id")]
    for entry in entries[:10]:
        db.execute("DELETE FROM time_entries WHERE id = ?", [entry])
    for entry in entries[10:20]:
        db.execute("UPDATE time_entries SET worked_on = '2024-02-29', minutes = 7 WHERE id = ?", [entry])  # fmt: skip
    db.execute("UPDATE time_entries SET call_id = ? WHERE id = ?", [calls[-1], entries[25]])
    db["equipment"].update(made.equipment[0], {"location_id": made.rooms[1]})
    db["people"].update(made.people[0], {"name": "Ann Teacher-Smith", "department": ""})
    db["locations"].update(made.rooms[2], {"room": "Great Hall"})
    db["users"].update(made.users[0], {"name": "Tess T"})
    db.execute("PRAGMA foreign_keys = OFF")  # calls are never deleted; plain SQL could
    db.execute("DELETE FROM calls WHERE id = ?", [calls[70]])
    db.execute("PRAGMA foreign_keys = ON")
    clock.set(datetime(2026, 11, 23, 8, 0))
    for _ in range(3):
        made.calls.append(make_call("Logged today", caller_name="Walk-in"))


def test_after_further_writes_every_table_still_agrees(school, db, make_call, clock):
    assert_summary_agrees(db, school)
    _further_writes(db, school, make_call, clock)
    assert summary.stale_days(db) > 0
    assert assert_summary_agrees(db, school) > 150


def test_a_write_from_plain_sql_on_another_connection_is_in_the_next_report(school, db, app):
    f = q.ReportFilter(date(2021, 11, 24), date(2026, 11, 23))
    before = sq.workload_figures(db, f)
    other = sqlite3.connect(app.config["DATABASE"])
    with other:
        other.execute(
            "UPDATE calls SET resolved_at = '2026-11-22 10:00:00', closed_at = NULL WHERE id = ?",
            [school.calls[7]],
        )
        other.execute(
            "INSERT INTO time_entries (call_id, user_id, worked_on, minutes, created_at) "
            "VALUES (?, ?, '2026-11-22', 600, '2026-11-22 10:00:00')",
            [school.calls[8], school.users[1]],
        )
    other.close()
    after = sq.workload_figures(db, f)
    assert after.source == "summary"
    assert after == dataclasses.replace(sq.from_calls(db, f), source="summary")
    assert after.resolved[date(2026, 11, 22)] == before.resolved.get(date(2026, 11, 22), 0) + 1
    assert after.time_rows != before.time_rows


def test_a_lost_trigger_is_made_again_and_the_summary_rebuilt(school, db):
    summary.refresh(db)
    db.execute("DROP TRIGGER report_stale_call_update")  # as a rebuilt calls table loses it
    db["calls"].update(school.calls[3], {"voided": 1})  # not marked: no trigger
    assert summary.stale_days(db) == 0
    assert summary.install_triggers(db) is True
    assert summary.stale_days(db) > 300
    assert summary.install_triggers(db) is False  # the next start finds them all
    assert_summary_agrees(db, school)


def test_the_workload_page_is_the_same_from_the_summary_and_from_the_calls(
    school, client, login, monkeypatch
):
    login("leader")
    url = "/reports/workload?date_from=2021-11-24&date_to=2026-11-23"
    from_summary = client.get(url)
    assert from_summary.status_code == 200
    monkeypatch.setattr(sq, "workload_figures", sq.from_calls)
    assert _same_ids(client.get(url).get_data(as_text=True)) == _same_ids(
        from_summary.get_data(as_text=True)
    )


def _same_ids(page: str) -> str:
    """The page with its charts' random ids and its CSRF token (timed) made alike."""
    page = re.sub(r'name="csrf_token" value="[^"]*"', "csrf", page)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id", page)


def test_a_summary_that_cannot_be_brought_up_to_date_is_not_read(school, db, monkeypatch):
    monkeypatch.setattr(summary, "refresh", lambda db: 0)  # as if writes kept arriving
    f = q.ReportFilter(date(2021, 11, 24), date(2026, 11, 23))
    assert sq.workload_figures(db, f) == sq.from_calls(db, f)  # source "calls"


def test_while_another_writer_holds_the_lock_the_report_reads_the_calls(
    school, db, app, monkeypatch
):
    monkeypatch.setattr("kit.db.BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        f = q.ReportFilter(date(2021, 11, 24), date(2026, 11, 23))
        assert sq.workload_figures(db, f) == sq.from_calls(db, f)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert summary.stale_days(db) > 0  # built by the next report instead


@pytest.mark.parametrize("name", ["CALL_DAYS", "BACKWARDS_CALLS", "TIME_DAYS", "SUPPORT_ROWS"])
def test_recomputing_a_day_reads_that_days_rows_only(db, name):
    """Through the indexes on the days (INDEXED BY fails the statement rather than let the
    planner read every call for each stale day: it did, through the voided index, and took
    160 s of CPU to build the summary of the bench's 100,000 calls)."""
    params = {"days": '["2024-03-04"]', "from": "2024-03-01", "to": "2024-04-01"}
    plan = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + getattr(summary, name), params)]
    scans = [step for step in plan if step.startswith("SCAN") and "VIRTUAL TABLE" not in step]
    assert all(step.startswith(("SCAN (subquery", "SCAN logged")) for step in scans), plan


def test_a_refresh_stops_after_its_batches_and_the_report_reads_the_calls(school, db, monkeypatch):
    monkeypatch.setattr(summary, "MAX_BATCHES", 2)
    stale = summary.stale_days(db)
    assert 0 < summary.refresh(db) < stale  # six months of days, not five years
    f = q.ReportFilter(date(2021, 11, 24), date(2026, 11, 23))
    assert sq.workload_figures(db, f).source == "calls"


def test_a_start_that_makes_the_triggers_builds_the_summary(school, db, app, clock):
    """As the first start after the upgrade that adds the summary: the first report is not
    the one that waits for it."""
    db.execute("DROP TRIGGER report_stale_time_insert")
    create_app(
        {"TESTING": True, "INSTANCE_PATH": app.instance_path, "SECRET_KEY": "test", "NOW": clock}
    )
    assert summary.stale_days(db) == 0
    f = q.ReportFilter(date(2021, 11, 24), date(2026, 11, 23))
    assert sq.from_summary(db, f) == dataclasses.replace(sq.from_calls(db, f), source="summary")


def test_a_start_after_the_rows_computation_changed_rebuilds_them(school, db, monkeypatch):
    summary.refresh(db)
    summary.on_start(db)  # the same code: nothing to do
    assert summary.stale_days(db) == 0
    built = []
    monkeypatch.setattr(summary, "refresh", lambda db: built.append(summary.stale_days(db)))
    summary.on_start(db)
    assert built == []
    monkeypatch.setattr(summary, "TIME_DAYS", summary.TIME_DAYS + "\n")  # as an edit would
    summary.on_start(db)
    assert built and built[0] > 300
    summary.on_start(db)  # recorded: not again
    assert len(built) == 1
