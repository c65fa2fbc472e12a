"""The SQL for the CSV exports: calls, people, locations, equipment and articles.

Each export is (header, rows) where rows is an iterator over a database cursor, so a
100,000-call export is written as it is read and never held in memory. Column lists are
constants: nothing a person types reaches the SQL except bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from kit.calls.store import CALL_FROM

# (heading, SQL expression) for each column of the calls export.
CALL_COLUMNS = (
    ("Ref", "calls.ref"),
    ("Logged", "calls.logged_at"),
    ("Logged by", "lb.name"),
    ("Channel", "calls.channel"),
    ("Caller", "calls.caller_name"),
    ("Caller email", "calls.caller_email"),
    ("Caller phone", "calls.caller_phone"),
    ("Site", "l.site"),
    ("Building", "l.building"),
    ("Room", "l.room"),
    ("Asset tag", "e.asset_tag"),
    ("Category", "c.name"),
    ("Type", "calls.call_type"),
    ("Group", "g.name"),
    ("Response level", "rl.name"),
    ("Owner", "a.name"),
    ("Status", "calls.status"),
    ("Summary", "calls.summary"),
    ("Details", "calls.details"),
    ("Fault occurred", "calls.occurred_at"),
    ("Passed on", "calls.routed_at"),
    ("Response due", "calls.respond_by"),
    ("Resolution due", "calls.resolve_by"),
    ("Responded", "calls.responded_at"),
    ("Resolved", "calls.resolved_at"),
    ("Closed", "calls.closed_at"),
)
LIFECYCLE_COLUMNS = (
    ("Resolution summary", "calls.resolution_summary"),
    ("Closure category", "calls.closure_category"),
    ("Customer confirmed", "calls.customer_confirmed"),
    ("Times reopened", "calls.reopen_count"),
)
SUMMARY_COLUMNS = (
    ("Voided", "calls.voided"),
    (
        "Attachments",
        "(SELECT COUNT(*) FROM attachments att WHERE att.call_id = calls.id "
        "AND att.removed_at IS NULL)",
    ),
    ("History entries", "(SELECT COUNT(*) FROM call_events ev WHERE ev.call_id = calls.id)"),
    (
        "Last history entry",
        "(SELECT ev.kind FROM call_events ev WHERE ev.call_id = calls.id "
        "ORDER BY ev.id DESC LIMIT 1)",
    ),
    (
        "Last history entry at",
        "(SELECT ev.at FROM call_events ev WHERE ev.call_id = calls.id "
        "ORDER BY ev.id DESC LIMIT 1)",
    ),
)
TIME_COLUMNS = (
    (
        "Minutes recorded",
        "(SELECT COALESCE(SUM(t.minutes), 0) FROM time_entries t WHERE t.call_id = calls.id)",
    ),
    ("Time entries", "(SELECT COUNT(*) FROM time_entries t WHERE t.call_id = calls.id)"),
)

Export = tuple[list[str], Iterator[Any]]


def _stream(db: Database, sql: str, params: dict[str, Any] | None = None) -> Iterator[tuple]:
    cursor = db.execute(sql, params or {})
    while batch := cursor.fetchmany(500):
        yield from (tuple(row) for row in batch)


def calls(db: Database, start: str = "", end: str = "") -> Export:
    """Every call (voided ones too, marked), logged from `start` up to `end` (ISO, end
    excluded) when given, with a summary of its history and its time totals."""
    columns = list(CALL_COLUMNS)
    existing = db["calls"].columns_dict
    columns += [c for c in LIFECYCLE_COLUMNS if c[1].split(".")[1] in existing]
    columns += list(SUMMARY_COLUMNS)
    if db["time_entries"].exists():
        columns += list(TIME_COLUMNS)
    where = ["1 = 1"]
    if start:
        where.append("calls.logged_at >= :start")
    if end:
        where.append("calls.logged_at < :end")
    sql = (
        f"SELECT {', '.join(expr for _, expr in columns)} {CALL_FROM} "
        f"WHERE {' AND '.join(where)} ORDER BY calls.logged_at, calls.id"
    )
    return [heading for heading, _ in columns], _stream(db, sql, {"start": start, "end": end})


def people(db: Database) -> Export:
    header = ["Name", "Email", "Phone", "Department", "Role"]
    return header, _stream(
        db, "SELECT name, email, phone, department, role FROM people ORDER BY name, id"
    )


def locations(db: Database) -> Export:
    header = ["Site", "Building", "Room", "Teaching space"]
    return header, _stream(
        db,
        "SELECT site, building, room, CASE teaching_space WHEN 1 "
        "THEN 'yes' ELSE 'no' END FROM locations "
        "ORDER BY site, building, room",
    )


def equipment(db: Database) -> Export:
    header = [
        "Asset tag",
        "Type",
        "Make",
        "Model",
        "Serial",
        "Site",
        "Building",
        "Room",
        "Supplier",
        "Purchase date",
        "Warranty end",
        "Calls",
    ]
    sql = """SELECT e.asset_tag, e.type, e.make, e.model, e.serial, l.site, l.building, l.room,
                    e.supplier, e.purchase_date, e.warranty_end,
                    (SELECT COUNT(*) FROM calls WHERE calls.equipment_id = e.id
                       AND calls.voided = 0)
             FROM equipment e LEFT JOIN locations l ON l.id = e.location_id
             ORDER BY e.asset_tag"""
    return header, _stream(db, sql)


def articles(db: Database) -> Export | None:
    """None while the knowledge base has no tables in this kit."""
    if not db["articles"].exists():
        return None
    header = [
        "Id",
        "Title",
        "Status",
        "Audience",
        "Tags",
        "Symptoms",
        "Cause",
        "Fix",
        "Error messages",
        "Revision",
        "Updated",
        "Published",
        "Calls linked",
        "Calls solved",
    ]
    sql = """SELECT a.id, a.title, a.status, a.audience, a.tags, a.symptoms, a.cause, a.fix,
                    a.error_messages, a.revision, a.updated_at, a.published_at,
                    (SELECT COUNT(*) FROM call_articles ca WHERE ca.article_id = a.id),
                    (SELECT COUNT(*) FROM call_articles ca WHERE ca.article_id = a.id
                       AND ca.solved = 1)
             FROM articles a ORDER BY a.title, a.id"""
    return header, _stream(db, sql)


EXPORTS = {
    "calls": "Calls",
    "people": "People",
    "locations": "Locations",
    "equipment": "Equipment",
    "articles": "Knowledge base articles",
}
