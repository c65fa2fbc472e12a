"""The school's settings, kept in the database so the admin can change them in the app.

Each value is JSON. `DEFAULTS` lists every setting the kit knows, with the value a new
school starts with; reading a setting nobody has saved gives its default. Every change
records who made it and when (the settings page shows the record).
"""

from __future__ import annotations

import copy
import json
from datetime import date, time
from typing import Any

from sqlite_utils import Database

from kit import refcache
from kit.rules.calendar import WorkingCalendar, build_calendar
from kit.rules.priority import DEFAULT_MATRIX

DEFAULTS: dict[str, Any] = {
    "school_name": "Our School",
    # Where staff reach the kit (https://helpdesk.school.example): printed and used in mail.
    "public_url": "",
    "desk_phone": "",
    "desk_email": "",
    "desk_hours": "Monday to Friday, 8:00 to 17:00",
    "working_days": [0, 1, 2, 3, 4],
    "day_start": "08:00",
    "day_end": "17:00",
    "holiday_country": "GB",
    "holiday_subdivision": "ENG",
    # School holidays (half terms, breaks) as inclusive [start, end] ISO date pairs.
    "school_holidays": [],
    "terms": [],  # [{"name": "Autumn 2026", "start": "2026-09-03", "end": "2026-12-18"}]
    "reopen_window_days": 10,
    "with_customer_reminder_days": 5,
    "with_customer_auto_close": False,
    # Calls logged before this ISO date are the baseline: measured, not judged ("" = none).
    "targets_from": "",
    "survey_every_nth": 1,
    "faq_public": True,
    "web_form_public": True,  # anyone may report a problem at /my-call/new
    "handoff_default": "email",  # email | phone | visit: how the desk passes a call on
    "kb_fix_policy": "apply_in_school",  # or "give_to_technician" when an article has the fix
    # Impact x urgency -> response level rank, edited by the admin on the priority page.
    "priority_matrix": DEFAULT_MATRIX,
    # Inspection days and exam periods as inclusive [start, end] ISO date pairs.
    "special_periods": [],
    "sites": [],  # the school's sites or campuses by name; rooms come from the directory
    "setup_step": "",  # the last set-up wizard step saved or skipped
    # Mail in: the school's own mail domains; empty means the desk address's domain and the
    # staff directory's. Mail from any other address is held for the desk, never answered.
    "mail_school_domains": [],
    "mail_held_days": 60,  # held mail keeps the mail as it arrived (its files) this long
    "logo": "",  # what the uploaded logo is ("PNG, 640 × 200"); the file is instance/logo.png
    # Attachments (kit.attachments): the kinds kept, sizes in MB, and how long files are kept.
    "attachment_kinds": ["jpeg", "png", "gif", "webp", "heic", "pdf", "text", "office"],
    "attachment_staff_file_mb": 10,
    "attachment_public_file_mb": 5,
    "attachment_per_request": 10,
    "attachment_per_call": 20,
    "attachment_call_mb": 100,
    # Mail in: how many files one mail adds to its call, and the largest one (MB).
    "attachment_mail_files": 10,
    "attachment_mail_file_mb": 10,
    # Files of calls closed more than this many months ago are deleted by the daily job
    # (their names stay in the call's record); 0 keeps them for ever.
    "attachment_retention_months": 24,
}


def _saved(db: Database) -> dict[str, str]:
    """Every saved setting as its JSON text, read once per change (kit.refcache): each
    reader decodes its own copy, so no caller can change another's value."""
    return refcache.cached(
        db,
        "settings",
        lambda: {r[0]: r[1] for r in db.execute("SELECT key, value FROM settings").fetchall()},
    )


def get(db: Database, key: str) -> Any:
    text = _saved(db).get(key)
    if text is None:
        return copy.deepcopy(DEFAULTS.get(key))
    return json.loads(text)


def get_all(db: Database) -> dict[str, Any]:
    values = copy.deepcopy(DEFAULTS)
    for key, text in _saved(db).items():
        values[key] = json.loads(text)
    return values


def put(db: Database, key: str, value: Any, *, user_id: int | None, at: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}")
    old = get(db, key)
    with db.atomic():
        db["settings"].upsert(
            {"key": key, "value": json.dumps(value), "updated_at": at, "updated_by": user_id},
            pk="key",
        )
        if old != value:  # plain SQL: a missing log table fails instead of being created
            db.execute(
                "INSERT INTO settings_log (key, old, new, changed_by, changed_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [key, json.dumps(old), json.dumps(value), user_id, at],
            )


def calendar(db: Database, years: range | None = None) -> WorkingCalendar:
    """The school's working-day clock, from its settings."""
    values = get_all(db)
    today = date.today()
    return build_calendar(
        working_days=tuple(values["working_days"]),
        day_start=time.fromisoformat(values["day_start"]),
        day_end=time.fromisoformat(values["day_end"]),
        country=values["holiday_country"] or None,
        subdivision=values["holiday_subdivision"] or None,
        years=years or range(today.year - 6, today.year + 2),
        school_holidays=[
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in values["school_holidays"]
        ],
    )
