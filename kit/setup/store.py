"""The set-up area's reads and writes: checking and saving settings, and their record.

The settings page, the wizard and `kit settings set` all save through `validate` then
`save`, so a value the page would refuse cannot come in by the command line either, and
every change lands in `settings_log` (written by `kit.settings.put`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from kit import settings
from kit.setup import checks


def has_users(db: Database) -> bool:
    """Whether anyone has an account yet: until then the kit is waiting for its first admin."""
    return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


def validate(db: Database, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The values tidied, and a message for each key at fault (empty when all is well).

    Checks between settings see the new values together with the stored ones, so a step
    that changes only the day's end is still checked against the saved start.
    """
    tidy: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, value in values.items():
        if key not in settings.DEFAULTS:
            problems[key] = f"The kit has no setting called “{key}”."
            continue
        try:
            tidy[key] = checks.check(key, value)
        except ValueError as exc:
            problems[key] = str(exc)
    if not problems:
        problems = checks.check_together({**settings.get_all(db), **tidy})
    return tidy, problems


def save(db: Database, values: dict[str, Any], *, user_id: int | None, at: str) -> list[str]:
    """Store the values that differ from what is saved; returns the keys that changed."""
    current = settings.get_all(db)
    changed = [key for key, value in values.items() if current.get(key) != value]
    with db.atomic():
        for key in changed:
            settings.put(db, key, values[key], user_id=user_id, at=at)
    return changed


def log_entries(db: Database, limit: int = 50) -> list[dict[str, Any]]:
    """The latest changes, newest first, with who made them (None: the kit command)."""
    rows = db.execute(
        "SELECT l.*, u.name AS changed_by_name FROM settings_log l "
        "LEFT JOIN users u ON u.id = l.changed_by ORDER BY l.id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [
        dict(r) | {"old": json.loads(r["old"] or "null"), "new": json.loads(r["new"])} for r in rows
    ]
