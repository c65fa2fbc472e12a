"""The workload and calls-outstanding reports over the longest range a report allows (five
years, ending today) of the generated school: the report page as a leader gets it, and the
report built without the page, against bare SQL doing a comparable GROUP BY on the same
database file."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from kit.db import connect
from kit.reports import summary
from kit.reports.forms import MAX_DAYS
from tests.bench.common import (
    BENCH_PASSWORD,
    bench_app,
    bench_user,
    paired_times,
    report,
    report_pair,
)

# Calls logged and resolved per day: the two series the workload chart is drawn from.
BARE_WORKLOAD = (
    "SELECT date(logged_at) AS day, COUNT(*) FROM calls "
    "WHERE voided = 0 AND logged_at >= :start AND logged_at < :end GROUP BY day",
    "SELECT date(COALESCE(resolved_at, closed_at)) AS day, COUNT(*) FROM calls "
    "WHERE voided = 0 AND COALESCE(resolved_at, closed_at) >= :start "
    "AND COALESCE(resolved_at, closed_at) < :end GROUP BY day",
)
# Open calls per group and status, oldest first: what the outstanding report counts.
BARE_OUTSTANDING = (
    "SELECT group_id, status, COUNT(*), MIN(logged_at) FROM calls "
    "WHERE voided = 0 AND status NOT IN ('Resolved', 'Closed') GROUP BY group_id, status",
)


def _bare(db, queries: tuple[str, ...], params: dict) -> None:
    for sql in queries:
        db.execute(sql, params).fetchall()


def run(instance: Path) -> None:
    app = bench_app(instance)
    db = connect(app.config["DATABASE"])
    bench_user(db, "benchleader", {"leader"})
    counted = db.execute("SELECT COUNT(*), MIN(logged_at) FROM calls").fetchone()
    end = date.today()
    start = end - timedelta(days=MAX_DAYS - 1)
    in_range = db.execute(
        "SELECT COUNT(*) FROM calls WHERE logged_at >= ?", [start.isoformat()]
    ).fetchone()[0]
    print(
        f"{counted[0]} calls from {counted[1][:10]}; a report covers at most five years: "
        f"{start} to {end}, {in_range} calls logged in it",
        flush=True,
    )
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"username": "benchleader", "password": BENCH_PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    params = {"start": start.isoformat(), "end": (end + timedelta(days=1)).isoformat()}
    query = f"?date_from={start}&date_to={end}"
    for name, bare in (("workload", BARE_WORKLOAD), ("outstanding", BARE_OUTSTANDING)):
        url = f"/reports/{name}{query}"
        bare_run = lambda q=bare: _bare(db, q, params)  # noqa: E731
        if name == "workload":
            _summary_kept(db, client, url, bare_run)
        pair = paired_times(lambda u=url: _ok(client.get(u)), bare_run)
        report_pair(f"{name} report page, five years", pair)
        pair = paired_times(lambda n=name: _build(app, n, query), bare_run)
        report_pair(f"{name} report built (no page)", pair)
    db.conn.close()


def _summary_kept(db, client, url: str, bare_run) -> None:
    """The workload report's summary (kit.reports.summary): a view with every day stale,
    which rebuilds the whole summary from the calls (since the start after the upgrade
    builds it, a view does so only when every day was marked stale), then views after a
    write each (the newest call's day stale, as a call logged today leaves it: that day and
    its month recomputed). The plain runs that follow are warm."""
    stale = summary.stale_days(db)
    _once(f"workload page, first view ({stale} stale days)", lambda: _ok(client.get(url)), bare_run)
    summary.mark_all_stale(db)
    stale = summary.stale_days(db)
    _once(
        f"workload page, full rebuild ({stale} stale days)", lambda: _ok(client.get(url)), bare_run
    )
    newest = db.execute("SELECT date(MAX(logged_at)) FROM calls").fetchone()[0]

    def after_a_write():
        db.execute("INSERT OR IGNORE INTO report_stale_days (day) VALUES (?)", [newest])
        return _ok(client.get(url))

    report_pair("workload page after a write (1 day stale)", paired_times(after_a_write, bare_run))


def _once(name: str, app_run, bare_run) -> None:
    """One run of each, timed: a first view cannot be repeated."""
    times = []
    for run in (app_run, bare_run):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - start, time.process_time() - start_cpu))
    report(name, times[0][0], times[1][0], cpu=(times[0][1], times[1][1]))


def _build(app, name: str, query: str):
    """The report object alone, as the page, PDF and CSV routes build it."""
    from kit.reports import routes

    with app.test_request_context(f"/reports/{name}{query}"):
        form, built = routes._build(name)
        assert built is not None, form.errors
        return built


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response
