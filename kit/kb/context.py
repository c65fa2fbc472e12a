"""What a call says about itself beyond its words: used to order its suggested articles.

The log-a-call page (while the desk types) and the call's page ask the same question,
so both go through `suggestions_for` / `call_context`.

A call's suggestions are searched once per version of the call and of the knowledge base,
then kept in this process: ranking them scores every article sharing a word with the
summary (at 10,000 articles, thousands of them: about a second on a busy machine), and a
call's page is opened again and again while it is worked. A change to the call's summary,
category, room or equipment, any write to the index (in any process) and any change in the
number of articles asks again; so does an answer that came from the SQL stand-in. The
articles' titles are read afresh on every view.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlite_utils import Database

from kit.directory import store as directory
from kit.kb import index, queries, suggestions

CACHED_CALLS = 2000  # suggestion lists kept per process: a few kilobytes
_cache: OrderedDict[tuple, list[int]] = OrderedDict()
_cache_lock = threading.Lock()


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
    version = index.version(index.index_dir())
    key = (
        call["id"],
        call["summary"],
        call["category_id"],
        context,
        limit,
        version,
        version and queries.article_count(db),
    )
    with _cache_lock:
        ids = _cache.get(key)
        if ids is not None:
            _cache.move_to_end(key)
    if ids is None:
        ids, indexed = suggestions.suggested_ids(
            db, call["summary"], call["category_id"], context=context, limit=limit
        )
        if indexed and version is not None:
            _remember(key, ids)
    return suggestions.articles_in_order(db, ids)


def _remember(key: tuple, ids: list[int]) -> None:
    with _cache_lock:
        _cache[key] = ids
        while len(_cache) > CACHED_CALLS:
            _cache.popitem(last=False)
