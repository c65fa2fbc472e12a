"""The reports area's tables: the runs of the past-call import.

A large import is written in short batches so the desk can log calls meanwhile; each run
records its calls, so a run that fails or dies between batches can be undone (its calls
voided, as the kit never deletes a call) and the school sees all its rows or none.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-reports")


@migrations()
def m001_call_import_runs(db: Database) -> None:
    db["call_import_runs"].create(
        {
            "id": int,
            "user_id": int,
            "started_at": str,
            "heartbeat_at": str,
            "state": str,  # running, done, abandoned
            "rows_done": int,
        },
        pk="id",
        not_null={"started_at", "heartbeat_at", "state"},
        defaults={"rows_done": 0},
    )
    db["call_import_calls"].create(
        {"run_id": int, "call_id": int},
        pk=("run_id", "call_id"),
        foreign_keys=[("run_id", "call_import_runs", "id"), ("call_id", "calls", "id")],
    )


@migrations()
def m002_workload_summary(db: Database) -> None:
    """The workload report's figures kept per day (and per month for who and where needs
    most support), so a five-year report sums a few thousand rows instead of reading
    every call. `kit.reports.summary` keeps them: triggers on the tables the figures come
    from mark the days a change touches stale, and a report first recomputes stale days.
    Every day with a call is stale here, so the first report builds the summary."""
    for statement in SUMMARY_DDL.split(";"):
        sql = "\n".join(
            line for line in statement.splitlines() if not line.strip().startswith("--")
        )
        if sql.strip():
            db.execute(sql)


# Frozen with m002 (a later change to the summary is a new migration).
SUMMARY_DDL = """
        CREATE TABLE report_stale_days (day TEXT PRIMARY KEY) WITHOUT ROWID;
        -- Per day and call (type, category, group, owner): calls logged that day (and the
        -- minutes recorded on them, whenever worked), resolved that day (or closed without
        -- a resolution), and finished that day: the later of the two days, so "open at a
        -- moment" is logged before it less finished before it.
        CREATE TABLE report_call_days (
            day TEXT NOT NULL, call_type TEXT, category_id INTEGER, group_id INTEGER,
            assignee_id INTEGER, logged INTEGER NOT NULL, resolved INTEGER NOT NULL,
            finished INTEGER NOT NULL, minutes INTEGER NOT NULL
        );
        CREATE INDEX idx_report_call_days_day ON report_call_days (day);
        -- Calls resolved on an earlier day than they were logged (a mistyped or imported
        -- time): the per-type, group and owner table counts them differently.
        CREATE TABLE report_backwards_calls (
            call_id INTEGER PRIMARY KEY, logged_day TEXT NOT NULL, resolved_day TEXT NOT NULL,
            call_type TEXT, category_id INTEGER, group_id INTEGER, assignee_id INTEGER
        );
        CREATE INDEX idx_report_backwards_calls_day ON report_backwards_calls (logged_day);
        -- Per day worked, who worked and the call's type, category and group: minutes.
        CREATE TABLE report_time_days (
            day TEXT NOT NULL, user_id INTEGER, call_type TEXT, category_id INTEGER,
            group_id INTEGER, minutes INTEGER NOT NULL
        );
        CREATE INDEX idx_report_time_days_day ON report_time_days (day);
        -- Per month logged and caller (kind 'caller': person id and name typed) or room
        -- (kind 'room': the call's room, or its equipment's): calls, incidents, requests
        -- and the minutes recorded on them.
        CREATE TABLE report_support_months (
            month TEXT NOT NULL, kind TEXT NOT NULL, ref_id INTEGER, name TEXT,
            calls INTEGER NOT NULL, incidents INTEGER NOT NULL, requests INTEGER NOT NULL,
            minutes INTEGER NOT NULL
        );
        CREATE INDEX idx_report_support_months_month ON report_support_months (month);
        -- A stale day's calls found by when they were resolved, and its time by day worked.
        CREATE INDEX idx_calls_resolved_or_closed ON calls (COALESCE(resolved_at, closed_at));
        CREATE INDEX idx_time_entries_worked_on ON time_entries (worked_on);
        INSERT OR IGNORE INTO report_stale_days (day)
          SELECT date(logged_at) FROM calls WHERE date(logged_at) IS NOT NULL
          UNION SELECT date(COALESCE(resolved_at, closed_at)) FROM calls
            WHERE date(COALESCE(resolved_at, closed_at)) IS NOT NULL
          UNION SELECT date(worked_on) FROM time_entries WHERE date(worked_on) IS NOT NULL
"""


@migrations()
def m003_workload_summary_key_index(db: Database) -> None:
    """The per-type, group and owner table sums every day's row up to the range's end (for
    "open at end"): read in key order from this covering index, 8 ms instead of 25 ms for
    the bench's 38,733 day rows, with no sort."""
    db.execute(
        "CREATE INDEX idx_report_call_days_keys ON report_call_days "
        "(call_type, group_id, assignee_id, day, logged, resolved, finished)"
    )


@migrations()
def m004_workload_summary_version(db: Database) -> None:
    """The version of how the summary's rows are computed (`kit.reports.summary`): a start
    that finds another rebuilds them, so a change to that code cannot leave old rows."""
    db.execute(
        "CREATE TABLE report_summary_version "
        "(id INTEGER PRIMARY KEY CHECK (id = 1), version TEXT NOT NULL)"
    )
