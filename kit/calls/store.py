"""The SQL for calls and their append-only history.

Every change to a call goes through `log_call` or `update_call`, which write the history
event in the same transaction: nothing about a call is overwritten without trace. Finding
calls for the call log (its filter, sorts and pages) is `kit.calls.log_store`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.db import insert, stamp, write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc
from kit.rules.categories import due_times, implied_by
from kit.rules.clock import WorkingCalendar
from kit.rules.refs import format_ref, normalise_ref

# The joins that name what a call points at: category, group, level, owner, logger, room, asset.
CALL_FROM = """
FROM calls
JOIN categories c ON c.id = calls.category_id
JOIN support_groups g ON g.id = calls.group_id
LEFT JOIN response_levels rl ON rl.id = calls.response_level_id
LEFT JOIN users a ON a.id = calls.assignee_id
LEFT JOIN users lb ON lb.id = calls.logged_by
LEFT JOIN locations l ON l.id = calls.location_id
LEFT JOIN equipment e ON e.id = calls.equipment_id
"""

CALL_SELECT = (
    """
SELECT calls.*, c.name AS category, g.name AS group_name, g.tier AS group_tier,
       rl.name AS level_name, a.name AS assignee, lb.name AS logged_by_name,
       l.site, l.building, l.room, l.teaching_space,
       e.asset_tag, e.type AS equipment_type, e.make, e.model, e.serial,
       caller.department AS caller_department"""
    + CALL_FROM
    + """LEFT JOIN people caller ON caller.id = calls.caller_id
"""
)

# Written as IN, not NOT IN, so SQLite can find the few open calls through the status
# index instead of reading every call ever logged.
OPEN_SQL = "calls.status IN ({})".format(
    ", ".join(f"'{status}'" for status in sorted(lc.OPEN_STATUSES))
)

FINISHED_SQL = "calls.status IN ({})".format(
    ", ".join(f"'{status}'" for status in sorted(lc.CLOSED_STATUSES))
)

# Other areas act on a newly logged call (once, never for a repeated submission):
# functions (db, call_id, *, at, cal). Priority in school terms raises exam-day calls.
AFTER_LOGGING: list = []


@dataclass
class NewCall:
    """What the desk types when logging a call (ids already checked by the form)."""

    caller_name: str
    channel: str
    category_id: int
    summary: str
    details: str = ""
    caller_id: int | None = None
    caller_email: str = ""
    caller_phone: str = ""
    location_id: int | None = None
    equipment_id: int | None = None
    occurred_at: str | None = None
    submission_key: str | None = None
    # The caller's answers to the sheet's questions, by name (kit.printing.questions).
    answers: dict[str, str] = field(default_factory=dict)
    # The desk ticked "details understood" while logging: the call is checked, and the
    # person logging it owns it until it is passed on (the desk owns every call).
    desk_checked: bool = False


def next_sequence(db: Database, year: int) -> int:
    row = db.execute(
        "SELECT COALESCE(MAX(ref_seq), 0) + 1 FROM calls WHERE ref_year = ?", [year]
    ).fetchone()
    return row[0]


def call_for_submission(db: Database, submission_key: str | None) -> int | None:
    """The call a log-a-call form with this one-time key already logged, if any."""
    if not submission_key:
        return None
    row = db.execute("SELECT id FROM calls WHERE submission_key = ?", [submission_key]).fetchone()
    return row[0] if row else None


def log_call(
    db: Database, new: NewCall, *, user_id: int | None, at: datetime, cal: WorkingCalendar
) -> int:
    """Log a call and return its id. A repeated submission key returns the first call."""
    return log_call_once(db, new, user_id=user_id, at=at, cal=cal)[0]


def log_call_once(
    db: Database, new: NewCall, *, user_id: int | None, at: datetime, cal: WorkingCalendar
) -> tuple[int, str, bool]:
    """`log_call`: the call's id and reference, and whether the submission key had logged
    it before (checked inside the write lock, so two tries at once cannot both be first)."""
    with write_lock(db):
        if new.submission_key:
            seen = db.execute(
                "SELECT id, ref FROM calls WHERE submission_key = ?", [new.submission_key]
            ).fetchone()
            if seen:
                return seen[0], seen[1], True
        category = directory.get_category(db, new.category_id)
        level = directory.get_response_level(db, category["response_level_id"])
        imp = implied_by(category, level)
        respond_by, resolve_by = due_times(cal, at, imp)
        seq = next_sequence(db, at.year)
        row = {
            "ref": format_ref(at.year, seq),
            "ref_year": at.year,
            "ref_seq": seq,
            "submission_key": new.submission_key,
            "logged_at": stamp(at),
            "logged_by": user_id,
            "channel": new.channel,
            "caller_id": new.caller_id,
            "caller_name": new.caller_name,
            "caller_email": new.caller_email,
            "caller_phone": new.caller_phone,
            "location_id": new.location_id,
            "equipment_id": new.equipment_id,
            "category_id": new.category_id,
            "call_type": imp.call_type,
            "type_rank": imp.type_rank,
            "group_id": imp.group_id,
            "response_level_id": imp.response_level_id,
            "status": "Logged",
            "summary": new.summary,
            "details": new.details,
            "occurred_at": new.occurred_at,
            "respond_by": stamp(respond_by),
            "resolve_by": stamp(resolve_by),
        }
        if new.desk_checked and user_id is not None:
            row |= {
                "desk_checked_at": stamp(at),
                "desk_checked_by": user_id,
                "assignee_id": user_id,
            }
        call_id = insert(db, "calls", row)
        logged = {
            k: [None, v] for k, v in row.items() if v not in (None, "") and k in LOGGED_FIELDS
        }
        add_event(db, call_id, user_id=user_id, at=at, kind="logged", changes=logged)
        if new.answers:
            db.conn.executemany(
                "INSERT INTO call_answers (call_id, name, value) VALUES (?, ?, ?)",
                [(call_id, name, value) for name, value in new.answers.items()],
            )
    for hook in AFTER_LOGGING:  # after the lock: a hook changes the call with update_call
        hook(db, call_id, at=at, cal=cal)
    return call_id, row["ref"], False


LOGGED_FIELDS = (
    "channel",
    "caller_name",
    "location_id",
    "equipment_id",
    "category_id",
    "call_type",
    "group_id",
    "response_level_id",
    "status",
    "summary",
    "details",
    "desk_checked_at",
    "assignee_id",
)


def add_event(
    db: Database,
    call_id: int,
    *,
    user_id: int | None,
    at: datetime,
    kind: str,
    changes: dict[str, list[Any]] | None = None,
    text: str = "",
    customer_visible: bool = False,
    submission_key: str | None = None,
) -> int:
    """Append one entry to a call's history (the table refuses updates and deletes).

    `customer_visible` marks text the customer may read on their status page;
    `submission_key` is the form's one-time key (see `event_for_submission`).
    """
    row = {
        "call_id": call_id,
        "at": stamp(at),
        "user_id": user_id,
        "kind": kind,
        "changes": json.dumps(changes or {}),
        "text": text,
    }
    if customer_visible:
        row["customer_visible"] = 1
    if submission_key:
        row["submission_key"] = submission_key
    return insert(db, "call_events", row)  # plain SQL: the kit's busiest write


def add_events(
    db: Database,
    events: list[tuple[int, str, str]],
    *,
    user_id: int | None,
    at: datetime,
    kind: str,
) -> None:
    """Append one entry of `kind` to each call's history in one statement: (call id,
    changes already as JSON, text) each. For a job writing many calls at once (an import)."""
    when = stamp(at)
    db.conn.executemany(
        "INSERT INTO call_events (call_id, at, user_id, kind, changes, text) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(call_id, when, user_id, kind, changes, text) for call_id, changes, text in events],
    )


def refs_for_submissions(db: Database, keys: list[str]) -> dict[str, str]:
    """The reference of each call already logged with one of these one-time keys."""
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):  # well under SQLite's limit of bound values
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT submission_key, ref FROM calls WHERE submission_key IN ({marks})"
        found.update((key, ref) for key, ref in db.execute(sql, chunk))
    return found


def event_for_submission(db: Database, submission_key: str | None) -> int | None:
    """The history entry a form with this one-time key already made, if any: a browser
    retrying after a lost answer must not add the same note or time twice."""
    if not submission_key:
        return None
    row = db.execute(
        "SELECT id FROM call_events WHERE submission_key = ?", [submission_key]
    ).fetchone()
    return row[0] if row else None


def update_call(
    db: Database,
    call_id: int,
    values: dict[str, Any],
    *,
    user_id: int | None,
    at: datetime,
    kind: str = "changed",
    text: str = "",
    customer_visible: bool = False,
    submission_key: str | None = None,
) -> dict[str, list[Any]]:
    """Change fields of a call and record old and new values in its history.

    Returns the changes made. Callers that check the current state first (status
    transitions) wrap this and their check in `write_lock`.
    """
    with db.atomic():
        current = db["calls"].get(call_id)
        changes = {k: [current[k], v] for k, v in values.items() if current[k] != v}
        if changes:
            db["calls"].update(call_id, {k: new for k, (_old, new) in changes.items()})
        if changes or text:
            add_event(
                db,
                call_id,
                user_id=user_id,
                at=at,
                kind=kind,
                changes=changes,
                text=text,
                customer_visible=customer_visible,
                submission_key=submission_key,
            )
    return changes


def get_call(db: Database, call_id: int) -> dict[str, Any] | None:
    row = db.execute(CALL_SELECT + " WHERE calls.id = ?", [call_id]).fetchone()
    return dict(row) if row else None


def get_call_by_ref(db: Database, ref: str) -> dict[str, Any] | None:
    normal = normalise_ref(ref)
    if normal is None:
        return None
    row = db.execute("SELECT id FROM calls WHERE ref = ?", [normal]).fetchone()
    return get_call(db, row[0]) if row else None


def open_calls_in_location(db: Database, location_id: int) -> list[dict[str, Any]]:
    """Open calls for a room: shown before logging a duplicate about the same room."""
    rows = db.execute(
        CALL_SELECT + f" WHERE calls.location_id = ? AND {OPEN_SQL} AND calls.voided = 0 "
        "ORDER BY calls.logged_at",
        [location_id],
    ).fetchall()
    return [dict(r) for r in rows]


def recent_calls_for_equipment(db: Database, equipment_id: int, limit: int = 5) -> list[dict]:
    rows = db.execute(
        CALL_SELECT + " WHERE calls.equipment_id = ? ORDER BY calls.logged_at DESC LIMIT ?",
        [equipment_id, limit],
    ).fetchall()
    return [dict(r) for r in rows]
