"""The reports' filter form: a date range and the filters, read from the query string.

Written by hand rather than with WTForms so that every refusal reads as a sentence a
leader can act on ("“2026-13-45” is not a date ..."), shown next to the field with a 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from kit.auth import store as accounts
from kit.directory import store as directory
from kit.reports import queries as q
from kit.rules.categories import CALL_TYPES

DEFAULT_DAYS = 28
MAX_DAYS = 5 * 366  # a report covers at most five years
MAX_DAYS_BY_DAY = 366
FIRST_YEAR, LAST_YEAR = 1990, 2999
BY_CHOICES = (("auto", "Automatic"), ("day", "Day"), ("week", "Week"))


@dataclass
class FilterForm:
    """What was typed (to show it again), the choices, and the errors per field."""

    values: dict[str, str]
    choices: dict[str, list[tuple[str, str]]]
    errors: dict[str, str] = field(default_factory=dict)
    filter: q.ReportFilter | None = None
    by: str = "auto"

    @property
    def ok(self) -> bool:
        return not self.errors

    def query(self, **changes: Any) -> dict[str, str]:
        """The form's values as query arguments (for the PDF and CSV links)."""
        return {k: v for k, v in {**self.values, **changes}.items() if v}


def choices(db: Database) -> dict[str, list[tuple[str, str]]]:
    users = accounts.list_users(db)
    return {
        "site": [("", "Any site")] + [(s, s) for s in q.sites(db)],
        "group": [("", "Any group")]
        + [(str(g["id"]), g["name"]) for g in directory.list_groups(db)],
        "technician": [("", "Anyone")]
        + [(str(u["id"]), u["name"] + ("" if u["active"] else " (left)")) for u in users],
        "category": [("", "Any category")]
        + [(str(c["id"]), c["name"]) for c in directory.list_categories(db, active_only=False)],
        "type": [("", "Any type")] + [(t, t) for t in CALL_TYPES],
        "by": list(BY_CHOICES),
    }


def parse_date(text: str) -> date:
    """An ISO date (what date inputs send) or the UK form 23/11/2026."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            found = datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= found.year <= LAST_YEAR:
            raise ValueError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.")
        return found
    raise ValueError(f"“{text[:20]}” is not a date: write it as 2026-11-23.")


def read(args: Mapping[str, str], db: Database, today: date) -> FilterForm:
    """Check the query string; `form.filter` is set only when everything is right."""
    names = ("date_from", "date_to", "site", "group", "technician", "category", "type", "by")
    values = {n: (args.get(n) or "").strip()[:100] for n in names}
    form = FilterForm(values=values, choices=choices(db))
    start, end = _dates(form, today)
    for name in ("site", "group", "technician", "category", "type", "by"):
        if values[name] and values[name] not in {v for v, _ in form.choices[name]}:
            form.errors[name] = "Choose one of the options in the list."
    if values["by"] == "day" and start and end and (end - start).days >= MAX_DAYS_BY_DAY:
        form.errors["by"] = "Show ranges longer than a year by week."
    if not form.ok:
        return form
    form.by = values["by"] or "auto"
    form.filter = q.ReportFilter(
        start=start,
        end=end,
        site=values["site"],
        call_type=values["type"],
        group_id=_id(values["group"]),
        technician_id=_id(values["technician"]),
        category_id=_id(values["category"]),
    )
    return form


def _dates(form: FilterForm, today: date) -> tuple[date | None, date | None]:
    found: dict[str, date | None] = {}
    for name in ("date_from", "date_to"):
        text = form.values[name]
        try:
            found[name] = parse_date(text) if text else None
        except ValueError as exc:
            form.errors[name] = str(exc)
            found[name] = None
    if form.errors:
        return None, None
    end = found["date_to"] or today
    start = found["date_from"] or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        form.errors["date_to"] = "The end date is before the start date."
    elif (end - start).days >= MAX_DAYS:
        form.errors["date_from"] = "A report covers at most five years: choose a later start."
    form.values["date_from"], form.values["date_to"] = start.isoformat(), end.isoformat()
    return start, end


def _id(text: str) -> int | None:
    return int(text) if text else None
