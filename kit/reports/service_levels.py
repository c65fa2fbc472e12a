"""Time to respond and to resolve, and the service levels met and breached.

Covers the calls logged in the date range. Hours are working hours on the school's
working-day clock with With Customer spells left out; see `kit.reports.figures` for the
median, 90th percentile (nearest rank) and the met/breached rule.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlite_utils import Database

from kit.reports import charts, figures
from kit.reports import queries as q
from kit.reports.figures import BREACHED, MET, hours_text, percent_text
from kit.reports.model import Report, Table, show_time
from kit.rules.clock import WorkingCalendar

DIMENSIONS = (("category", "Category"), ("call_type", "Type"), ("group_name", "Group"),
              ("level_name", "Response level"))
COLUMNS = ["Calls", "Respond median h", "Respond 90th pct h", "Respond mean h",
           "Responses met", "Responses breached", "Resolve median h", "Resolve 90th pct h",
           "Resolve mean h", "Resolutions met", "Resolutions breached"]


def measured(db: Database, f: q.ReportFilter, cal: WorkingCalendar,
             now: datetime) -> tuple[list[dict], dict[int, figures.Timing]]:
    """The calls logged in the range and each one's timing on the working-day clock."""
    calls = q.timing_calls(db, f)
    pauses = q.pauses_for(db, f)
    return calls, {c["id"]: figures.measure(c, pauses.get(c["id"], []), cal, now) for c in calls}


def _row(r: dict) -> list:
    return [r["name"], r["calls"], hours_text(r["respond"]["median"]),
            hours_text(r["respond"]["p90"]), hours_text(r["respond"]["mean"]),
            r["respond_met"], r["respond_breached"], hours_text(r["resolve"]["median"]),
            hours_text(r["resolve"]["p90"]), hours_text(r["resolve"]["mean"]),
            r["resolve_met"], r["resolve_breached"]]


def met_share(timings: list[figures.Timing], which: str) -> tuple[int, int]:
    """(met, met + breached) for "respond" or "resolve"."""
    states = [getattr(t, f"{which}_state") for t in timings]
    met = states.count(MET)
    return met, met + states.count(BREACHED)


def times(db: Database, f: q.ReportFilter, cal: WorkingCalendar, now: datetime) -> Report:
    calls, timings = measured(db, f, cal, now)
    every = list(timings.values())
    resolve_all = figures.summarise(t.resolve_hours for t in every if t.resolved)
    report = Report("times", "Time to respond and to resolve")
    report.intro = ("Calls logged in the range, measured in working hours on the school's "
                    "working-day clock, leaving out time With Customer.")
    report.headline = [("Calls logged", str(len(calls)))]
    for which, label in (("respond", "Responses"), ("resolve", "Resolutions")):
        met, judged = met_share(every, which)
        report.headline.append((f"{label} within target", f"{met} of {judged} "
                                f"({percent_text(figures.rate(met, judged))})"))
    report.headline += [("Median hours to resolve", hours_text(resolve_all["median"])),
                        ("90th percentile hours to resolve", hours_text(resolve_all["p90"]))]
    levels = figures.timing_rows(calls, timings, "level_name")
    if levels:
        report.charts.append(charts.bar(
            "Service levels met and breached, by response level", [r["name"] for r in levels],
            {"Responses met": [r["respond_met"] for r in levels],
             "Responses breached": [r["respond_breached"] for r in levels],
             "Resolutions met": [r["resolve_met"] for r in levels],
             "Resolutions breached": [r["resolve_breached"] for r in levels]}))
    categories = figures.timing_rows(calls, timings, "category")
    resolved_categories = [r for r in categories if r["resolve"]["count"]]
    if resolved_categories:
        report.charts.append(charts.bar(
            "Working hours to resolve, by category", [r["name"] for r in resolved_categories],
            {"Median": [r["resolve"]["median"] for r in resolved_categories],
             "90th percentile": [r["resolve"]["p90"] for r in resolved_categories]},
            horizontal=True))
    for key, heading in DIMENSIONS:
        rows = categories if key == "category" else figures.timing_rows(calls, timings, key)
        report.tables.append(Table(f"By {heading.lower()}", [heading, *COLUMNS],
                                   [_row(r) for r in rows], numeric=frozenset(range(1, 12))))
    report.tables.append(_breaches(calls, timings))
    report.notes = [
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
    return report


def _breaches(calls: list[dict], timings: dict[int, figures.Timing]) -> Table:
    rows, links = [], {}
    for call in calls:
        t = timings[call["id"]]
        for which, label, target, taken in (
            ("respond", "Response", call["respond_hours"], t.respond_hours),
            ("resolve", "Resolution", call["resolve_hours"], t.resolve_hours),
        ):
            if getattr(t, f"{which}_state") != BREACHED:
                continue
            links[len(rows)] = url_for("calls.view", call_id=call["id"])
            still = "" if getattr(t, "responded" if which == "respond" else "resolved") else \
                " (still waiting)"
            rows.append([call["ref"], show_time(call["logged_at"]), call["category"],
                         call["level_name"] or "—", label, hours_text(target),
                         hours_text(taken) + still, call["status"], call["owner"] or "—"])
    return Table("Service levels breached", ["Ref", "Logged", "Category", "Response level",
                                             "Missed", "Target h", "Taken h", "Status", "Owner"],
                 rows, empty="No service level was breached.", links=links)
