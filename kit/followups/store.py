"""The SQL for follow-up dates: each open call may have any number, each saying why.

Setting and completing a follow-up are written to the call's history too, so the call's
record shows when the desk meant to chase it and when it did.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit import settings
from kit.calls import notify
from kit.calls import store as calls
from kit.calls.workflow_base import WorkflowError
from kit.db import stamp, write_lock
from kit.mail import outbox
from kit.rules import lifecycle as lc
from kit.rules.clock import WorkingCalendar

MAX_COMMENT = 1000
DUE_SELECT = f"""
SELECT f.id AS followup_id, f.due_on, f.comment, f.created_at AS followup_created_at,
       fu.name AS followup_by, sub.*
FROM followups f
LEFT JOIN users fu ON fu.id = f.created_by
JOIN ({calls.CALL_SELECT}) sub ON sub.id = f.call_id
"""


def add(
    db: Database, call_id: int, *, due_on: date, comment: str, user_id: int | None, at: datetime
) -> int:
    """Set a follow-up date on an open call; refuses a past date or a missing reason."""
    comment = (comment or "").strip()[:MAX_COMMENT]
    if not comment:
        raise WorkflowError("Say why the call needs following up.", field="comment")
    if due_on < at.date():
        raise WorkflowError("A follow-up date cannot be in the past.", field="due_on")
    with write_lock(db):  # the status is read, then written after
        call = db["calls"].get(call_id)
        if call["voided"] or not lc.is_open(call["status"]):
            raise WorkflowError(
                f"Call {call['ref']} is {call['status']}: follow-ups are for open calls."
            )
        followup_id = (
            db["followups"]
            .insert(
                {
                    "call_id": call_id,
                    "due_on": due_on.isoformat(),
                    "comment": comment,
                    "created_by": user_id,
                    "created_at": stamp(at),
                }
            )
            .last_pk
        )
        calls.add_event(
            db,
            call_id,
            user_id=user_id,
            at=at,
            kind="followup",
            text=f"Follow up on {due_on:%A %d %B %Y}: {comment}",
        )
    return followup_id


def get(db: Database, followup_id: int) -> dict[str, Any] | None:
    return next(db["followups"].rows_where("id = ?", [followup_id]), None)


def mark_done(db: Database, followup_id: int, *, user_id: int | None, at: datetime) -> bool:
    """Record that the follow-up was done; False when it already was."""
    with db.atomic():
        changed = db.execute(
            "UPDATE followups SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL",
            [stamp(at), user_id, followup_id],
        ).rowcount
        if not changed:
            return False
        row = get(db, followup_id)
        calls.add_event(
            db,
            row["call_id"],
            user_id=user_id,
            at=at,
            kind="followup_done",
            text=f"Followed up (was due {row['due_on']}): {row['comment']}",
        )
    return True


def for_call(db: Database, call_id: int) -> list[dict[str, Any]]:
    """A call's follow-ups, still to do first, each in date order."""
    return [
        dict(r)
        for r in db.execute(
            "SELECT f.*, u.name AS created_by_name, d.name AS done_by_name FROM followups f "
            "LEFT JOIN users u ON u.id = f.created_by LEFT JOIN users d ON d.id = f.done_by "
            "WHERE f.call_id = ? ORDER BY f.done_at IS NOT NULL, f.due_on, f.id",
            [call_id],
        )
    ]


def due(
    db: Database, today: date, extra: list[tuple[str, list[Any]]] = (), limit: int = 50
) -> list[dict[str, Any]]:
    """Follow-ups due today or earlier and not done, on open calls the person may see
    (`extra` from `kit.calls.access.visibility`), oldest date first."""
    clauses = [
        "f.done_at IS NULL",
        "f.due_on <= ?",
        "sub.voided = 0",
        "sub.status NOT IN ('Resolved', 'Closed')",
    ]
    args: list[Any] = [today.isoformat()]
    for sql, extra_args in extra:  # the clauses name `calls.`: the sub-select keeps that name
        clauses.append(f"f.call_id IN (SELECT calls.id FROM calls WHERE {sql})")
        args.extend(extra_args)
    rows = db.execute(
        f"{DUE_SELECT} WHERE {' AND '.join(clauses)} "
        "ORDER BY f.due_on, sub.type_rank, sub.respond_by LIMIT ?",
        [*args, limit],
    ).fetchall()
    return [dict(r) for r in rows]


def _recipients(db: Database, row: dict[str, Any]) -> list[str]:
    """The call's owner; while no one owns it, the desk (the desk owns every call)."""
    if row["assignee_id"]:
        email = db.execute("SELECT email FROM users WHERE id = ?", [row["assignee_id"]]).fetchone()
        if email and email[0]:
            return [email[0]]
    return [settings.get(db, "desk_email") or ""]


def queue_reminders(db: Database, at: datetime, cal: WorkingCalendar) -> list[int]:
    """The daily job's step: one reminder per follow-up due (or overdue) per working day.

    Dedupe key "followup:<id>:<date>", so running the job twice a day sends nothing twice.
    Returns the follow-ups reminded.
    """
    if not cal.is_working_day(at.date()):
        return []
    reminded = []
    for row in due(db, at.date(), limit=100_000):
        context = {
            "call": row,
            "due_on": row["due_on"],
            "text": row["comment"],
            "link": notify.staff_link(row["id"]),
            "location": notify.location_label(row),
        }
        try:
            queued = outbox.queue(
                db,
                "followup_reminder",
                to=_recipients(db, row),
                context=context,
                at=at,
                call_id=row["id"],
                dedupe_key=f"followup:{row['followup_id']}:{at.date()}",
            )
        except sqlite3.IntegrityError:  # another run queued it a moment ago
            queued = None
        if queued is not None:
            reminded.append(row["followup_id"])
    return reminded
