"""The workload report's second half: incidents and requests side by side, which request
types take longest, and which users, rooms and departments need most support.

Time recorded here is the technicians' time entries on the calls logged in the range
(whenever the time was worked), so each call's whole cost counts once.
"""

from __future__ import annotations

from kit.reports import charts
from kit.reports.model import Report, Table, hours
from kit.reports.summary_queries import WorkloadFigures

TYPES = ("Incident", "Request", "Maintenance")
WHO = (
    ("caller", "Users who needed most support", "User"),
    ("room", "Rooms that needed most support", "Room"),
    ("department", "Departments that needed most support", "Department"),
)


def add_sections(report: Report, found: WorkloadFigures) -> None:
    """Append the side-by-side, longest-requests and most-support tables, each charted."""
    report.tables.append(_side_by_side(found.by["type"]))
    report.tables.append(_longest_requests(found.longest_requests))
    most = found.most_support
    for key, title, heading in WHO:
        report.tables.append(_most_support(most[key], title, heading))


def _side_by_side(rows: list[dict]) -> Table:
    by_type = {r["name"]: r for r in rows}
    cells = []
    for kind in TYPES:
        r = by_type.get(kind, {"logged": 0, "resolved": 0, "open_at_end": 0})
        cells.append([kind, r["logged"], r["resolved"], r["open_at_end"]])
    table = Table("Incidents and requests side by side",
                  ["Type", "Logged", "Resolved", "Open at end of range"], cells,
                  numeric=frozenset({1, 2, 3}))  # fmt: skip
    table.chart = charts.bar(
        table.title,
        ["Logged", "Resolved", "Open at end"],
        {row[0]: row[1:] for row in cells},
    )
    return table


def _longest_requests(rows: list[dict]) -> Table:
    cells = [
        [r["category"], r["calls"], hours(r["minutes"]), hours(r["minutes"] / r["calls"])]
        for r in rows
    ]
    table = Table("Request types that take longest", ["Category", "Requests", "Hours recorded",
                  "Hours per request"], cells, numeric=frozenset({1, 2, 3}),
                  empty="No request was logged in this range.")  # fmt: skip
    table.chart = charts.bar(
        "Hours recorded per request, by category",
        [c[0] for c in cells],
        {"Hours per request": [float(c[3]) for c in cells]},
        horizontal=True,
    )
    return table


def _most_support(rows: list[dict], title: str, heading: str) -> Table:
    cells = [
        [r["name"], r["calls"], r["incidents"], r["requests"], hours(r["minutes"])] for r in rows
    ]
    table = Table(title, [heading, "Calls", "Incidents", "Requests", "Hours recorded"], cells,
                  numeric=frozenset({1, 2, 3, 4}))  # fmt: skip
    table.chart = charts.bar(
        title, [c[0] for c in cells], {"Calls": [c[1] for c in cells]}, horizontal=True
    )
    return table
