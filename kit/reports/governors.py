"""The incident report for governors: a month's or a term's main figures on a few pages.

It puts together what the other reports measure, with the same definitions, for every call
in the school (no filters): nothing in it names a caller, so it can go in a governors'
meeting pack as it is.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.reports import asset_queries as aq
from kit.reports import charts, feedback, figures, service_levels, suppliers
from kit.reports import queries as q
from kit.reports.equipment import terms_between
from kit.reports.figures import hours_text, percent_text
from kit.reports.model import Report, Table
from kit.reports.workload import period_label, workload_series
from kit.rules import service_levels as sl
from kit.rules.clock import WorkingCalendar

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A month or term that cannot be reported on; the message says why."""


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def month_period(text: str) -> Period:
    match = MONTH.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2999:
        raise PeriodError(f"“{(text or '')[:20]}” is not a month: choose one such as 2026-11.")
    year, month = int(match.group(1)), int(match.group(2))
    last = calendar.monthrange(year, month)[1]
    return Period(f"{date(year, month, 1):%B %Y}", date(year, month, 1), date(year, month, last))


def term_period(name: str, terms: list[dict[str, Any]]) -> Period:
    for term in terms_between(terms, date.min, date.max):
        if term["name"] == name:
            return Period(term["name"], term["start"], term["end"])
    raise PeriodError("There is no term with that name: choose one of the school's terms.")


RESOLUTION_COLUMNS = ["Logged", "Median hours to resolve", "Resolutions met",
                      "Resolutions breached"]  # fmt: skip
NOTES = [
    "Within target: the share of responses and resolutions that met the response "
    "level's target, of those met or already breached.",
    "Resolved at first contact: resolved by the service desk without being passed on.",
]


def incident_report(db: Database, period: Period, cal: WorkingCalendar, now: datetime) -> Report:
    f = q.ReportFilter(start=period.start, end=period.end)
    report = Report("governors", f"Incident report: {period.label}")
    report.period = f"{period.start:%d %B %Y} to {period.end:%d %B %Y}"
    report.intro = (
        "The service desk's main figures for the period, for the governors. "
        "Times are working hours on the school's working-day clock."
    )
    by = figures.choose_by(period.start, period.end)
    data = workload_series(db, f, by, now.date())
    calls, timings = service_levels.measured(db, f, cal, now)
    report.headline = _headline(db, f, data, list(timings.values()))
    labels = [period_label(p, by, short=True) for p in data["periods"]]
    series = {"Logged": data["logged"], "Resolved": data["resolved"], "Open": data["open"]}
    report.charts.append(charts.line(f"Calls per {by}", labels, series))
    report.tables += [
        _resolution_table("Calls by type", "Type", figures.timing_rows(calls, timings, "call_type")),
        _resolution_table("The categories with most calls", "Category",
                          _top_categories(calls, timings)),
        _asset_table(aq.calls_per_asset(db, f, limit=5)),
        _supplier_table([suppliers.outcome(r, now)[0] for r in q.third_party_rows(db, f)]),
    ]  # fmt: skip
    surveys = q.survey_rows(db, f)
    if surveys is not None:
        report.tables.append(_survey_table(surveys))
    report.notes = list(NOTES)
    return report


def _headline(db: Database, f: q.ReportFilter, data: dict, every: list) -> list[tuple[str, str]]:
    found = [
        ("Calls logged", str(sum(data["logged"]))),
        ("Calls resolved", str(sum(data["resolved"]))),
        ("Open at the end of the period", str(data["open"][-1] if data["open"] else 0)),
    ]
    for which, label in (("respond", "Responses"), ("resolve", "Resolutions")):
        counted = sl.tally(every, which)
        found.append((f"{label} within target", service_levels.within_target_text(counted)))
    resolve = figures.summarise(t.resolve_hours for t in every if t.resolved)
    resolved = q.resolution_by_category(db, f)
    done = sum(r["resolved"] for r in resolved)
    first = sum(r["first_contact"] for r in resolved)
    by_article = sum(r["by_article"] for r in resolved)
    return found + [
        ("Median working hours to resolve", hours_text(resolve["median"])),
        ("Resolved at first contact at the desk", percent_text(figures.rate(first, done))),
        ("Solved with the knowledge base", percent_text(figures.rate(by_article, done))),
    ]


def _top_categories(calls: list[dict], timings: dict) -> list[dict]:
    rows = figures.timing_rows(calls, timings, "category")
    return sorted(rows, key=lambda r: (-r["calls"], r["name"]))[:8]


def _resolution_table(title: str, heading: str, rows: list[dict]) -> Table:
    cells = [
        [r["name"], r["calls"], hours_text(r["resolve"]["median"]), r["resolve_met"],
         r["resolve_breached"]]
        for r in rows
    ]  # fmt: skip
    return Table(title, [heading, *RESOLUTION_COLUMNS], cells, numeric=frozenset({1, 2, 3, 4}))


def _asset_table(assets: list[dict]) -> Table:
    rows = [
        [a["asset_tag"], a["type"], f"{a['make']} {a['model']}".strip(), a["calls"]] for a in assets
    ]
    columns = ["Asset tag", "Type", "Make and model", "Calls"]
    return Table("The equipment with most calls", columns, rows, numeric=frozenset({3}))


def _supplier_table(outcomes: list[str]) -> Table:
    counts = [outcomes.count(o) for o in (suppliers.ON_TIME, suppliers.LATE, suppliers.OVERDUE)]
    rows = [[len(outcomes), *counts]] if outcomes else []
    columns = ["Referrals", "On time", "Late", "Still out, overdue"]
    empty = "No call was referred to a third party."
    title = "Third parties and suppliers"
    return Table(title, columns, rows, numeric=frozenset({0, 1, 2, 3}), empty=empty)


def _survey_table(surveys: list[dict]) -> Table:
    s = feedback.summary(surveys)
    rows = [[s["answers"], s["satisfaction"], s["fixed"], s["time_ok"]]] if surveys else []
    columns = ["Answers", "Mean satisfaction", "Fixed", "Time acceptable"]
    empty = "No survey answers in this period."
    return Table("What customers said", columns, rows, empty=empty)
