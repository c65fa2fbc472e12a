"""What a call says about itself beyond its words: used to order its suggested articles.

The log-a-call page (while the desk types) and the call's page ask the same question,
so both go through `suggestions_for` / `call_context`.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit.directory import store as directory
from kit.kb import search


def call_context(
    db: Database,
    *,
    category_id: int | None,
    location_id: int | None = None,
    equipment_id: int | None = None,
    asset_tag: str = "",
) -> str:
    """Words that say where a call belongs, to nudge its suggestions (never to lead them).

    The category's name, the kind of equipment named, and for a teaching space the kinds
    of equipment in the room ("Projector", "Interactive panel").
    """
    parts: list[str] = []
    category = directory.get_category(db, category_id) if category_id else None
    if category is not None:
        parts.append(category["name"])
    item = directory.get_equipment(db, equipment_id) if equipment_id else None
    if item is None and asset_tag.strip():
        item = directory.equipment_by_tag(db, asset_tag[:40])
    if item is not None:
        parts.append(item["type"] or "")
    room = directory.get_location(db, location_id) if location_id else None
    if room is not None and room.get("teaching_space"):
        kinds = {e["type"] for e in directory.equipment_in_location(db, room["id"]) if e["type"]}
        parts.extend(sorted(kinds))
    return " ".join(p for p in parts if p)


def suggestions_for(db: Database, call: dict[str, Any], *, limit: int) -> list[dict[str, Any]]:
    """Articles for a logged call: its summary and details, nudged by where it belongs."""
    context = call_context(
        db,
        category_id=call["category_id"],
        location_id=call.get("location_id"),
        equipment_id=call.get("equipment_id"),
    )
    return search.suggest(db, call["summary"], call["category_id"], context=context, limit=limit)
