"""Time to respond and to resolve, and the service levels met and breached.

Covers the calls logged in the date range. Hours are working hours on the school's
working-day clock with With Customer spells left out; see `kit.reports.figures` for the
median and 90th percentile (nearest rank) and `kit.rules.service_levels` for the
met/breached rule every report shares.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlite_utils import Database

from kit import settings
from kit.directory import store as directory
from kit.reports import charts, figures
from kit.reports import queries as q
from kit.reports.figures import hours_text, percent_text
from kit.reports.model import Report, Table, show_time
from kit.rules import service_levels as sl
from kit.rules.clock import WorkingCalendar
from kit.rules.service_levels import BREACHED

DIMENSIONS = (
    ("category", "Category"),
    ("call_type", "Type"),
    ("group_name", "Group"),
    ("level_name", "Response level"),
)
COLUMNS = [
    "Calls",
    "Respond median h",
    "Respond 90th pct h",
    "Respond mean h",
    "Responses met",
    "Responses breached",
    "Resolve median h",
    "Resolve 90th pct h",
    "Resolve mean h",
    "Resolutions met",
    "Resolutions breached",
]


def measured(
    db: Database, f: q.ReportFilter, cal: WorkingCalendar, now: datetime
) -> tuple[list[dict], dict[int, sl.Timing]]:
    """The calls logged in the range and each one's timing on the working-day clock."""
    calls = q.timing_calls(db, f)
    pauses = q.pauses_for(db, f)
    since = targets_from(db)
    return calls, {c["id"]: sl.measure(c, pauses.get(c["id"], []), cal, now, since) for c in calls}


def targets_from(db: Database) -> date | None:
    """The day the school's targets count from; None when every call is judged."""
    value = settings.get(db, "targets_from")
    return date.fromisoformat(value) if value else None


def tallies(
    db: Database, f: q.ReportFilter, cal: WorkingCalendar, now: datetime
) -> dict[str, sl.Tally]:
    """Responses and resolutions met, breached and pending for the calls logged in the range:
    the figures the review, this report and the governors' report all print."""
    _calls, timings = measured(db, f, cal, now)
    return {which: sl.tally(timings.values(), which) for which in sl.WHICH}


def _row(r: dict) -> list:
    return [
        r["name"],
        r["calls"],
        hours_text(r["respond"]["median"]),
        hours_text(r["respond"]["p90"]),
        hours_text(r["respond"]["mean"]),
        r["respond_met"],
        r["respond_breached"],
        hours_text(r["resolve"]["median"]),
        hours_text(r["resolve"]["p90"]),
        hours_text(r["resolve"]["mean"]),
        r["resolve_met"],
        r["resolve_breached"],
    ]


def within_target_text(counted: sl.Tally) -> str:
    """The words every report prints for a tally: "50% (1 of 2; 1 more still in time)"."""
    text = f"{percent_text(counted.share)} ({counted.met} of {counted.judged}"
    if counted.pending:
        text += f"; {counted.pending} more still in time"
    if counted.no_target:
        text += f"; {counted.no_target} with no target yet"
    return text + ")"


NOTES = [
    "Median: the middle value (the mean of the two middle values for an even count). "
    "90th percentile: nearest rank, the value at rank ceil(0.9 × n) of the n values "
    "sorted from shortest to longest. Mean: the average.",
    "Response and resolution hours are summarised over the calls that have been "
    "responded to and resolved; calls still waiting count as breached once they pass "
    "the target, and are not counted as met until they finish within it.",
    "A call counts as resolved when it was resolved, or closed without a resolution. "
    "A call with no recorded response (imported from a spreadsheet) was responded to "
    "when it was resolved.",
]
BREACH_COLUMNS = ["Ref", "Logged", "Category", "Response level", "Missed", "Target h",
                  "Taken h", "Status", "Owner"]  # fmt: skip


def times(db: Database, f: q.ReportFilter, cal: WorkingCalendar, now: datetime) -> Report:
    calls, timings = measured(db, f, cal, now)
    report = Report("times", "Time to respond and to resolve")
    report.intro = (
        "Calls logged in the range, measured in working hours on the school's "
        "working-day clock, leaving out time With Customer."
    )
    report.headline = _headline(calls, list(timings.values()))
    order = {"level_name": [lv["name"] for lv in directory.list_response_levels(db)]}
    rows_by = {k: figures.timing_rows(calls, timings, k, order.get(k)) for k, _ in DIMENSIONS}
    report.charts = _charts(rows_by["level_name"], rows_by["category"])
    for key, heading in DIMENSIONS:
        rows = rows_by[key]
        table = Table(f"By {heading.lower()}", [heading, *COLUMNS], [_row(r) for r in rows])
        table.numeric = frozenset(range(1, 12))
        report.tables.append(table)
    report.tables.append(_breaches(calls, timings))
    report.notes = list(NOTES)
    return report


def _headline(calls: list[dict], every: list[sl.Timing]) -> list[tuple[str, str]]:
    found = [("Calls logged", str(len(calls)))]
    for which, label in (("respond", "Responses"), ("resolve", "Resolutions")):
        found.append((f"{label} within target", within_target_text(sl.tally(every, which))))
    resolve = figures.summarise(t.resolve_hours for t in every if t.resolved)
    found.append(("Median hours to resolve", hours_text(resolve["median"])))
    found.append(("90th percentile hours to resolve", hours_text(resolve["p90"])))
    return found


def _charts(levels: list[dict], categories: list[dict]) -> list:
    found = []
    if levels:
        names = [r["name"] for r in levels]
        series = {
            "Responses met": [r["respond_met"] for r in levels],
            "Responses breached": [r["respond_breached"] for r in levels],
            "Resolutions met": [r["resolve_met"] for r in levels],
            "Resolutions breached": [r["resolve_breached"] for r in levels],
        }
        found.append(
            charts.bar("Service levels met and breached, by response level", names, series)
        )
    resolved = [r for r in categories if r["resolve"]["count"]]
    if resolved:
        names = [r["name"] for r in resolved]
        series = {
            "Median": [r["resolve"]["median"] for r in resolved],
            "90th percentile": [r["resolve"]["p90"] for r in resolved],
        }
        title = "Working hours to resolve, by category"
        found.append(charts.bar(title, names, series, horizontal=True))
    return found


def _breaches(calls: list[dict], timings: dict[int, sl.Timing]) -> Table:
    """Every response or resolution that missed its target, waiting ones marked."""
    rows, links = [], {}
    for call in calls:
        t = timings[call["id"]]
        for label, state, target, taken, done in (
            ("Response", t.respond_state, call["respond_hours"], t.respond_hours, t.responded),
            ("Resolution", t.resolve_state, call["resolve_hours"], t.resolve_hours, t.resolved),
        ):
            if state != BREACHED:
                continue
            links[len(rows)] = url_for("calls.view", call_id=call["id"])
            taken_text = hours_text(taken) + ("" if done else " (still waiting)")
            rows.append([call["ref"], show_time(call["logged_at"]), call["category"],
                         call["level_name"] or "—", label, hours_text(target), taken_text,
                         call["status"], call["owner"] or "—"])  # fmt: skip
    empty = "No service level was breached."
    return Table("Service levels breached", BREACH_COLUMNS, rows, empty=empty, links=links)
