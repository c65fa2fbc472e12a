"""The SQL for printing: edited diagnostic checks, and the calls a batch prints."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit.calls import store as calls
from kit.printing import forms

BATCH_LIMIT = 60


def edited_checks(db: Database) -> dict[int, list[str]]:
    """Checks a coordinator saved, by category id (categories without a row use the TOML)."""
    return {
        row["category_id"]: forms.parse_checks(row["checks"])
        for row in db["diagnostic_checks"].rows
    }


def checks_for(db: Database, category_id: int, category_name: str) -> list[str]:
    """The checks printed on a diagnostics sheet for this category."""
    row = next(db["diagnostic_checks"].rows_where("category_id = ?", [category_id]), None)
    if row is not None:
        return forms.parse_checks(row["checks"])
    return list(forms.default_check_set(category_name)["checks"])


def save_checks(
    db: Database, category_id: int, checks: list[str], *, user_id: int, at: str
) -> None:
    """Keep edited checks; the defaults again (or nothing) removes the edit."""
    default = forms.default_check_set(_category_name(db, category_id))["checks"]
    if not checks or checks == list(default):
        db["diagnostic_checks"].delete_where("category_id = ?", [category_id])
        return
    db["diagnostic_checks"].upsert(
        {
            "category_id": category_id,
            "checks": "\n".join(checks),
            "updated_at": at,
            "updated_by": user_id,
        },
        pk="category_id",
    )


def _category_name(db: Database, category_id: int) -> str:
    return db["categories"].get(category_id)["name"]


def notes(db: Database, call_id: int) -> list[dict[str, Any]]:
    """The call's notes so far, oldest first (history entries of kind "note")."""
    return [e for e in calls.history(db, call_id) if e["kind"] == "note" and e["text"]]


def batch(db: Database, f: calls.CallFilter) -> tuple[list[dict[str, Any]], int]:
    """Calls for a batch of job sheets in queue order, at most BATCH_LIMIT of them."""
    return calls.search_calls(db, f, sort="queue", page_size=BATCH_LIMIT)
