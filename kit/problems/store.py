"""The SQL for problems: the records, the calls linked to them, the known errors the
knowledge base shows, and problems by number of linked calls (for the index and reports).

Every count and list of calls takes `extra`, the visibility clauses of `kit.calls.access`,
so a technician never sees a trace of calls not routed to them, not even in a count.
Linking and unlinking are written to the call's history.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls import log_store
from kit.calls import store as calls
from kit.calls.workflow_base import WorkflowError
from kit.db import stamp, write_lock

STATUSES = ("open", "known error", "resolved")
EDITABLE = ("title", "cause", "workaround", "permanent_fix", "status", "owner_id")
Extra = list[tuple[str, list[Any]]]


def _visible(extra: Extra) -> tuple[str, list[Any]]:
    """SQL limiting `pc.call_id` to calls the person may see (and not voided)."""
    clauses = ["calls.voided = 0", *(f"({sql})" for sql, _a in extra)]
    args = [a for _sql, extra_args in extra for a in extra_args]
    return f"pc.call_id IN (SELECT calls.id FROM calls WHERE {' AND '.join(clauses)})", args


def create(
    db: Database,
    *,
    title: str,
    cause: str = "",
    workaround: str = "",
    owner_id: int | None = None,
    at: datetime,
) -> int:
    title = (title or "").strip()
    if not title:
        raise WorkflowError("Give the problem a title.", field="title")
    return (
        db["problems"]
        .insert(
            {
                "title": title,
                "cause": cause.strip(),
                "workaround": workaround.strip(),
                "permanent_fix": "",
                "status": "open",
                "owner_id": owner_id,
                "created_at": stamp(at),
                "updated_at": stamp(at),
            }
        )
        .last_pk
    )


def update(db: Database, problem_id: int, values: dict[str, Any], *, at: datetime) -> None:
    """Change a problem's fields (only those a person edits); the title stays required."""
    values = {
        k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in EDITABLE
    }
    if "title" in values and not values["title"]:
        raise WorkflowError("Give the problem a title.", field="title")
    if values.get("status", "open") not in STATUSES:
        raise WorkflowError("Choose open, known error or resolved.", field="status")
    db["problems"].update(problem_id, {**values, "updated_at": stamp(at)})


def get(db: Database, problem_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT p.*, u.name AS owner FROM problems p LEFT JOIN users u "
        "ON u.id = p.owner_id WHERE p.id = ?",
        [problem_id],
    ).fetchone()
    return dict(row) if row else None


def by_linked_calls(
    db: Database,
    extra: Extra = (),
    *,
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Problems with how many calls are linked to them (and how many still open), most first.

    `date_from`/`date_to` (ISO dates, inclusive) count only calls logged in that range, for
    a report's period; `status` keeps one status only.
    """
    where, args = _visible(extra)
    if date_from:
        where += " AND pc.call_id IN (SELECT id FROM calls WHERE logged_at >= ?)"
        args.append(date_from)
    if date_to:
        where += " AND pc.call_id IN (SELECT id FROM calls WHERE logged_at < date(?, '+1 day'))"
        args.append(date_to)
    status_sql = "WHERE p.status = ?" if status else ""
    sql = f"""SELECT p.*, u.name AS owner, COUNT(c.id) AS calls,
                     COALESCE(SUM(c.status NOT IN ('Resolved', 'Closed')), 0) AS open_calls
              FROM problems p LEFT JOIN users u ON u.id = p.owner_id
              LEFT JOIN problem_calls pc ON pc.problem_id = p.id AND {where}
              LEFT JOIN calls c ON c.id = pc.call_id
              {status_sql}
              GROUP BY p.id ORDER BY calls DESC, p.updated_at DESC LIMIT ?"""
    return [dict(r) for r in db.execute(sql, [*args, *([status] if status else []), limit])]


def linked_calls(db: Database, problem_id: int, extra: Extra = ()) -> list[dict[str, Any]]:
    """The calls linked to a problem that the person may see, open ones first."""
    f = log_store.CallFilter(
        extra=[
            ("calls.id IN (SELECT call_id FROM problem_calls WHERE problem_id = ?)", [problem_id]),
            *extra,
        ]
    )
    found, _total = log_store.search_calls(db, f, sort="queue", page_size=1000)
    return sorted(found, key=lambda c: c["status"] in ("Resolved", "Closed"))


def problem_for_call(db: Database, call_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT p.*, u.name AS owner FROM problem_calls pc JOIN problems p ON "
        "p.id = pc.problem_id LEFT JOIN users u ON u.id = p.owner_id "
        "WHERE pc.call_id = ?",
        [call_id],
    ).fetchone()
    return dict(row) if row else None


def choices(db: Database) -> list[dict[str, Any]]:
    """Problems a call may be linked to: the ones not yet resolved, newest first."""
    return list(db["problems"].rows_where("status != 'resolved'", order_by="id DESC"))


def link(db: Database, problem_id: int, call_id: int, *, user_id: int | None, at: datetime) -> None:
    """Link a call to a problem; a call already linked to another one is refused."""
    with write_lock(db):
        problem = get(db, problem_id)
        if problem is None:
            raise WorkflowError("Choose a problem.", field="problem_id")
        current = problem_for_call(db, call_id)
        if current is not None:
            raise WorkflowError(
                f"The call is already linked to problem {current['id']} "
                f"“{current['title']}”: unlink it first.",
                field="problem_id",
            )
        db["problem_calls"].insert(
            {
                "problem_id": problem_id,
                "call_id": call_id,
                "linked_by": user_id,
                "linked_at": stamp(at),
            }
        )
        calls.add_event(
            db,
            call_id,
            user_id=user_id,
            at=at,
            kind="problem",
            text=f"Linked to problem {problem_id}: {problem['title']}",
        )


def unlink(db: Database, call_id: int, *, user_id: int | None, at: datetime) -> bool:
    with write_lock(db):
        current = problem_for_call(db, call_id)
        if current is None:
            return False
        db["problem_calls"].delete_where("call_id = ?", [call_id])
        calls.add_event(
            db,
            call_id,
            user_id=user_id,
            at=at,
            kind="problem",
            text=f"Unlinked from problem {current['id']}: {current['title']}",
        )
    return True


def known_errors(db: Database, text: str = "", limit: int = 5) -> list[dict[str, Any]]:
    """Problems with status "known error" whose words match the search (all, newest first,
    without words): the knowledge base shows them beside its articles."""
    words = re.findall(r"\w{3,}", (text or "").lower())[:8]
    where, args = "status = 'known error'", []
    if words:
        where += (
            " AND ("
            + " OR ".join("lower(title || ' ' || cause || ' ' || workaround) LIKE ?" for _ in words)
            + ")"
        )
        args = [f"%{w}%" for w in words]
    return list(db["problems"].rows_where(where, args, order_by="updated_at DESC", limit=limit))
