"""What the desk is helped with while logging a call, on the server as well as by the page's
script: a teaching space's procedure defaults, the room's open calls (so a second report
about the same room becomes a note, not a duplicate), and the link to an earlier call.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import access, store
from kit.directory import store as directory
from kit.rules.categories import TEACHING_SPACE_CATEGORY, teaching_space_summary


def parse_id(value: Any) -> int | None:
    """A row id from a query string, or None (never an error for what was typed)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) < 19 else None


def preselect_location(form: Any, db: Database, args: Mapping[str, str]) -> None:
    """`/calls/new?location_id=N` starts the form in that room."""
    location = directory.get_location(db, parse_id(args.get("location_id")))
    if location is not None:
        form.location_id.data = location["id"]


def apply_teaching_space_defaults(form: Any, db: Database) -> None:
    """A teaching-space room gets the procedure's category and summary unless chosen.

    The page's script does the same as the desk picks the room; this covers a browser
    without it and a form posted straight away.
    """
    location = directory.get_location(db, form.location_id.data)
    if location is None or not location["teaching_space"]:
        return
    category = directory.category_by_name(db, TEACHING_SPACE_CATEGORY)
    if category is not None and category["active"] and not form.category_id.data:
        form.category_id.data = category["id"]
        form.category_id.raw_data = [str(category["id"])]
    if not (form.summary.data or "").strip():
        summary = teaching_space_summary(location["site"], location["building"], location["room"])
        form.summary.data = summary
        form.summary.raw_data = [summary]


def open_calls_for(db: Database, location_id: int | None, user: User) -> list[dict[str, Any]]:
    """The room's open calls this person may see, oldest first."""
    if not location_id:
        return []
    return [c for c in store.open_calls_in_location(db, location_id) if access.may_see(user, c)]


def earlier_call(db: Database, args: Mapping[str, str], user: User) -> dict[str, Any] | None:
    """`/calls/new?linked=N`: the call the new one is about (too late to reopen it)."""
    call = store.get_call(db, parse_id(args.get("linked")) or 0)
    return call if call and access.may_see(user, call) else None


def link_to_earlier(
    db: Database, call_id: int, earlier: dict[str, Any] | None, *, user: User, at: datetime
) -> None:
    """Record which earlier call a new one is about (once: a repeated form changes nothing)."""
    if earlier is None or earlier["id"] == call_id or db["calls"].get(call_id)["linked_call_id"]:
        return
    store.update_call(
        db,
        call_id,
        {"linked_call_id": earlier["id"]},
        user_id=user.id,
        at=at,
        kind="changed",
        text=f"Logged about earlier call {earlier['ref']}.",
    )
