"""The letter to users and the service desk charter: their wording, the values they are
filled with, and the HTML a page or a PDF shows.

A school's leaders edit the wording in the app; the values (the desk's phone, email and
hours, the response levels in plain words, the sheet's questions) come from the school's
settings and reference data, so the letter stays right when the desk's number changes.
Wording is Markdown with named placeholders (`kit.leaders.placeholders`), expanded to
Jinja and rendered in `kit.leaders.sandbox`, producing Markdown, which becomes
HTML through the knowledge base's sanitising renderer: neither a value nor the wording can
put script into a page or a PDF.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from typing import Any

from markupsafe import Markup
from sqlite_utils import Database

from kit import assets, settings
from kit.directory import store as directory
from kit.kb.markdown import to_html
from kit.leaders import placeholders, sandbox
from kit.leaders import store as leaders
from kit.printing import forms
from kit.priority import store as priority_store
from kit.rules.priority import IMPACTS, URGENCIES

KINDS = {"letter": "Letter to users", "charter": "Service desk charter"}
# The sheet's sections whose questions a caller answers (the rest are for the desk).
CALLER_SECTIONS = ("about", "questions")


@cache
def default_text(kind: str) -> str:
    """The kit's own wording, kept as a file so it reads like the letter it makes."""
    path = assets.find("templates") / "leaders" / "defaults" / f"{kind}.md.j2"
    return path.read_text(encoding="utf-8")


def in_use(db: Database, kind: str) -> dict[str, Any]:
    """The version printed now: the newest saved for use, else the kit's own wording."""
    found = leaders.current(db, kind)
    if found:
        return found
    return {
        "kind": kind,
        "version": 0,
        "title": KINDS[kind],
        "body": default_text(kind),
        "created_at": None,
        "created_by_name": None,
        "published": 1,
    }


def plain_hours(hours: float, day_hours: float) -> str:
    """Working hours as a person says them: "1 working hour", "3 working days"."""

    def count(n: float, unit: str) -> str:
        n = round(n, 1)
        shown = int(n) if n == int(n) else n
        return f"{shown} working {unit}{'' if n == 1 else 's'}"

    if day_hours <= 0 or hours < day_hours:
        return count(hours, "hour")
    days = hours / day_hours
    if days == int(days):
        return count(days, "day")
    return f"{count(hours, 'hour')} (about {count(days, 'day')})"


def _day_hours(values: dict[str, Any]) -> float:
    start, end = time.fromisoformat(values["day_start"]), time.fromisoformat(values["day_end"])
    start_dt, end_dt = datetime.combine(date.min, start), datetime.combine(date.min, end)
    return (end_dt - start_dt).total_seconds() / 3600


def _levels(db: Database, day_hours: float) -> list[dict[str, Any]]:
    examples: dict[int, list[str]] = {}
    for category in directory.list_categories(db):
        examples.setdefault(category["response_level_id"], []).append(category["name"])
    return [
        {
            "name": level["name"],
            "respond": plain_hours(level["respond_hours"], day_hours),
            "resolve": plain_hours(level["resolve_hours"], day_hours),
            "examples": examples.get(level["id"], []),
        }
        for level in directory.list_response_levels(db)
    ]


def _questions() -> list[dict[str, str]]:
    sheet = forms.load("incident_request")
    return [
        {"label": field["label"], "help": field.get("help", "")}
        for name in CALLER_SECTIONS
        for field in forms.section(sheet, name)["fields"]
    ]


def _priority(db: Database) -> dict[str, Any]:
    """The school's impact x urgency matrix in words, and the overrides that beat it."""
    names: dict[int, str] = {}
    for level in directory.list_response_levels(db):
        names.setdefault(level["rank"], level["name"])
    chosen = priority_store.matrix(db)
    top = names[min(names)] if names else "the top level"
    return {
        "urgencies": list(URGENCIES),
        "rule": "| --- |" + " --- |" * len(URGENCIES),
        "rows": [
            {
                "impact": impact,
                "levels": [names.get(chosen[impact][u], str(chosen[impact][u])) for u in URGENCIES],
            }
            for impact in IMPACTS
        ],
        "overrides": [
            f"A safeguarding concern goes straight to {top}, whatever the table says.",
            f"On inspection days and in exam periods, calls about teaching spaces and exam "
            f"rooms go to {top}.",
        ],
    }


def context(db: Database, *, web_form: str, updated: date) -> dict[str, Any]:
    """The values a letter or charter template may use (see `placeholders.PLACEHOLDERS`)."""
    values = settings.get_all(db)
    return {
        "school": {
            "name": values["school_name"],
            "phone": values["desk_phone"],
            "email": values["desk_email"],
            "hours": values["desk_hours"],
            "web_form": web_form,
            "reopen_days": values["reopen_window_days"],
        },
        "levels": _levels(db, _day_hours(values)),
        "priority": _priority(db),
        "questions": _questions(),
        "updated": f"{updated.day} {updated:%B %Y}",
    }


def render_html(text: str, values: dict[str, Any]) -> Markup:
    """The wording, its placeholders expanded, filled in and turned into safe HTML;
    TemplateProblem if it cannot be."""
    return to_html(sandbox.render(placeholders.expand(text), values))


def check(text: str, values: dict[str, Any]) -> None:
    """TemplateProblem unless the wording is safe and renders with the school's values.
    The wording as typed is checked first, so a mistake is reported on the line it is on."""
    sandbox.check(text, values)
    sandbox.check(placeholders.expand(text), values)
