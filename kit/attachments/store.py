"""The SQL for attachments (rows only; the files themselves are in `kit.attachments.files`)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit.db import rows

_LIST = (
    "SELECT a.*, u.name AS added_by_name, r.name AS removed_by_name FROM attachments a "
    "LEFT JOIN users u ON u.id = a.added_by LEFT JOIN users r ON r.id = a.removed_by "
)


def insert(db: Database, row: dict[str, Any]) -> int:
    return db["attachments"].insert(row).last_pk


def next_number(db: Database, call_id: int) -> int:
    found = db.execute("SELECT MAX(n) FROM attachments WHERE call_id = ?", [call_id]).fetchone()
    return (found[0] or 0) + 1


def kept_totals(db: Database, call_id: int) -> tuple[int, int]:
    """How many files a call keeps now, and their bytes (removed ones do not count)."""
    found = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM attachments "
        "WHERE call_id = ? AND removed_at IS NULL",
        [call_id],
    ).fetchone()
    return found[0], found[1]


def kept_from(db: Database, call_id: int, source: str) -> int:
    """How many files the call holds that came in by `source` (e.g. "log a call")."""
    return db.execute(
        "SELECT COUNT(*) FROM attachments WHERE call_id = ? AND source = ?", [call_id, source]
    ).fetchone()[0]


def for_call(db: Database, call_id: int, *, customer_only: bool = False) -> list[dict[str, Any]]:
    """A call's attachments, newest first, with who added and removed them."""
    where = "WHERE a.call_id = ?" + (" AND a.customer_visible = 1" if customer_only else "")
    return rows(db.execute(_LIST + where + " ORDER BY a.n DESC", [call_id]))


def get(db: Database, call_id: int, n: int) -> dict[str, Any] | None:
    found = rows(db.execute(_LIST + "WHERE a.call_id = ? AND a.n = ?", [call_id, n]))
    return found[0] if found else None


def mark_removed(db: Database, row_id: int, *, user_id: int | None, reason: str, at: str) -> None:
    db["attachments"].update(
        row_id, {"removed_at": at, "removed_by": user_id, "removed_reason": reason}
    )


def due_for_purge(db: Database, closed_before: str) -> list[dict[str, Any]]:
    """Files still on disk whose call was closed before `closed_before`."""
    return rows(
        db.execute(
            "SELECT a.* FROM attachments a JOIN calls c ON c.id = a.call_id "
            "WHERE a.purged_at IS NULL AND c.status = 'Closed' AND c.closed_at < ? "
            "ORDER BY a.call_id, a.n",
            [closed_before],
        )
    )


def mark_purged(db: Database, row_id: int, at: str) -> None:
    db["attachments"].update(row_id, {"purged_at": at})


def counts(db: Database, call_ids: list[int]) -> dict[int, int]:
    """Kept (not removed) attachments per call, for the CSV export."""
    if not call_ids:
        return {}
    marks = ",".join("?" for _ in call_ids)
    found = db.execute(
        f"SELECT call_id, COUNT(*) FROM attachments WHERE removed_at IS NULL "
        f"AND call_id IN ({marks}) GROUP BY call_id",
        call_ids,
    ).fetchall()
    return {r[0]: r[1] for r in found}


def all_stored_names(db: Database) -> set[str]:
    found = db.execute("SELECT stored_name, thumb_name FROM attachments").fetchall()
    return {name for r in found for name in r if name}


def customer_files(db: Database, call_id: int) -> list[dict]:
    """What the customer's status page lists: their own files still kept."""
    return [
        r
        for r in for_call(db, call_id, customer_only=True)
        if not r["removed_at"] and not r["purged_at"]
    ]
