"""The SQL behind the reports: calls counted for a date range and the leader's filters.

Every query takes a `ReportFilter` and binds its values as named parameters; the only
text placed into SQL is chosen from the constants in this module. Voided calls are left
out everywhere. Reports are for leaders and admins, who may see every call (ROLES.md), so
no per-user visibility applies here: the routes refuse everyone else.

When a call counts as resolved: `RESOLVED_AT`, its resolved time or, if it was closed
without one (no contact from the customer), its closed time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from kit.calls.store import CALL_SELECT, OPEN_SQL

RESOLVED_AT = "COALESCE(calls.resolved_at, calls.closed_at)"


@dataclass(frozen=True)
class ReportFilter:
    """A date range (both days included) and the optional filters of every report."""

    start: date
    end: date
    site: str = ""
    group_id: int | None = None
    technician_id: int | None = None  # the call's owner; for time entries, who worked
    category_id: int | None = None
    call_type: str = ""

    def params(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": (self.end + timedelta(days=1)).isoformat(),  # exclusive upper bound
            "site": self.site,
            "group_id": self.group_id,
            "technician_id": self.technician_id,
            "category_id": self.category_id,
            "call_type": self.call_type,
        }


def call_clauses(f: ReportFilter, *, owner: bool = True) -> str:
    """The WHERE conditions on `calls` for the filters (no date range)."""
    clauses = ["calls.voided = 0"]
    if f.site:
        # The call's room, or else the room its equipment is recorded in.
        clauses.append(
            "COALESCE(calls.location_id, (SELECT e.location_id FROM equipment e "
            "WHERE e.id = calls.equipment_id)) IN "
            "(SELECT id FROM locations WHERE site = :site)"
        )
    if f.group_id is not None:
        clauses.append("calls.group_id = :group_id")
    if owner and f.technician_id is not None:
        clauses.append("calls.assignee_id = :technician_id")
    if f.category_id is not None:
        clauses.append("calls.category_id = :category_id")
    if f.call_type:
        clauses.append("calls.call_type = :call_type")
    return " AND ".join(clauses)


def in_range(column: str) -> str:
    return f"({column} >= :start AND {column} < :end)"


def _rows(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in db.execute(sql, params).fetchall()]


# --- choices for the filter form ------------------------------------------------------


def sites(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT site FROM locations ORDER BY site")]


# --- workload -------------------------------------------------------------------------


def per_day(db: Database, f: ReportFilter, column: str) -> dict[date, int]:
    """Calls per day of `column` ("logged" or "resolved") within the range."""
    expression = {"logged": "calls.logged_at", "resolved": RESOLVED_AT}[column]
    sql = (
        f"SELECT date({expression}) AS day, COUNT(*) AS n FROM calls "
        f"WHERE {call_clauses(f)} AND {in_range(expression)} GROUP BY day"
    )
    return {date.fromisoformat(r["day"]): r["n"] for r in _rows(db, sql, f.params())}


def open_at(db: Database, f: ReportFilter, moment: str) -> int:
    """Calls logged before `moment` and not resolved by then."""
    sql = (
        f"SELECT COUNT(*) FROM calls WHERE {call_clauses(f)} AND calls.logged_at < :at "
        f"AND ({RESOLVED_AT} IS NULL OR {RESOLVED_AT} >= :at)"
    )
    return db.execute(sql, {**f.params(), "at": moment}).fetchone()[0]


WORKLOAD_KEYS = {
    "type": ("calls.call_type", ""),
    "group": ("g.name", "JOIN support_groups g ON g.id = calls.group_id"),
    "technician": (
        "COALESCE(u.name, '(no owner)')",
        "LEFT JOIN users u ON u.id = calls.assignee_id",
    ),
}


def workload_by(db: Database, f: ReportFilter, key: str) -> list[dict[str, Any]]:
    """Per group or owner: calls logged and resolved in the range, and open at its end."""
    name, join = WORKLOAD_KEYS[key]
    sql = f"""
        SELECT {name} AS name,
          SUM(CASE WHEN {in_range("calls.logged_at")} THEN 1 ELSE 0 END) AS logged,
          SUM(CASE WHEN {in_range(RESOLVED_AT)} THEN 1 ELSE 0 END) AS resolved,
          SUM(CASE WHEN {RESOLVED_AT} IS NULL OR {RESOLVED_AT} >= :end THEN 1 ELSE 0 END)
            AS open_at_end
        FROM calls {join}
        WHERE {call_clauses(f)} AND calls.logged_at < :end
          AND ({RESOLVED_AT} IS NULL OR {RESOLVED_AT} >= :start)
        GROUP BY name ORDER BY name"""
    return _rows(db, sql, f.params())


WORKLOAD_COUNTS = ("logged", "resolved", "open_at_end")


def workload_by_all(db: Database, f: ReportFilter) -> dict[str, list[dict[str, Any]]]:
    """`workload_by` for every key at once ("type", "group", "technician"), read in one
    pass over the calls instead of one per key: at five years of 100,000 calls each pass
    reads some 70,000 of them. The totals per name are what each query would count."""
    sql = f"""
        SELECT calls.call_type AS type, g.name AS "group",
          COALESCE(u.name, '(no owner)') AS technician,
          SUM(CASE WHEN {in_range("calls.logged_at")} THEN 1 ELSE 0 END) AS logged,
          SUM(CASE WHEN {in_range(RESOLVED_AT)} THEN 1 ELSE 0 END) AS resolved,
          SUM(CASE WHEN {RESOLVED_AT} IS NULL OR {RESOLVED_AT} >= :end THEN 1 ELSE 0 END)
            AS open_at_end
        FROM calls LEFT JOIN support_groups g ON g.id = calls.group_id
          LEFT JOIN users u ON u.id = calls.assignee_id
        WHERE {call_clauses(f)} AND calls.logged_at < :end
          AND ({RESOLVED_AT} IS NULL OR {RESOLVED_AT} >= :start)
        GROUP BY calls.call_type, calls.group_id, calls.assignee_id"""
    return merge_by_name(_rows(db, sql, f.params()))


def merge_by_name(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows of a type, group and owner name with their counts, added up per name of each
    key, in name order (what `workload_by` gives per key)."""
    totals: dict[str, dict[Any, dict[str, Any]]] = {key: {} for key in WORKLOAD_KEYS}
    for row in rows:
        for key, per_name in totals.items():
            if row[key] is None:  # a call whose group is gone: the group query joins it out
                continue
            total = per_name.setdefault(row[key], dict.fromkeys(WORKLOAD_COUNTS, 0))
            for count in WORKLOAD_COUNTS:
                total[count] += row[count]
    return {
        key: [{"name": name} | per_name[name] for name in sorted(per_name)]
        for key, per_name in totals.items()
    }


def time_recorded(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Minutes of time entries worked in the range, per person who worked and category."""
    who = " AND te.user_id = :technician_id" if f.technician_id is not None else ""
    sql = f"""
        SELECT COALESCE(u.name, '(unknown)') AS technician, c.name AS category,
               SUM(te.minutes) AS minutes
        FROM time_entries te JOIN calls ON calls.id = te.call_id
        JOIN categories c ON c.id = calls.category_id
        LEFT JOIN users u ON u.id = te.user_id
        WHERE {call_clauses(f, owner=False)} AND {in_range("te.worked_on")}{who}
        GROUP BY technician, category ORDER BY technician, category"""
    if not db["time_entries"].exists():
        return []
    return _rows(db, sql, f.params())


# --- calls outstanding ----------------------------------------------------------------


def open_calls(db: Database, f: ReportFilter, limit: int = 500) -> tuple[list[dict], int]:
    """Open calls now, oldest first (at most `limit`), and how many there are in all."""
    where = f"{call_clauses(f)} AND {OPEN_SQL}"
    total = db.execute(f"SELECT COUNT(*) FROM calls WHERE {where}", f.params()).fetchone()[0]
    rows = _rows(
        db,
        CALL_SELECT + f" WHERE {where} ORDER BY calls.logged_at, calls.id LIMIT :limit",
        {**f.params(), "limit": limit},
    )
    return rows, total


def open_logged_times(db: Database, f: ReportFilter) -> list[str]:
    """When every open call was logged (for the age buckets, however many there are)."""
    sql = f"SELECT calls.logged_at FROM calls WHERE {call_clauses(f)} AND {OPEN_SQL}"
    return [r[0] for r in db.execute(sql, f.params())]


# --- times to respond and resolve -----------------------------------------------------

TIMING_SELECT = f"""
SELECT calls.id, calls.ref, calls.summary, calls.status, calls.logged_at, calls.responded_at,
       calls.resolved_at, calls.closed_at, {RESOLVED_AT} AS finished_at, calls.call_type,
       c.name AS category, g.name AS group_name, rl.name AS level_name,
       rl.respond_hours, rl.resolve_hours, a.name AS owner
FROM calls
JOIN categories c ON c.id = calls.category_id
JOIN support_groups g ON g.id = calls.group_id
LEFT JOIN response_levels rl ON rl.id = calls.response_level_id
LEFT JOIN users a ON a.id = calls.assignee_id
"""


def timing_calls(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Calls logged in the range with their response level's targets, oldest first."""
    sql = (
        TIMING_SELECT + f" WHERE {call_clauses(f)} AND {in_range('calls.logged_at')} "
        "ORDER BY calls.logged_at, calls.id"
    )
    return _rows(db, sql, f.params())


def pauses_for(db: Database, f: ReportFilter) -> dict[int, list[tuple[str, str | None]]]:
    """The With Customer spells of the calls `timing_calls` returns, per call."""
    found: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    if not db["call_pauses"].exists():
        return found
    sql = (
        f"SELECT p.call_id, p.started_at, p.ended_at FROM call_pauses p WHERE p.call_id IN "
        f"(SELECT calls.id FROM calls WHERE {call_clauses(f)} AND "
        f"{in_range('calls.logged_at')}) ORDER BY p.id"
    )
    for row in db.execute(sql, f.params()):
        found[row[0]].append((row[1], row[2]))
    return found


# --- knowledge and first contact ------------------------------------------------------


def solved_articles(db: Database, f: ReportFilter, limit: int = 20) -> list[dict[str, Any]]:
    """Articles marked as solving calls resolved in the range, most calls first."""
    if not (db["call_articles"].exists() and db["articles"].exists()):
        return []
    sql = f"""
        SELECT a.id, a.title, a.status, COUNT(*) AS solved
        FROM call_articles ca JOIN articles a ON a.id = ca.article_id
        JOIN calls ON calls.id = ca.call_id
        WHERE ca.solved = 1 AND {call_clauses(f)} AND {in_range(RESOLVED_AT)}
        GROUP BY a.id ORDER BY solved DESC, a.title LIMIT :limit"""
    return _rows(db, sql, {**f.params(), "limit": limit})


# Resolved by someone with the desk role, on a call never passed on (routed) to anyone.
FIRST_CONTACT_SQL = """(calls.routed_at IS NULL AND EXISTS (
    SELECT 1 FROM call_events e JOIN users u ON u.id = e.user_id
    WHERE e.call_id = calls.id AND e.kind = 'resolved'
      AND (',' || u.roles || ',') LIKE '%,desk,%'))"""
KB_SOLVED_SQL = (
    "EXISTS (SELECT 1 FROM call_articles ca WHERE ca.call_id = calls.id AND ca.solved = 1)"
)


def resolution_by_category(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Per category: calls resolved in the range, at first contact, and by an article."""
    kb = KB_SOLVED_SQL if db["call_articles"].exists() else "0"
    sql = f"""
        SELECT c.name AS category, COUNT(*) AS resolved,
          SUM(CASE WHEN {FIRST_CONTACT_SQL} THEN 1 ELSE 0 END) AS first_contact,
          SUM(CASE WHEN {kb} THEN 1 ELSE 0 END) AS by_article
        FROM calls JOIN categories c ON c.id = calls.category_id
        WHERE {call_clauses(f)} AND {in_range(RESOLVED_AT)}
        GROUP BY c.name ORDER BY c.name"""
    return _rows(db, sql, f.params())


# --- third parties --------------------------------------------------------------------


def third_party_rows(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Referrals to third parties made in the range, with their call."""
    if not db["third_parties"].exists():
        return []
    sql = f"""
        SELECT tp.id, tp.kind, tp.name, tp.expected_by, tp.created_at, tp.ended_at,
               calls.id AS call_id, calls.ref, calls.summary, calls.status
        FROM third_parties tp JOIN calls ON calls.id = tp.call_id
        WHERE {call_clauses(f)} AND {in_range("tp.created_at")}
        ORDER BY tp.name COLLATE NOCASE, tp.created_at, tp.id"""
    return _rows(db, sql, f.params())


# --- customer feedback (the surveys table belongs to the survey feature) ---------------


def school_survey_rows(db: Database, f: ReportFilter) -> list[dict[str, Any]]:
    """Answers to the school's own questions on the survey after a call, in the range."""
    sql = f"""
        SELECT a.call_id, a.question_id, a.answer, q.text, q.kind
        FROM call_survey_answers a JOIN survey_questions q ON q.id = a.question_id
        JOIN calls ON calls.id = a.call_id
        WHERE {call_clauses(f)} AND {in_range("a.submitted_at")}
        ORDER BY q.position, q.id, a.submitted_at"""
    return _rows(db, sql, f.params())


def survey_rows(db: Database, f: ReportFilter) -> list[dict[str, Any]] | None:
    """Survey answers submitted in the range; None while the kit has no surveys table."""
    if not db["surveys"].exists():
        return None
    sql = f"""
        SELECT s.satisfaction, s.fixed, s.time_ok, s.comment, s.submitted_at,
               calls.id AS call_id, calls.ref, c.name AS category
        FROM surveys s JOIN calls ON calls.id = s.call_id
        JOIN categories c ON c.id = calls.category_id
        WHERE {call_clauses(f)} AND {in_range("s.submitted_at")}
        ORDER BY s.submitted_at, calls.id"""
    return _rows(db, sql, f.params())
