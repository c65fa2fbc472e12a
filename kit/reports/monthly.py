"""The monthly report: the same five sections, each with a chart and its table, every month.

By room; time unavailable in working hours; per technician; repeats; problems raised.
A section with nothing in it still appears (with its empty line), so a leader turning
from one month's report to the next finds everything in the same place. Times are working
hours on the school's clock and service levels are judged by `kit.rules.service_levels`,
as in every other report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlite_utils import Database

from kit.db import snapshot
from kit.reports import charts, service_levels
from kit.reports import monthly_queries as mq
from kit.reports import queries as q
from kit.reports.figures import hours_text
from kit.reports.governors import Period
from kit.reports.model import Chart, Report, Table, hours
from kit.rules import service_levels as sl
from kit.rules.clock import WorkingCalendar

SECTIONS = ("By room", "Time unavailable in working hours", "Per technician", "Repeats",
            "Problems raised")  # fmt: skip
TOP = 10  # rooms and people drawn in a chart; the tables list them all


def monthly(db: Database, period: Period, cal: WorkingCalendar, now: datetime) -> Report:
    f = q.ReportFilter(start=period.start, end=period.end)
    report = Report("monthly", f"Monthly report: {period.label}")
    report.period = f"{period.start:%d %B %Y} to {period.end:%d %B %Y}"
    report.intro = (
        "The same five sections every month: calls by room, time rooms were without "
        "working ICT, each technician's work, faults that came back, and problems raised."
    )
    with snapshot(db):  # every section counts the same calls
        calls, timings = service_levels.measured(db, f, cal, now)
        places = mq.call_places(db, f)
        problems = mq.problems_raised(db, f)
        minutes = mq.minutes_per_person(db, f)
    repeats = _repeats(places)
    report.headline = [
        ("Calls logged", str(len(calls))),
        ("Incidents", str(sum(p["call_type"] == "Incident" for p in places))),
        ("Resolutions within target",
         service_levels.within_target_text(sl.tally(timings.values(), "resolve"))),
        ("Repeat faults", str(len(repeats))),
        ("Problems raised", str(len(problems))),
    ]  # fmt: skip
    for chart, table in (
        _by_room(places),
        _unavailable(places, timings),
        _per_technician(places, timings, minutes),
        _repeats_section(repeats),
        _problems_section(problems),
    ):
        table.chart = chart  # each section's chart sits with its table
        report.tables.append(table)
    report.notes = [
        "Time unavailable: working hours from logging each incident to its resolution (or "
        "to now while it is open), With Customer time left out, added up per room.",
        "Repeats: a room or an asset with two or more incidents logged in the month.",
    ]
    return report


def _top_chart(title: str, counts: dict[str, float], series: str) -> Chart:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    return charts.bar(title, [k for k, _ in ranked], {series: [v for _, v in ranked]},
                      horizontal=True)  # fmt: skip


def _by_room(places: list[dict]):
    rooms: dict[str, Counter] = defaultdict(Counter)
    for p in places:
        rooms[p["room"]][p["call_type"]] += 1
    kinds = ("Incident", "Request", "Maintenance")
    rows = [[room, sum(c.values()), *(c[k] for k in kinds)] for room, c in rooms.items()]
    rows.sort(key=lambda r: (-r[1], r[0]))
    chart = _top_chart(SECTIONS[0], {r[0]: r[1] for r in rows}, "Calls")
    columns = ["Room", "Calls", "Incidents", "Requests", "Maintenance"]
    return chart, Table(SECTIONS[0], columns, rows, numeric=frozenset({1, 2, 3, 4}))


def _unavailable(places: list[dict], timings: dict[int, sl.Timing]):
    lost: dict[str, float] = defaultdict(float)
    count: Counter = Counter()
    for p in places:
        if p["call_type"] == "Incident":
            lost[p["room"]] += timings[p["id"]].resolve_hours
            count[p["room"]] += 1
    rows = sorted(([room, count[room], hours_text(h)] for room, h in lost.items()),
                  key=lambda r: (-lost[r[0]], r[0]))  # fmt: skip
    chart = _top_chart(SECTIONS[1], {room: round(h, 2) for room, h in lost.items()}, "Hours")
    columns = ["Room", "Incidents", "Working hours unavailable"]
    empty = "No incident was logged this month."
    return chart, Table(SECTIONS[1], columns, rows, numeric=frozenset({1, 2}), empty=empty)


def _per_technician(places: list[dict], timings: dict[int, sl.Timing], minutes: dict[str, int]):
    owned: dict[str, list[sl.Timing]] = defaultdict(list)
    for p in places:
        if p["owner"]:
            owned[p["owner"]].append(timings[p["id"]])
    rows = []
    for name in sorted(set(owned) | set(minutes)):
        items = owned.get(name, [])
        rows.append([name, len(items), sum(t.resolved for t in items), hours(minutes.get(name)),
                     service_levels.within_target_text(sl.tally(items, "resolve"))])  # fmt: skip
    chart = charts.bar(
        SECTIONS[2],
        [r[0] for r in rows],
        {"Calls owned": [r[1] for r in rows], "Resolved": [r[2] for r in rows]},
        horizontal=True,
    )
    columns = ["Technician", "Calls owned", "Resolved", "Hours recorded",
               "Resolutions within target"]  # fmt: skip
    return chart, Table(SECTIONS[2], columns, rows, numeric=frozenset({1, 2, 3}))


def _repeats(places: list[dict]) -> list[list]:
    """[what, incidents, refs] for each room or asset with two or more incidents."""
    found: dict[str, list[str]] = defaultdict(list)
    for p in places:
        if p["call_type"] != "Incident":
            continue
        if p["asset_tag"]:
            found[f"Asset {p['asset_tag']}"].append(p["ref"])
        if p["room"] != "No room recorded":
            found[f"Room {p['room']}"].append(p["ref"])
    rows = [[what, len(refs), ", ".join(refs)] for what, refs in found.items() if len(refs) > 1]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _repeats_section(rows: list[list]):
    chart = _top_chart(SECTIONS[3], {r[0]: r[1] for r in rows}, "Incidents")
    empty = "No room or asset had the same kind of trouble twice this month."
    columns = ["Room or asset", "Incidents", "Calls"]
    return chart, Table(SECTIONS[3], columns, rows, numeric=frozenset({1}), empty=empty)


def _problems_section(problems: list[dict]):
    rows = [[p["title"], p["status"], p["created_at"][:10], p["calls"]] for p in problems]
    chart = _top_chart(SECTIONS[4], {r[0]: r[3] for r in rows}, "Calls linked")
    empty = "No problem record was opened this month."
    columns = ["Problem", "Status", "Opened", "Calls linked"]
    return chart, Table(SECTIONS[4], columns, rows, numeric=frozenset({3}), empty=empty)
