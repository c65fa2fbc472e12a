"""The SQL for what the call lifecycle records beside a call.

Time entries, third parties, hot swaps and With Customer spells each have their own table;
the call's history says when each was added. `kit.calls.workflow` writes through these
functions inside its write lock; views read the lists for a call's page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.calls.store import CALL_SELECT, OPEN_SQL
from kit.db import stamp
from kit.rules.clock import Interval, as_datetime

# --- people to tell -------------------------------------------------------------------


def user_email(db: Database, user_id: int | None) -> str:
    """The address of an active account, or "" (no one to tell)."""
    if not user_id:
        return ""
    row = db.execute("SELECT email FROM users WHERE id = ? AND active = 1", [user_id]).fetchone()
    return (row[0] or "") if row else ""


def group_contacts(db: Database, group_id: int) -> list[str]:
    """Who hears about a call passed to a group: its team leader and its shared mailbox."""
    row = db.execute(
        "SELECT team_leader_id, email FROM support_groups WHERE id = ?", [group_id]
    ).fetchone()
    if row is None:
        return []
    return [a for a in (user_email(db, row["team_leader_id"]), row["email"] or "") if a]


def team_leader_email(db: Database, group_id: int) -> str:
    row = db.execute(
        "SELECT team_leader_id FROM support_groups WHERE id = ?", [group_id]
    ).fetchone()
    return user_email(db, row[0]) if row else ""


def is_member(db: Database, group_id: int, user_id: int) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM group_members m JOIN users u ON u.id = m.user_id "
            "WHERE m.group_id = ? AND m.user_id = ? AND u.active = 1",
            [group_id, user_id],
        ).fetchone()
        is not None
    )


def user_name(db: Database, user_id: int | None) -> str:
    if not user_id:
        return ""
    row = db.execute("SELECT name FROM users WHERE id = ?", [user_id]).fetchone()
    return row[0] if row else ""


# --- time taken -----------------------------------------------------------------------


def add_time_entry(
    db: Database,
    call_id: int,
    *,
    user_id: int | None,
    worked_on: date,
    minutes: int,
    note: str,
    at: datetime,
) -> int:
    return (
        db["time_entries"]
        .insert(
            {
                "call_id": call_id,
                "user_id": user_id,
                "worked_on": worked_on.isoformat(),
                "minutes": minutes,
                "note": note,
                "created_at": stamp(at),
            }
        )
        .last_pk
    )


def time_entries(db: Database, call_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.execute(
            "SELECT t.*, u.name AS user_name FROM time_entries t LEFT JOIN users u ON u.id = t.user_id "
            "WHERE t.call_id = ? ORDER BY t.worked_on, t.id",
            [call_id],
        ).fetchall()
    ]


def total_minutes(db: Database, call_id: int) -> int:
    return db.execute(
        "SELECT COALESCE(SUM(minutes), 0) FROM time_entries WHERE call_id = ?", [call_id]
    ).fetchone()[0]


# --- third parties --------------------------------------------------------------------


def add_third_party(
    db: Database,
    call_id: int,
    *,
    kind: str,
    name: str,
    contact: str,
    what: str,
    expected_by: str,
    user_id: int | None,
    at: datetime,
    reference: str = "",
) -> int:
    row = {"reference": reference} if reference else {}
    return (
        db["third_parties"]
        .insert(
            {
                "call_id": call_id,
                "kind": kind,
                "name": name,
                "contact": contact,
                "what_they_will_do": what,
                "expected_by": expected_by,
                "created_by": user_id,
                "created_at": stamp(at),
                **row,
            }
        )
        .last_pk
    )


def end_third_parties(db: Database, call_id: int, at: datetime) -> None:
    db.execute(
        "UPDATE third_parties SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL",
        [stamp(at), call_id],
    )


def third_parties(db: Database, call_id: int) -> list[dict[str, Any]]:
    return list(db["third_parties"].rows_where("call_id = ?", [call_id], order_by="id"))


# --- With Customer spells -------------------------------------------------------------


def start_pause(db: Database, call_id: int, at: datetime) -> None:
    db["call_pauses"].insert({"call_id": call_id, "started_at": stamp(at)})


def end_pause(db: Database, call_id: int, at: datetime) -> None:
    db.execute(
        "UPDATE call_pauses SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL",
        [stamp(at), call_id],
    )


def pauses(db: Database, call_id: int, until: datetime) -> list[Interval]:
    """The call's With Customer spells; one still running counts as ending at `until`."""
    return [
        (as_datetime(r["started_at"]), as_datetime(r["ended_at"]) or until)
        for r in db["call_pauses"].rows_where("call_id = ?", [call_id], order_by="id")
    ]


# --- hot swaps ------------------------------------------------------------------------


def add_hot_swap(
    db: Database,
    call_id: int,
    *,
    location_id: int | None,
    replacement: str,
    faulty: str,
    taken_by: str,
    note: str,
    user_id: int | None,
    at: datetime,
) -> int:
    return (
        db["hot_swaps"]
        .insert(
            {
                "call_id": call_id,
                "location_id": location_id,
                "replacement_asset": replacement,
                "faulty_asset": faulty,
                "taken_by": taken_by,
                "swapped_at": stamp(at),
                "note": note,
                "recorded_by": user_id,
            }
        )
        .last_pk
    )


def get_hot_swap(db: Database, hot_swap_id: int) -> dict[str, Any] | None:
    return next(db["hot_swaps"].rows_where("id = ?", [hot_swap_id]), None)


def mark_returned(db: Database, hot_swap_id: int, at: datetime) -> None:
    db["hot_swaps"].update(hot_swap_id, {"returned_at": stamp(at)})


HOT_SWAP_SELECT = """
SELECT h.*, calls.ref, calls.summary, calls.status, l.site, l.building, l.room
FROM hot_swaps h JOIN calls ON calls.id = h.call_id
LEFT JOIN locations l ON l.id = h.location_id
"""


def hot_swaps(db: Database, call_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.execute(
            HOT_SWAP_SELECT + " WHERE h.call_id = ? ORDER BY h.id", [call_id]
        ).fetchall()
    ]


def open_hot_swaps(db: Database) -> list[dict[str, Any]]:
    """Replacement machines still out in rooms, the longest out first."""
    return [
        dict(r)
        for r in db.execute(
            HOT_SWAP_SELECT + " WHERE h.returned_at IS NULL AND calls.voided = 0 "
            "ORDER BY h.swapped_at, h.id"
        ).fetchall()
    ]


# --- lists ----------------------------------------------------------------------------


def routed_to(user_id: int, group_ids: frozenset[int]) -> tuple[str, list[Any]]:
    """The WHERE clause for calls the desk passed to this person or to one of their groups."""
    marks = ",".join("?" for _ in group_ids) or "NULL"
    return (
        f"calls.routed_at IS NOT NULL AND (calls.assignee_id = ? OR "
        f"(calls.assignee_id IS NULL AND calls.group_id IN ({marks})))",
        [user_id, *sorted(group_ids)],
    )


def open_calls_where(
    db: Database, clauses: list[tuple[str, list[Any]]], limit: int = 500
) -> list[dict[str, Any]]:
    """Open, not voided calls matching every (sql, args) clause (from `kit.calls.access`)."""
    where = " AND ".join([f"{OPEN_SQL} AND calls.voided = 0"] + [f"({s})" for s, _ in clauses])
    args = [a for _, clause_args in clauses for a in clause_args]
    rows = db.execute(
        CALL_SELECT + f" WHERE {where} ORDER BY calls.logged_at LIMIT ?", [*args, limit]
    ).fetchall()
    return [dict(r) for r in rows]
