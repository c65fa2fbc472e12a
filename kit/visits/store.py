"""The SQL for passing calls on: visit days, hand-offs, the visit list, similar earlier calls,
and the count of calls resolved at the desk from the knowledge base.

A call waits for a visit while its latest hand-off is "left for the next visit" to the
technician who still owns it and it is open; passing it on again (by email or phone) or
assigning it elsewhere takes it off the list without anyone tidying up.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.auth import store as accounts
from kit.auth.roles import TECHNICIAN, User
from kit.calls import log_store, search_store
from kit.calls import store as calls
from kit.db import stamp
from kit.rules import similar, visits
from kit.rules.clock import WorkingCalendar

CANDIDATES = 200  # earlier calls scored for similarity: enough for a school's year or two


# Visit days -----------------------------------------------------------------------------


def pattern_text(db: Database, user_id: int) -> str:
    row = db.execute(
        "SELECT pattern FROM technician_visits WHERE user_id = ?", [user_id]
    ).fetchone()
    return row[0] if row else ""


def save_pattern(db: Database, user_id: int, text: str, *, by: int, at: datetime) -> None:
    """Keep a technician's visit days as typed (already checked); empty text removes them."""
    if not text.strip():
        db["technician_visits"].delete_where("user_id = ?", [user_id])
        return
    db["technician_visits"].upsert(
        {"user_id": user_id, "pattern": text.strip(), "updated_by": by, "updated_at": stamp(at)},
        pk="user_id",
    )


def technicians(db: Database) -> list[dict[str, Any]]:
    """Active technicians with their visit days as typed (empty when none are set)."""
    patterns = {r["user_id"]: r["pattern"] for r in db["technician_visits"].rows}
    return [
        u | {"pattern": patterns.get(u["id"], "")} for u in accounts.users_with_role(db, TECHNICIAN)
    ]


def technician(db: Database, user_id: int) -> dict[str, Any] | None:
    """An active technician's account, or None for anyone else."""
    return next((t for t in technicians(db) if t["id"] == user_id), None)


def pattern_for(db: Database, user_id: int, cal: WorkingCalendar) -> visits.VisitPattern:
    """The technician's visit days, skipping every day the school is closed.

    A pattern saved before it became unreadable (never, through the page) counts as none.
    """
    try:
        return visits.parse_pattern(pattern_text(db, user_id), closed=cal.closed_dates)
    except ValueError:
        return visits.VisitPattern()


def next_visit(db: Database, user_id: int, cal: WorkingCalendar, today: date) -> date | None:
    return visits.next_visit(pattern_for(db, user_id, cal), today)


def as_user(db: Database, user_id: int) -> User:
    """The technician as the permission rules see them (their sheets show only their calls)."""
    return accounts.load_user(db, accounts.get_user_row(db, user_id))


# Hand-offs ------------------------------------------------------------------------------


def record_handoff(
    db: Database,
    call_id: int,
    *,
    method: str,
    technician_id: int,
    visit_on: date | None,
    note: str,
    outbox_id: int | None,
    text: str,
    user_id: int | None,
    at: datetime,
    group_id: int | None = None,
    reason: str = "",
) -> int:
    """Keep how the call was passed on, and say so in the call's history (kind "handoff")."""
    with db.atomic():
        handoff_id = (
            db["handoffs"]
            .insert(
                {
                    "call_id": call_id,
                    "method": method,
                    "technician_id": technician_id,
                    "visit_on": visit_on.isoformat() if visit_on else None,
                    "note": note,
                    "outbox_id": outbox_id,
                    "group_id": group_id,
                    "reason": reason.strip(),
                    "created_by": user_id,
                    "created_at": stamp(at),
                }
            )
            .last_pk
        )
        calls.add_event(db, call_id, user_id=user_id, at=at, kind="handoff", text=text)
    return handoff_id


def latest_handoff(db: Database, call_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT h.*, u.name AS technician FROM handoffs h JOIN users u ON u.id = h.technician_id "
        "WHERE h.call_id = ? ORDER BY h.id DESC LIMIT 1",
        [call_id],
    ).fetchone()
    return dict(row) if row else None


# The call's latest hand-off left it for the visit of the technician who still owns it.
LEFT_FOR_VISIT = (
    "EXISTS (SELECT 1 FROM handoffs h WHERE h.call_id = calls.id AND h.method = 'visit' "
    "AND h.technician_id = calls.assignee_id "
    "AND h.id = (SELECT MAX(id) FROM handoffs WHERE call_id = calls.id))"
)


def waiting_for_visit(technician_id: int) -> tuple[str, list[Any]]:
    """WHERE clause (for CallFilter.extra) of the calls left for this technician's visit."""
    return f"calls.assignee_id = ? AND {LEFT_FOR_VISIT}", [technician_id]


def visit_filter(technician_id: int, extra: list[tuple[str, list[Any]]]) -> log_store.CallFilter:
    """The visit list as a call log filter: open, waiting for this visit, visible to the viewer."""
    return log_store.CallFilter(status="open", extra=[waiting_for_visit(technician_id), *extra])


def visit_list(
    db: Database, technician_id: int, extra: list[tuple[str, list[Any]]], limit: int = 200
) -> list[dict[str, Any]]:
    """The calls waiting for this technician's next visit, in queue order."""
    found, _total = log_store.search_calls(
        db, visit_filter(technician_id, extra), sort="queue", page_size=limit
    )
    return found


def waiting_counts(db: Database) -> dict[int, int]:
    """How many open calls wait for each technician's visit (the desk's overview)."""
    rows = db.execute(
        f"SELECT calls.assignee_id, COUNT(*) FROM calls WHERE calls.voided = 0 AND "
        f"{calls.OPEN_SQL} AND {LEFT_FOR_VISIT} GROUP BY calls.assignee_id"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


# Knowledge base first -------------------------------------------------------------------


def similar_candidates(
    db: Database, call: dict[str, Any], extra: list[tuple[str, list[Any]]]
) -> list[dict[str, Any]]:
    """Earlier calls that could be like this one: same asset, room or category, or sharing
    a word of the summary; most recent first, at most CANDIDATES (the rule ranks them)."""
    ors, args = [], []
    for column in ("equipment_id", "location_id", "category_id"):
        if call.get(column) is not None:
            ors.append(f"calls.{column} = ?")
            args.append(call[column])
    match = search_store.any_word_query(sorted(similar.words(call["summary"]))[:12])
    if match:  # every term quoted: never FTS syntax
        search_store.catch_up_if_free(db)
        ors.append(search_store.matching_sql())
        args.append(match)
    if not ors:
        return []
    f = log_store.CallFilter(
        extra=[(" OR ".join(ors), args), ("calls.id != ?", [call["id"]]), *extra]
    )
    return log_store.first_calls(db, f, sort="logged", descending=True, limit=CANDIDATES)


def mark_first_contact_kb(db: Database, call_id: int, *, user: User | None, at: datetime) -> bool:
    """Count the call as resolved at the desk from the knowledge base, when it is one.

    That is: resolved by someone who logs calls (the desk), never passed to a technician,
    with an article marked as having solved it. Returns whether the call was marked.
    """
    call = db["calls"].get(call_id)
    if user is None or not user.can("call.log") or call["routed_at"] or call["first_contact_kb"]:
        return False
    if call["status"] != "Resolved":
        return False
    solved = db.execute(
        "SELECT 1 FROM call_articles WHERE call_id = ? AND solved = 1", [call_id]
    ).fetchone()
    if not solved:
        return False
    calls.update_call(
        db,
        call_id,
        {"first_contact_kb": 1},
        user_id=user.id,
        at=at,
        kind="first_contact_kb",
        text="Resolved at the desk from the knowledge base (first contact).",
    )
    return True


def first_contact_kb_count(db: Database, date_from: str = "", date_to: str = "") -> int:
    """Calls resolved at the desk from the knowledge base, resolved between two ISO dates
    (inclusive; empty for no limit): the review's "resolved at first contact" figure."""
    sql = "SELECT COUNT(*) FROM calls WHERE first_contact_kb = 1 AND voided = 0"
    args: list[Any] = []
    if date_from:
        sql += " AND resolved_at >= ?"
        args.append(date_from)
    if date_to:
        sql += " AND resolved_at < date(?, '+1 day')"
        args.append(date_to)
    return db.execute(sql, args).fetchone()[0]
