"""The SQL for the equipment report: calls per asset, per make and model, per term, and one
asset's whole history.

Calls count toward the asset recorded on them. With a site filter, the register's assets
are counted at that site too, so "calls per asset" divides like by like.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit.calls.store import CALL_SELECT
from kit.reports.queries import RESOLVED_AT, ReportFilter, call_clauses, in_range

ASSET_SITE = "(:site = '' OR e.location_id IN (SELECT id FROM locations WHERE site = :site))"


def _rows(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in db.execute(sql, params).fetchall()]


def calls_per_asset(db: Database, f: ReportFilter, limit: int = 500) -> list[dict[str, Any]]:
    """Assets with calls logged in the range, most calls first."""
    sql = f"""
        SELECT e.id, e.asset_tag, e.type, e.make, e.model,
               l.site || ' – ' || l.building || ' – ' || l.room AS location, COUNT(*) AS calls
        FROM calls JOIN equipment e ON e.id = calls.equipment_id
        LEFT JOIN locations l ON l.id = e.location_id
        WHERE {call_clauses(f)} AND {in_range("calls.logged_at")}
        GROUP BY e.id ORDER BY calls DESC, e.asset_tag LIMIT :limit"""
    return _rows(db, sql, {**f.params(), "limit": limit})


def calls_per_model(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Per make and model: assets in the register, calls in the range, assets with a call."""
    sql = f"""
        WITH counted AS (
          SELECT calls.equipment_id, COUNT(*) AS n FROM calls
          WHERE calls.equipment_id IS NOT NULL AND {call_clauses(f)}
            AND {in_range("calls.logged_at")}
          GROUP BY calls.equipment_id)
        SELECT e.make, e.model, e.type, COUNT(*) AS assets,
               COALESCE(SUM(counted.n), 0) AS calls, COUNT(counted.n) AS assets_with_calls
        FROM equipment e LEFT JOIN counted ON counted.equipment_id = e.id
        WHERE {ASSET_SITE}
        GROUP BY e.make, e.model, e.type
        HAVING calls > 0 ORDER BY calls DESC, e.make, e.model"""
    return _rows(db, sql, f.params())


def calls_per_type_between(
    db: Database, f: ReportFilter, start: str, end: str
) -> list[dict[str, Any]]:
    """Per equipment type: assets in the register and calls logged from `start` up to but
    not including `end` (a term), for failure rates."""
    sql = f"""
        WITH counted AS (
          SELECT calls.equipment_id, COUNT(*) AS n FROM calls
          WHERE calls.equipment_id IS NOT NULL AND {call_clauses(f)}
            AND calls.logged_at >= :term_start AND calls.logged_at < :term_end
          GROUP BY calls.equipment_id)
        SELECT e.type, COUNT(*) AS assets, COALESCE(SUM(counted.n), 0) AS calls
        FROM equipment e LEFT JOIN counted ON counted.equipment_id = e.id
        WHERE {ASSET_SITE}
        GROUP BY e.type ORDER BY e.type"""
    return _rows(db, sql, {**f.params(), "term_start": start, "term_end": end})


def get_asset(db: Database, equipment_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT e.*, l.site, l.building, l.room FROM equipment e "
        "LEFT JOIN locations l ON l.id = e.location_id WHERE e.id = ?",
        [equipment_id],
    ).fetchone()
    return dict(row) if row else None


def asset_calls(db: Database, equipment_id: int) -> list[dict[str, Any]]:
    """Every call ever logged about the asset (not voided), newest first, with time spent."""
    minutes = (
        "(SELECT COALESCE(SUM(minutes), 0) FROM time_entries t WHERE t.call_id = calls.id)"
        if db["time_entries"].exists()
        else "0"
    )
    resolution = (
        "calls.resolution_summary" if "resolution_summary" in db["calls"].columns_dict else "''"
    )
    sql = (
        CALL_SELECT.replace(
            "SELECT calls.*,",
            f"SELECT calls.*, {minutes} AS minutes, {resolution} AS resolution, "
            f"{RESOLVED_AT} AS finished_at,",
            1,
        )
        + " WHERE calls.equipment_id = ? AND calls.voided = 0 ORDER BY calls.logged_at DESC, calls.id DESC"
    )
    return [dict(r) for r in db.execute(sql, [equipment_id]).fetchall()]


def asset_hot_swaps(db: Database, asset_tag: str) -> list[dict[str, Any]]:
    """Hot swaps in which the asset was the faulty machine or the replacement."""
    if not db["hot_swaps"].exists():
        return []
    return _rows(
        db,
        """
        SELECT h.*, calls.ref, calls.id AS call_id FROM hot_swaps h
        JOIN calls ON calls.id = h.call_id
        WHERE (h.faulty_asset = :tag COLLATE NOCASE OR h.replacement_asset = :tag COLLATE NOCASE)
          AND calls.voided = 0
        ORDER BY h.swapped_at DESC, h.id DESC""",
        {"tag": asset_tag},
    )
