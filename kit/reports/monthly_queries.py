"""The SQL behind the monthly report: where calls came from, repeats and problems raised.

Same conventions as `kit.reports.queries`: a `ReportFilter` bound as named parameters,
voided calls left out, nothing but this module's constants placed into SQL.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit.reports.queries import ReportFilter, call_clauses, in_range

# The call's room, or else the room its equipment is recorded in.
ROOM = (
    "COALESCE((SELECT l.site || ' – ' || l.building || ' – ' || l.room FROM locations l "
    "WHERE l.id = COALESCE(calls.location_id, e.location_id)), 'No room recorded')"
)


def call_places(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Every call logged in the range with its room, asset tag, type and owner."""
    sql = f"""
        SELECT calls.id, calls.ref, calls.call_type, {ROOM} AS room, e.asset_tag,
               u.name AS owner
        FROM calls LEFT JOIN equipment e ON e.id = calls.equipment_id
        LEFT JOIN users u ON u.id = calls.assignee_id
        WHERE {call_clauses(f)} AND {in_range("calls.logged_at")}
        ORDER BY calls.logged_at, calls.id"""
    return [dict(r) for r in db.execute(sql, f.params()).fetchall()]


def minutes_per_person(db: Database, f: ReportFilter) -> dict[str, int]:
    """Minutes of time recorded in the range, per person who worked."""
    if not db["time_entries"].exists():
        return {}
    sql = f"""
        SELECT COALESCE(u.name, '(unknown)') AS name, SUM(te.minutes) AS minutes
        FROM time_entries te JOIN calls ON calls.id = te.call_id
        LEFT JOIN users u ON u.id = te.user_id
        WHERE {call_clauses(f, owner=False)} AND {in_range("te.worked_on")}
        GROUP BY name ORDER BY name"""
    return {r["name"]: r["minutes"] for r in db.execute(sql, f.params()).fetchall()}


def problems_raised(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Problem records opened in the range, with how many calls are linked to each."""
    if not db["problems"].exists():
        return []
    sql = f"""
        SELECT p.id, p.title, p.status, p.created_at,
               (SELECT COUNT(*) FROM problem_calls pc JOIN calls ON calls.id = pc.call_id
                WHERE pc.problem_id = p.id AND calls.voided = 0) AS calls
        FROM problems p WHERE {in_range("p.created_at")}
        ORDER BY p.created_at, p.id"""
    return [dict(r) for r in db.execute(sql, f.params()).fetchall()]


# --- who and what needs most support (the workload report) ----------------------------

SUPPORT_GROUPS = {
    # key: (label SQL, extra joins)
    "caller": ("COALESCE(NULLIF(p.name, ''), NULLIF(calls.caller_name, ''), 'Not recorded')",
               "LEFT JOIN people p ON p.id = calls.caller_id"),
    "room": (ROOM, "LEFT JOIN equipment e ON e.id = calls.equipment_id"),
    "department": ("COALESCE(NULLIF(p.department, ''), 'Not recorded')",
                   "LEFT JOIN people p ON p.id = calls.caller_id"),
}  # fmt: skip


def most_support(db: Database, f: ReportFilter, key: str, limit: int = 10) -> list[dict]:
    """Callers, rooms or departments with most calls logged in the range, with the time
    technicians recorded on those calls."""
    label, joins = SUPPORT_GROUPS[key]
    # Grouped and ordered by position: "name" there would be the person's `p.name` column,
    # which lumped every caller not in the directory into one row.
    minutes = (
        "(SELECT COALESCE(SUM(te.minutes), 0) FROM time_entries te WHERE te.call_id = calls.id)"
        if db["time_entries"].exists()
        else "0"
    )
    sql = f"""
        SELECT {label} AS name, COUNT(*) AS calls,
               SUM(calls.call_type = 'Incident') AS incidents,
               SUM(calls.call_type = 'Request') AS requests, SUM({minutes}) AS minutes
        FROM calls {joins}
        WHERE {call_clauses(f)} AND {in_range("calls.logged_at")}
        GROUP BY 1 ORDER BY 2 DESC, 5 DESC, 1 LIMIT :limit"""
    return [dict(r) for r in db.execute(sql, {**f.params(), "limit": limit}).fetchall()]


def most_support_all(db: Database, f: ReportFilter, limit: int = 10) -> dict[str, list[dict]]:
    """`most_support` for callers, rooms and departments at once: one pass over the calls
    logged in the range (grouped by all three labels, then added up here) instead of one
    per key, each of which read every call of the range and its time entries."""
    labels = ", ".join(f"{SUPPORT_GROUPS[key][0]} AS {key}" for key in SUPPORT_GROUPS)
    minutes = (
        "(SELECT COALESCE(SUM(te.minutes), 0) FROM time_entries te WHERE te.call_id = calls.id)"
        if db["time_entries"].exists()
        else "0"
    )
    sql = f"""
        SELECT {labels}, COUNT(*) AS calls,
               SUM(calls.call_type = 'Incident') AS incidents,
               SUM(calls.call_type = 'Request') AS requests, SUM({minutes}) AS minutes
        FROM calls LEFT JOIN people p ON p.id = calls.caller_id
          LEFT JOIN equipment e ON e.id = calls.equipment_id
        WHERE {call_clauses(f)} AND {in_range("calls.logged_at")}
        GROUP BY 1, 2, 3"""
    totals: dict[str, dict[str, dict[str, Any]]] = {key: {} for key in SUPPORT_GROUPS}
    for row in db.execute(sql, f.params()).fetchall():
        for key, per_name in totals.items():
            total = per_name.setdefault(row[key], {"name": row[key]} | SUPPORT_ZERO)
            for count in SUPPORT_COUNTS:
                total[count] += row[count]
    return {key: top_support(per_name, limit) for key, per_name in totals.items()}


SUPPORT_COUNTS = ("calls", "incidents", "requests", "minutes")
SUPPORT_ZERO = dict.fromkeys(SUPPORT_COUNTS, 0)


def top_support(per_name: dict[str, dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The `limit` names with most calls (then most minutes, then by name)."""
    return sorted(per_name.values(), key=lambda r: (-r["calls"], -r["minutes"], r["name"]))[:limit]


def time_per_category(db: Database, f: ReportFilter, call_type: str) -> list[dict]:
    """Per category of one type: calls logged in the range and the time recorded on them,
    most time per call first."""
    if not db["time_entries"].exists():
        return []
    sql = f"""
        SELECT c.name AS category, COUNT(*) AS calls,
               SUM((SELECT COALESCE(SUM(te.minutes), 0) FROM time_entries te
                    WHERE te.call_id = calls.id)) AS minutes
        FROM calls JOIN categories c ON c.id = calls.category_id
        WHERE {call_clauses(f)} AND {in_range("calls.logged_at")}
          AND calls.call_type = :wanted
        GROUP BY c.id ORDER BY 1.0 * minutes / COUNT(*) DESC, c.name"""
    return [dict(r) for r in db.execute(sql, {**f.params(), "wanted": call_type}).fetchall()]
