"""The SQL for a call's kept suggestions: one row per call, the article ids found for one
version of the call and of the knowledge base (`kit.kb.context` says what a version is).

Keeping them is a convenience, never a reason to wait: the row is written outside any
transaction without waiting for the write lock, and when another writer holds it the row is
simply not written (the call's next view searches again).
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from kit.db import write_lock_now


def kept(db: Database, call_id: int, version: str) -> list[int] | None:
    """The article ids kept for this call at this version, or None (none, or another)."""
    row = db.execute(
        "SELECT article_ids FROM call_suggestions WHERE call_id = ? AND version = ?",
        [call_id, version],
    ).fetchone()
    return None if row is None else [int(i) for i in json.loads(row[0])]


def keep(db: Database, call_id: int, version: str, ids: list[int]) -> bool:
    """Keep these ids for the call (replacing another version's); False when not written
    (another writer held the lock, or the caller is inside a transaction)."""
    with write_lock_now(db) as took:
        if not took:
            return False
        db.execute(
            "INSERT INTO call_suggestions (call_id, version, article_ids) VALUES (?, ?, ?) "
            "ON CONFLICT (call_id) DO UPDATE SET version = excluded.version, "
            "article_ids = excluded.article_ids",
            [call_id, version, json.dumps(ids)],
        )
    return True
