"""The workload report's figures, summed from the summary (`kit.reports.summary`) where it
holds the report's filters, else read from the calls by `kit.reports.queries` and
`monthly_queries`, which stay the reference: tests hold the two equal, cold and after
writes of every kind.

The summary holds the calls per type, category, group and owner, so every filter but the
site is answered from it; who and where needs most support is kept for the whole school
only, so any filter reads those three tables from the calls. Monthly rows serve the whole
months of a range; its part-months at either end are read from the calls.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from kit.db import snapshot
from kit.reports import monthly_queries as mq
from kit.reports import queries as q
from kit.reports import summary

TRIES = 3  # refresh, then read in a snapshot with nothing stale; a write may slip between


@dataclass
class WorkloadFigures:
    """What the workload report shows, in the shapes of the reference queries."""

    logged: dict[date, int]  # q.per_day(..., "logged")
    resolved: dict[date, int]  # q.per_day(..., "resolved")
    open_at_start: int  # q.open_at(..., start)
    by: dict[str, list[dict[str, Any]]]  # q.workload_by_all
    time_rows: list[dict[str, Any]]  # q.time_recorded
    longest_requests: list[dict[str, Any]]  # mq.time_per_category(..., "Request")
    most_support: dict[str, list[dict[str, Any]]]  # mq.most_support_all
    source: str  # "summary" or "calls"


def workload_figures(db: Database, f: q.ReportFilter) -> WorkloadFigures:
    """The figures from one state of the database: from the summary once nothing in it is
    stale, else (a site filter, the database locked for longer than the busy timeout, or
    writes arriving faster than the refresh) from the calls."""
    if not f.site:
        for _ in range(TRIES):
            try:
                summary.refresh(db)
            except sqlite3.OperationalError:
                break  # locked: the calls still answer, only slower
            with snapshot(db):
                if summary.stale_days(db) == 0:
                    return from_summary(db, f)
    with snapshot(db):
        return from_calls(db, f)


def from_calls(db: Database, f: q.ReportFilter) -> WorkloadFigures:
    """The reference: every figure read from the calls."""
    return WorkloadFigures(
        logged=q.per_day(db, f, "logged"),
        resolved=q.per_day(db, f, "resolved"),
        open_at_start=q.open_at(db, f, f.params()["start"]),
        by=q.workload_by_all(db, f),
        time_rows=q.time_recorded(db, f),
        longest_requests=mq.time_per_category(db, f, "Request"),
        most_support=mq.most_support_all(db, f),
        source="calls",
    )


def from_summary(db: Database, f: q.ReportFilter) -> WorkloadFigures:
    """Every figure summed from the summary's rows (which must be fresh: no stale day)."""
    if f.site:
        raise ValueError("the summary does not hold the site")
    params = f.params()
    whole_school = f == q.ReportFilter(f.start, f.end)
    logged, resolved = _per_day(db, f)
    return WorkloadFigures(
        logged=logged,
        resolved=resolved,
        open_at_start=_open_at(db, f, params["start"]),
        by=_workload_by_all(db, f),
        time_rows=_time_recorded(db, f),
        longest_requests=_time_per_category(db, f, "Request"),
        most_support=_most_support(db, f) if whole_school else mq.most_support_all(db, f),
        source="summary",
    )


def _where(f: q.ReportFilter, owner: str) -> str:
    """The filters on a summary table (`d`); `owner` is the column the technician picks."""
    clauses = ["1"]
    if f.group_id is not None:
        clauses.append("d.group_id = :group_id")
    if f.technician_id is not None:
        clauses.append(f"d.{owner} = :technician_id")
    if f.category_id is not None:
        clauses.append("d.category_id = :category_id")
    if f.call_type:
        clauses.append("d.call_type = :call_type")
    return " AND ".join(clauses)


def _per_day(db: Database, f: q.ReportFilter) -> tuple[dict[date, int], dict[date, int]]:
    """Calls logged and resolved per day (days with none left out, as `q.per_day`)."""
    sql = f"""
        SELECT d.day, SUM(d.logged), SUM(d.resolved) FROM report_call_days d
        WHERE d.day >= :start AND d.day < :end AND {_where(f, "assignee_id")}
        GROUP BY d.day"""
    logged, resolved = {}, {}
    for day, n_logged, n_resolved in db.execute(sql, f.params()):
        if n_logged:
            logged[date.fromisoformat(day)] = n_logged
        if n_resolved:
            resolved[date.fromisoformat(day)] = n_resolved
    return logged, resolved


def _open_at(db: Database, f: q.ReportFilter, moment: str) -> int:
    sql = f"""
        SELECT COALESCE(SUM(d.logged) - SUM(d.finished), 0) FROM report_call_days d
        WHERE d.day < :at AND {_where(f, "assignee_id")}"""
    return db.execute(sql, {**f.params(), "at": moment}).fetchone()[0]


def _workload_by_all(db: Database, f: q.ReportFilter) -> dict[str, list[dict[str, Any]]]:
    """As `q.workload_by_all`: logged and resolved in the range, open at its end."""
    sql = f"""
        SELECT d.call_type, d.group_id, d.assignee_id,
          SUM(CASE WHEN d.day >= :start THEN d.logged ELSE 0 END) AS logged,
          SUM(CASE WHEN d.day >= :start THEN d.resolved ELSE 0 END) AS resolved,
          SUM(d.logged) - SUM(d.finished) AS open_at_end
        FROM report_call_days d WHERE d.day < :end AND {_where(f, "assignee_id")}
        GROUP BY d.call_type, d.group_id, d.assignee_id"""
    counts: dict[tuple, dict[str, int]] = {}
    for r in db.execute(sql, f.params()):
        counts[(r[0], r[1], r[2])] = {"logged": r[3], "resolved": r[4], "open_at_end": r[5]}
    # A call resolved on an earlier day than it was logged is left out by the reference
    # when it was resolved before the range or logged after it.
    sql = f"""
        SELECT d.call_type, d.group_id, d.assignee_id,
          SUM(d.logged_day >= :start AND d.logged_day < :end AND d.resolved_day < :start),
          SUM(d.resolved_day >= :start AND d.resolved_day < :end AND d.logged_day >= :end)
        FROM report_backwards_calls d WHERE {_where(f, "assignee_id")}
        GROUP BY d.call_type, d.group_id, d.assignee_id"""
    for r in db.execute(sql, f.params()):
        if (key := (r[0], r[1], r[2])) in counts:
            counts[key]["logged"] -= r[3]
            counts[key]["resolved"] -= r[4]
    names = _names(db, "support_groups"), _names(db, "users")
    rows = [
        {"type": key[0], "group": names[0].get(key[1]),
         "technician": names[1].get(key[2]) or "(no owner)"} | value
        for key, value in counts.items() if any(value.values())
    ]  # fmt: skip
    return q.merge_by_name(rows)


def _names(db: Database, table: str) -> dict[int, str]:
    return {r[0]: r[1] for r in db.execute(f"SELECT id, name FROM {table}")}


def _time_recorded(db: Database, f: q.ReportFilter) -> list[dict[str, Any]]:
    sql = f"""
        SELECT COALESCE(u.name, '(unknown)') AS technician, c.name AS category,
               SUM(d.minutes) AS minutes
        FROM report_time_days d JOIN categories c ON c.id = d.category_id
        LEFT JOIN users u ON u.id = d.user_id
        WHERE d.day >= :start AND d.day < :end AND {_where(f, "user_id")}
        GROUP BY technician, category ORDER BY technician, category"""
    return [dict(r) for r in db.execute(sql, f.params())]


def _time_per_category(db: Database, f: q.ReportFilter, call_type: str) -> list[dict]:
    sql = f"""
        SELECT c.name AS category, SUM(d.logged) AS calls, SUM(d.minutes) AS minutes
        FROM report_call_days d JOIN categories c ON c.id = d.category_id
        WHERE d.day >= :start AND d.day < :end AND {_where(f, "assignee_id")}
          AND d.call_type = :wanted
        GROUP BY c.id HAVING SUM(d.logged) > 0
        ORDER BY 1.0 * SUM(d.minutes) / SUM(d.logged) DESC, c.name"""
    return [dict(r) for r in db.execute(sql, {**f.params(), "wanted": call_type})]


def _most_support(db: Database, f: q.ReportFilter, limit: int = 10) -> dict[str, list[dict]]:
    """As `mq.most_support_all` for the whole school: the range's whole months from the
    monthly rows, the part-months at either end from the calls."""
    after = f.end + timedelta(days=1)
    first_whole = f.start if f.start.day == 1 else _month_after(f.start)
    after_whole = after.replace(day=1)
    if first_whole >= after_whole:  # no whole month: all from the calls
        edges, whole = [(f.start, after)], None
    else:
        edges, whole = [(f.start, first_whole), (after_whole, after)], (first_whole, after_whole)
    found: dict[tuple, list[int]] = {}
    rows = []
    if whole:
        rows += db.execute(
            "SELECT kind, ref_id, name, SUM(calls), SUM(incidents), SUM(requests), "
            "SUM(minutes) FROM report_support_months WHERE month >= ? AND month < ? "
            "GROUP BY kind, ref_id, name",
            [whole[0].isoformat()[:7], whole[1].isoformat()[:7]],
        ).fetchall()
    for start, end in edges:
        if start < end:
            bounds = {"from": start.isoformat(), "to": end.isoformat()}
            rows += db.execute(summary.SUPPORT_ROWS, bounds).fetchall()
    for r in rows:
        total = found.setdefault((r[0], r[1], r[2]), [0, 0, 0, 0])
        for n in range(4):
            total[n] += r[3 + n]
    return _by_label(db, found, limit)


def _month_after(day: date) -> date:
    return date.fromisoformat(summary.next_month(day.replace(day=1).isoformat()))


def _by_label(db: Database, found: dict[tuple, list[int]], limit: int) -> dict[str, list]:
    """Callers, departments and rooms by the labels `mq.SUPPORT_GROUPS` shows."""
    people = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, name, department FROM people")}
    rooms = {
        r[0]: r[1]
        for r in db.execute("SELECT id, site || ' – ' || building || ' – ' || room FROM locations")
    }
    totals: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in ("caller", "room", "department")}
    for (kind, ref_id, typed), counts in found.items():
        if kind == "caller":
            name, department = people.get(ref_id, (None, None))
            labels = {
                "caller": name or typed or "Not recorded",
                "department": department or "Not recorded",
            }
        else:
            labels = {"room": rooms.get(ref_id) or "No room recorded"}
        for key, label in labels.items():
            total = totals[key].setdefault(label, {"name": label} | mq.SUPPORT_ZERO)
            for count, n in zip(mq.SUPPORT_COUNTS, counts, strict=True):
                total[count] += n
    return {key: mq.top_support(per_name, limit) for key, per_name in totals.items()}
