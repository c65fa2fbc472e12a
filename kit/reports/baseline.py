"""Baseline and targets: what the desk achieves per priority, before and against targets.

The framework's advice is to measure first and set targets after: the kit measures time to
respond and to resolve per response level (priority) from the first call. The baseline is
every call logged before the day targets count from (the `targets_from` setting), or every
call so far while no such day is set. This report sets, per priority, the baseline's median
hours beside the response level's target and beside the chosen range's median and share
within target (judged by `kit.rules.service_levels`, as every report is).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from kit.directory import store as directory
from kit.reports import charts, figures, service_levels
from kit.reports import queries as q
from kit.reports.figures import hours_text
from kit.reports.model import Report, Table
from kit.rules import service_levels as sl
from kit.rules.clock import WorkingCalendar

COLUMNS = ["Priority", "Baseline calls", "Respond target h", "Baseline respond median h",
           "Respond median h", "Responses within target", "Resolve target h",
           "Baseline resolve median h", "Resolve median h",
           "Resolutions within target"]  # fmt: skip


def first_call_day(db: Database) -> date | None:
    row = db.execute("SELECT MIN(logged_at) FROM calls WHERE voided = 0").fetchone()
    return date.fromisoformat(row[0][:10]) if row and row[0] else None


def _by_level(calls: list[dict], timings: dict[int, sl.Timing]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for call in calls:
        entry = found.setdefault(call["level_name"] or "—", {"calls": 0, "timings": []})
        entry["calls"] += 1
        entry["timings"].append(timings[call["id"]])
    return found


def _median(items: list[sl.Timing], which: str) -> float | None:
    done = "responded" if which == "respond" else "resolved"
    return figures.median(getattr(t, f"{which}_hours") for t in items if getattr(t, done))


def baseline(db: Database, f: q.ReportFilter, cal: WorkingCalendar, now: datetime) -> Report:
    report = Report("baseline", "Baseline and targets")
    first = first_call_day(db)
    since = service_levels.targets_from(db)
    base_end = (since - timedelta(days=1)) if since else now.date()
    report.intro = (
        "The kit measures time to respond and to resolve per priority from the first call, "
        "in working hours on the school's working-day clock. Calls logged before targets "
        "count are the baseline: measured, not judged. Set the day targets count from on "
        "the settings page once the baseline shows what the desk can achieve."
    )
    report.headline = [
        ("Measuring since", f"{first:%d %b %Y}" if first else "no calls yet"),
        ("Targets count from", f"{since:%d %b %Y}" if since else "not set: every call is judged"),
    ]
    base_calls: list[dict] = []
    base_timings: dict[int, sl.Timing] = {}
    if first and base_end >= first:
        base_f = replace(f, start=first, end=base_end)
        base_calls, base_timings = service_levels.measured(db, base_f, cal, now)
    calls, timings = service_levels.measured(db, f, cal, now)
    report.headline.append(("Calls in the baseline", str(len(base_calls))))
    base, now_by = _by_level(base_calls, base_timings), _by_level(calls, timings)
    rows, chart_rows = [], []
    for level in directory.list_response_levels(db):
        name = level["name"]
        b = base.get(name, {"calls": 0, "timings": []})["timings"]
        p = now_by.get(name, {"calls": 0, "timings": []})["timings"]
        rows.append([
            name, len(b),
            hours_text(level["respond_hours"]), hours_text(_median(b, "respond")),
            hours_text(_median(p, "respond")),
            service_levels.within_target_text(sl.tally(p, "respond")),
            hours_text(level["resolve_hours"]), hours_text(_median(b, "resolve")),
            hours_text(_median(p, "resolve")),
            service_levels.within_target_text(sl.tally(p, "resolve")),
        ])  # fmt: skip
        chart_rows.append(
            (name, level["resolve_hours"], _median(b, "resolve"), _median(p, "resolve"))
        )
    report.tables.append(
        Table("Per priority: baseline against target", COLUMNS, rows,
              numeric=frozenset({1, 2, 3, 4, 6, 7, 8}))
    )  # fmt: skip
    report.charts.append(
        charts.bar(
            "Working hours to resolve per priority: target, baseline and this range",
            [r[0] for r in chart_rows],
            {
                "Target": [r[1] for r in chart_rows],
                "Baseline median": [r[2] for r in chart_rows],
                "Median in the range": [r[3] for r in chart_rows],
            },
        )
    )
    report.notes = [
        "Baseline: calls logged from the first call up to the day before targets count "
        "(or up to today while no day is set). Medians are of calls responded to or "
        "resolved; a dash means none yet.",
        "Within target counts only calls logged on or after the day targets count from: "
        "baseline calls have no target.",
    ]
    return report
