"""Calls outstanding: what is open now, how long it has waited, who owns it.

The date range does not apply (it is "now"); the other filters do. Ages are calendar time
since the call was logged, in the buckets of `kit.reports.figures.AGE_BUCKETS`.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlite_utils import Database

from kit.reports import charts, figures
from kit.reports import queries as q
from kit.reports.model import Report, Table, show_time

COLUMNS = ["Ref", "Logged", "Age", "Summary", "Owner", "Group", "Status", "Category"]


def outstanding(db: Database, f: q.ReportFilter, now: datetime) -> Report:
    rows, total = q.open_calls(db, f)
    buckets = figures.bucket_counts(q.open_logged_times(db, f), now)
    report = Report("outstanding", "Calls outstanding")
    report.intro = (
        "Every call open now (not resolved or closed), oldest first, with its "
        "owner and status. The date range does not apply to this report."
    )
    report.period = f"Open at {now:%d %b %Y %H:%M}"
    report.headline = [("Open now", str(total)), ("Open for 4 weeks or more", str(buckets[-1][1]))]
    labels, counts = [b for b, _ in buckets], {"Open calls": [n for _, n in buckets]}
    report.charts.append(charts.bar("Open calls by age", labels, counts))
    ages = [[b, n] for b, n in buckets]
    report.tables += [
        Table("Open calls by age", ["Age", "Open calls"], ages, numeric=frozenset({1})),
        _open_table(rows, total, now),
    ]
    return report


def _open_table(rows: list[dict], total: int, now: datetime) -> Table:
    cells = [
        [r["ref"], show_time(r["logged_at"]), figures.age_bucket(r["logged_at"], now),
         r["summary"], r["assignee"] or "(no owner)", r["group_name"], r["status"],
         r["category"]]
        for r in rows
    ]  # fmt: skip
    table = Table("Open calls, oldest first", COLUMNS, cells, empty="No calls are open.")
    table.links = {i: url_for("calls.view", call_id=r["id"]) for i, r in enumerate(rows)}
    if total > len(rows):
        table.note = f"The {len(rows)} oldest of {total} open calls."
    return table
