"""What a call says about itself beyond its words: used to order its suggested articles.

The log-a-call page (while the desk types) and the call's page ask the same question,
so both go through `suggestions_for` / `call_context`.

A call's suggestions are searched once per version of the call and of the knowledge base,
then kept twice: in this process (the call's page is opened again and again while it is
worked) and in the database (`kit.kb.suggestion_store`), so a call's first view in another
process, or after a restart, reads one row instead of searching (a bounded search,
`kit.kb.suggestions`, still tens of milliseconds at 10,000 articles). A version is the
call's summary, category, room and equipment, the index's table of contents (changed by
any write to the index, in any process) and the number of articles: a change to any asks
again. An answer from the SQL stand-in is never kept. The articles' titles are read afresh
on every view.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from sqlite_utils import Database

from kit.directory import store as directory
from kit.kb import index, queries, suggestion_store, suggestions

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
    if ids is None and version is not None:
        ids = suggestion_store.kept(db, call["id"], _stamp(key))
        if ids is not None:
            _remember(key, ids)
    if ids is None:
        ids, indexed = suggestions.suggested_ids(
            db, call["summary"], call["category_id"], context=context, limit=limit
        )
        if indexed and version is not None:
            _remember(key, ids)
            suggestion_store.keep(db, call["id"], _stamp(key), ids)
    return suggestions.articles_in_order(db, ids)


def _stamp(key: tuple) -> str:
    """The key's version part as the database keeps it (the same in every process)."""
    return hashlib.sha1(repr(key[1:]).encode("utf-8")).hexdigest()


def _remember(key: tuple, ids: list[int]) -> None:
    with _cache_lock:
        _cache[key] = ids
        while len(_cache) > CACHED_CALLS:
            _cache.popitem(last=False)
