"""Workload monitoring: how many calls come in, go out and wait, and the time recorded.

Logged counts calls by the day they were logged, resolved by the day they were resolved
(or closed without a resolution), and open is what was still open at the end of each day
or week. Time recorded comes from technicians' time entries, by the day worked.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from kit.reports import charts, figures, summary_queries, workload_needs
from kit.reports import queries as q
from kit.reports.model import Report, Table, hours


def period_label(first: date, by: str, *, short: bool = False) -> str:
    if by == "day":
        return f"{first:%a %d %b}" if short else f"{first:%a %d %b %Y}"
    return f"{first:%d %b}" if short else f"Week of {first:%d %b %Y}"


def workload_series(db: Database, f: q.ReportFilter, by: str, today: date) -> dict:
    """Logged, resolved and open-at-end per period: the workload chart's numbers.

    Periods stop at today: a month still running shows no flat line into the future.
    """
    logged, resolved = q.per_day(db, f, "logged"), q.per_day(db, f, "resolved")
    return _series(f, by, today, logged, resolved, q.open_at(db, f, f.params()["start"]))


def _series(
    f: q.ReportFilter,
    by: str,
    today: date,
    per_day: dict[date, int],
    resolved_per_day: dict[date, int],
    open_start: int,
) -> dict:
    end = max(f.start, min(f.end, today))
    firsts = figures.periods(f.start, end, by)
    logged = figures.series(per_day, f.start, end, by)
    resolved = figures.series(resolved_per_day, f.start, end, by)
    return {
        "periods": firsts,
        "logged": logged,
        "resolved": resolved,
        "open": figures.open_series(open_start, logged, resolved),
    }


NOTES = [
    "Resolved counts a call on the day it was resolved, or closed if it was closed "
    "without a resolution (no further contact from the customer).",
    "Open at end: calls logged by then and not yet resolved at the end of that day or week.",
    "The technician filter picks calls by their owner; for time recorded it picks the "
    "person who recorded the time.",
    "Request types, users, rooms and departments: the time recorded on the calls logged "
    "in the range, whenever it was worked. Rooms are the call's room, or its equipment's.",
]
NO_TIME = "No time was recorded in this range."


def workload(db: Database, f: q.ReportFilter, by: str, today: date) -> Report:
    by = figures.choose_by(f.start, f.end, by)
    found = summary_queries.workload_figures(db, f)
    data = _series(f, by, today, found.logged, found.resolved, found.open_at_start)
    report = Report("workload", "Workload monitoring")
    report.intro = (
        f"Calls logged, resolved and open per {by}, per group and per owner, the time "
        "technicians recorded, incidents and requests side by side, and who and where "
        "needs most support."
    )
    time_rows = found.time_rows
    report.headline = [
        ("Calls logged", str(sum(data["logged"]))),
        ("Calls resolved", str(sum(data["resolved"]))),
        ("Open at the end of the range", str(data["open"][-1] if data["open"] else 0)),
        ("Time recorded (hours)", hours(sum(r["minutes"] for r in time_rows))),
    ]
    labels = [period_label(p, by, short=True) for p in data["periods"]]
    series = {"Logged": data["logged"], "Resolved": data["resolved"], "Open": data["open"]}
    report.charts.append(charts.line(f"Calls per {by}", labels, series))
    report.tables.append(_period_table(data, by))
    _by_group_and_owner(found.by, report)
    _time_tables(report, time_rows)
    workload_needs.add_sections(report, found)
    report.notes = list(NOTES)
    return report


def _period_table(data: dict, by: str) -> Table:
    columns = ["Day" if by == "day" else "Week", "Logged", "Resolved", "Open at end"]
    numbers = zip(data["periods"], data["logged"], data["resolved"], data["open"], strict=True)
    rows = [[period_label(p, by), n, r, o] for p, n, r, o in numbers]
    return Table(f"Calls per {by}", columns, rows, numeric=frozenset({1, 2, 3}))


def _by_group_and_owner(by: dict[str, list[dict]], report: Report) -> None:
    for key, title, heading in (("group", "Per group", "Group"),
                                ("technician", "Per owner", "Owner")):  # fmt: skip
        rows = by[key]
        cells = [[r["name"], r["logged"], r["resolved"], r["open_at_end"]] for r in rows]
        columns = [heading, "Logged", "Resolved", "Open at end of range"]
        report.tables.append(Table(title, columns, cells, numeric=frozenset({1, 2, 3})))
        if key == "technician" and rows:
            series = {
                "Logged": [r["logged"] for r in rows],
                "Resolved": [r["resolved"] for r in rows],
                "Open at end": [r["open_at_end"] for r in rows],
            }
            names = [r["name"] for r in rows]
            report.charts.append(charts.bar("Calls per owner", names, series, horizontal=True))


def _time_tables(report: Report, rows: list[dict]) -> None:
    per_person: dict[str, int] = {}
    for row in rows:
        per_person[row["technician"]] = per_person.get(row["technician"], 0) + row["minutes"]
    if per_person:
        title = "Time recorded per technician (hours)"
        series = {"Hours": [round(m / 60, 2) for m in per_person.values()]}
        report.charts.append(charts.bar(title, list(per_person), series, horizontal=True))
    people = [[name, hours(m)] for name, m in per_person.items()]
    detail = [[r["technician"], r["category"], hours(r["minutes"])] for r in rows]
    report.tables += [
        Table("Time recorded per technician", ["Technician", "Hours"], people,
              numeric=frozenset({1}), empty=NO_TIME),
        Table("Time recorded per technician and category", ["Technician", "Category", "Hours"],
              detail, numeric=frozenset({2}), empty=NO_TIME),
    ]  # fmt: skip
