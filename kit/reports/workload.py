"""Workload monitoring and calls outstanding: how much comes in, goes out and is waiting.

Logged counts calls by the day they were logged, resolved by the day they were resolved
(or closed without a resolution), and open is what was still open at the end of each day
or week. Time recorded comes from technicians' time entries, by the day worked.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlite_utils import Database

from kit.reports import charts, figures
from kit.reports import queries as q
from kit.reports.model import Report, Table, hours, show_time


def period_label(first: date, by: str, *, short: bool = False) -> str:
    if by == "day":
        return f"{first:%a %d %b}" if short else f"{first:%a %d %b %Y}"
    return f"{first:%d %b}" if short else f"Week of {first:%d %b %Y}"


def workload_series(db: Database, f: q.ReportFilter, by: str, today: date) -> dict:
    """Logged, resolved and open-at-end per period: the workload chart's numbers.

    Periods stop at today: a month still running shows no flat line into the future.
    """
    end = max(f.start, min(f.end, today))
    firsts = figures.periods(f.start, end, by)
    logged = figures.series(q.per_day(db, f, "logged"), f.start, end, by)
    resolved = figures.series(q.per_day(db, f, "resolved"), f.start, end, by)
    open_start = q.open_at(db, f, f.params()["start"])
    return {"periods": firsts, "logged": logged, "resolved": resolved,
            "open": figures.open_series(open_start, logged, resolved)}


def workload(db: Database, f: q.ReportFilter, by: str, today: date) -> Report:
    by = figures.choose_by(f.start, f.end, by)
    data = workload_series(db, f, by, today)
    labels = [period_label(p, by, short=True) for p in data["periods"]]
    report = Report("workload", "Workload monitoring")
    report.intro = (f"Calls logged, resolved and open per {by}, per group and per owner, and "
                    "the time technicians recorded.")
    time_rows = q.time_recorded(db, f)
    total_minutes = sum(r["minutes"] for r in time_rows)
    report.headline = [
        ("Calls logged", str(sum(data["logged"]))),
        ("Calls resolved", str(sum(data["resolved"]))),
        ("Open at the end of the range", str(data["open"][-1] if data["open"] else 0)),
        ("Time recorded (hours)", hours(total_minutes)),
    ]
    report.charts.append(charts.line(
        f"Calls per {by}", labels,
        {"Logged": data["logged"], "Resolved": data["resolved"], "Open": data["open"]}))
    report.tables.append(Table(
        f"Calls per {by}", ["Day" if by == "day" else "Week", "Logged", "Resolved", "Open at end"],
        [[period_label(p, by), n, r, o] for p, n, r, o in
         zip(data["periods"], data["logged"], data["resolved"], data["open"], strict=True)],
        numeric=frozenset({1, 2, 3})))
    _by_group_and_owner(db, f, report)
    _time_tables(report, time_rows)
    report.notes = [
        "Resolved counts a call on the day it was resolved, or closed if it was closed "
        "without a resolution (no further contact from the customer).",
        "Open at end: calls logged by then and not yet resolved at the end of that day or week.",
        "The technician filter picks calls by their owner; for time recorded it picks the "
        "person who recorded the time.",
    ]
    return report


def _by_group_and_owner(db: Database, f: q.ReportFilter, report: Report) -> None:
    for key, title, heading in (("group", "Per group", "Group"),
                                ("technician", "Per owner", "Owner")):
        rows = q.workload_by(db, f, key)
        report.tables.append(Table(
            title, [heading, "Logged", "Resolved", "Open at end of range"],
            [[r["name"], r["logged"], r["resolved"], r["open_at_end"]] for r in rows],
            numeric=frozenset({1, 2, 3})))
        if key == "technician" and rows:
            report.charts.append(charts.bar(
                "Calls per owner", [r["name"] for r in rows],
                {"Logged": [r["logged"] for r in rows],
                 "Resolved": [r["resolved"] for r in rows],
                 "Open at end": [r["open_at_end"] for r in rows]}, horizontal=True))


def _time_tables(report: Report, rows: list[dict]) -> None:
    per_person: dict[str, int] = {}
    for row in rows:
        per_person[row["technician"]] = per_person.get(row["technician"], 0) + row["minutes"]
    if per_person:
        report.charts.append(charts.bar(
            "Time recorded per technician (hours)", list(per_person),
            {"Hours": [round(m / 60, 2) for m in per_person.values()]}, horizontal=True))
    report.tables.append(Table(
        "Time recorded per technician", ["Technician", "Hours"],
        [[name, hours(m)] for name, m in per_person.items()], numeric=frozenset({1}),
        empty="No time was recorded in this range."))
    report.tables.append(Table(
        "Time recorded per technician and category", ["Technician", "Category", "Hours"],
        [[r["technician"], r["category"], hours(r["minutes"])] for r in rows],
        numeric=frozenset({2}), empty="No time was recorded in this range."))


def outstanding(db: Database, f: q.ReportFilter, now: datetime) -> Report:
    """Open calls now, however old: the date range does not apply, the other filters do."""
    rows, total = q.open_calls(db, f)
    buckets = figures.bucket_counts(q.open_logged_times(db, f), now)
    report = Report("outstanding", "Calls outstanding")
    report.intro = ("Every call open now (not resolved or closed), oldest first, with its "
                    "owner and status. The date range does not apply to this report.")
    report.period = f"Open at {now:%d %b %Y %H:%M}"
    report.headline = [("Open now", str(total)),
                       ("Open for 4 weeks or more", str(buckets[-1][1]))]
    report.charts.append(charts.bar("Open calls by age", [b for b, _ in buckets],
                                    {"Open calls": [n for _, n in buckets]}))
    report.tables.append(Table("Open calls by age", ["Age", "Open calls"],
                               [[b, n] for b, n in buckets], numeric=frozenset({1})))
    table = Table(
        "Open calls, oldest first",
        ["Ref", "Logged", "Age", "Summary", "Owner", "Group", "Status", "Category"],
        [[r["ref"], show_time(r["logged_at"]), figures.age_bucket(r["logged_at"], now),
          r["summary"], r["assignee"] or "(no owner)", r["group_name"], r["status"],
          r["category"]] for r in rows],
        empty="No calls are open.")
    table.links = {i: url_for("calls.view", call_id=r["id"]) for i, r in enumerate(rows)}
    if total > len(rows):
        table.note = f"The {len(rows)} oldest of {total} open calls."
    report.tables.append(table)
    return report
