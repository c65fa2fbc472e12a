"""The SQL the procedure's steps and its exceptions report need: articles that fix a call,
the desk's own group and people, receipts already sent, and open calls at fault.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from kit.calls.store import CALL_SELECT, OPEN_SQL


def solving_articles(db: Database, call_id: int) -> list[str]:
    """Titles of the knowledge base articles marked "solved by this article" on the call."""
    if "call_articles" not in db.table_names():
        return []
    return [
        r[0]
        for r in db.execute(
            "SELECT a.title FROM call_articles ca JOIN articles a ON a.id = ca.article_id "
            "WHERE ca.call_id = ? AND ca.solved = 1 ORDER BY ca.linked_at, a.id",
            [call_id],
        )
    ]


def desk_group_id(db: Database) -> int | None:
    """The Service Desk's group: the first tier-1 group (the procedure's first tier)."""
    row = db.execute("SELECT id FROM support_groups WHERE tier = 1 ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else None


def active_desk_person(db: Database, user_id: int | None) -> int | None:
    """`user_id` when that account is active and works at the desk (desk or admin), else None."""
    if user_id is None:
        return None
    row = db.execute("SELECT roles, active FROM users WHERE id = ?", [user_id]).fetchone()
    if row is None or not row["active"]:
        return None
    roles = set((row["roles"] or "").split(","))
    return user_id if roles & {"desk", "admin"} else None


def group_leader(db: Database, group_id: int | None) -> int | None:
    row = db.execute(
        "SELECT team_leader_id FROM support_groups WHERE id = ?", [group_id]
    ).fetchone()
    return row[0] if row else None


def receipt_sent(db: Database, call_id: int) -> dict[str, Any] | None:
    """The "logged" message queued for the caller, if one was (the receipt by email)."""
    row = db.execute(
        "SELECT id, to_addr, created_at, status FROM outbox WHERE call_id = ? AND kind = 'logged' "
        "ORDER BY id LIMIT 1",
        [call_id],
    ).fetchone()
    return dict(row) if row else None


def overdue_followups(db: Database, today: date) -> dict[int, list[date]]:
    """Open follow-ups dated before today, by call id."""
    if "followups" not in db.table_names():
        return {}
    found: dict[int, list[date]] = {}
    for call_id, due_on in db.execute(
        "SELECT call_id, due_on FROM followups WHERE done_at IS NULL AND due_on < ?",
        [today.isoformat()],
    ):
        found.setdefault(call_id, []).append(date.fromisoformat(due_on))
    return found


def exception_candidates(
    db: Database, call_ids: list[int], extra: list[tuple[str, list[Any]]]
) -> list[dict[str, Any]]:
    """Open calls the person may see (`extra` from access.visibility) that are past the desk
    check with no owner, or whose id is in `call_ids` (an overdue follow-up)."""
    marks = ",".join("?" for _ in call_ids) or "NULL"
    where = [
        "calls.voided = 0",
        OPEN_SQL,
        f"((calls.desk_checked_at IS NOT NULL AND calls.assignee_id IS NULL) "
        f"OR calls.id IN ({marks}))",
    ]
    args: list[Any] = list(call_ids)
    for sql, extra_args in extra:
        where.append(f"({sql})")
        args.extend(extra_args)
    rows = db.execute(
        CALL_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY calls.logged_at, calls.id",
        args,
    ).fetchall()
    return [dict(r) for r in rows]
