"""Priority in school terms: raising a call's response level by impact and urgency, the
school's matrix, exam rooms, and the top level on inspection days and in exam periods.

The rules are `kit.rules.priority`; this module reads and writes what they need. A level
is only ever raised here, every change goes through `update_call` (the history says who
raised it and why) and the due times are then worked out again by the lifecycle's
`workflow.recompute_due`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import store as calls
from kit.calls import workflow as wf
from kit.db import stamp, write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc
from kit.rules import priority
from kit.rules.clock import WorkingCalendar

SPECIAL_DAY_WORDS = (
    "Inspection day or exam period: calls about teaching spaces and exam "
    "rooms get the top response level."
)


def matrix(db: Database) -> dict[str, dict[str, int]]:
    """The school's impact x urgency matrix (the kit's default until the admin edits it)."""
    saved = settings.get(db, "priority_matrix")
    if saved and not priority.validate_matrix(saved, ranks(db)):
        return saved
    return priority.DEFAULT_MATRIX


def ranks(db: Database) -> list[int]:
    return sorted({lv["rank"] for lv in directory.list_response_levels(db) if lv["rank"]})


def level_by_rank(db: Database, rank: int) -> dict[str, Any] | None:
    return next((lv for lv in directory.list_response_levels(db) if lv["rank"] == rank), None)


def save_matrix(
    db: Database, edited: dict[str, dict[str, int]], *, user_id: int, at: datetime
) -> list[str]:
    """Keep the edited matrix; returns the problems in words instead when it is not usable."""
    problems = priority.validate_matrix(edited, ranks(db))
    if not problems:
        settings.put(db, "priority_matrix", edited, user_id=user_id, at=stamp(at))
    return problems


def _set_level(
    db: Database,
    call: dict[str, Any],
    level: dict[str, Any],
    *,
    user: User | None,
    at: datetime,
    text: str,
) -> None:
    calls.update_call(
        db,
        call["id"],
        {"response_level_id": level["id"]},
        user_id=user.id if user else None,
        at=at,
        kind="priority",
        text=text,
    )


def current_values(db: Database, call: dict[str, Any]) -> dict[str, Any]:
    """Where the raise form starts for a call: the impact, urgency and safeguarding flag the
    desk last chose, else the mildest matrix cell that gives the call's current level."""
    saved = db.execute(
        "SELECT impact, urgency, safeguarding FROM call_priority WHERE call_id = ?", [call["id"]]
    ).fetchone()
    if saved:
        return {"impact": saved[0], "urgency": saved[1], "safeguarding": bool(saved[2])}
    level = (
        directory.get_response_level(db, call["response_level_id"])
        if call.get("response_level_id")
        else None
    )
    impact, urgency = priority.starting_values(matrix(db), level["rank"] if level else None)
    return {"impact": impact, "urgency": urgency, "safeguarding": False}


def _remember(
    db: Database, call_id: int, impact: str, urgency: str, safeguarding: bool, user: User, at
) -> None:
    db["call_priority"].upsert(
        {
            "call_id": call_id,
            "impact": impact,
            "urgency": urgency,
            "safeguarding": int(safeguarding),
            "set_by": user.id,
            "set_at": stamp(at),
        },
        pk="call_id",
    )


def raise_level(
    db: Database,
    call_id: int,
    *,
    impact: str,
    urgency: str,
    reason: str,
    user: User,
    at: datetime,
    cal: WorkingCalendar,
    safeguarding: bool = False,
) -> str:
    """Raise the call's response level to what impact and urgency give (the top level for a
    safeguarding concern, whatever the matrix says), with the reason; returns the new
    level's name. Refuses (WorkflowError) when that would not raise it."""
    reason = wf.required_text(reason, "Say why the level is raised.", "reason")
    try:
        wanted = priority.matrix_rank(matrix(db), impact, urgency)
    except ValueError:
        raise wf.WorkflowError("Choose the impact and the urgency.", field="impact") from None
    wanted = priority.override_rank(wanted, safeguarding=safeguarding, top_rank=ranks(db)[0])
    with write_lock(db):
        call = wf.load(db, call_id)
        wf.require(user, "call.assign", call)
        if not lc.is_open(call["status"]):
            raise wf.WorkflowError(
                f"Call {call['ref']} is {call['status']}: only an open call's level can be raised."
            )
        current = directory.get_response_level(db, call["response_level_id"])
        rank = priority.raised_rank(current["rank"], wanted)
        level = level_by_rank(db, rank)
        if rank == current["rank"] or level is None:
            raise wf.WorkflowError(
                f"The call is already at {current['name']}: “{impact}” and “{urgency}” would "
                "not raise it (the level is only ever raised here).",
                field="impact",
            )
        why = "Safeguarding concern: the top level. " if safeguarding else ""
        _set_level(
            db,
            call,
            level,
            user=user,
            at=at,
            text=f"{why}Impact: {impact}. Urgency: {urgency}. Why: {reason}",
        )
        _remember(db, call_id, impact, urgency, safeguarding, user, at)
    wf.recompute_due(db, call_id, cal, at)
    return level["name"]


def special_periods(db: Database) -> list[tuple[date, date]]:
    return [
        (date.fromisoformat(a), date.fromisoformat(b))
        for a, b in settings.get(db, "special_periods") or []
    ]


def apply_special_day(db: Database, call_id: int, *, at: datetime, cal: WorkingCalendar) -> bool:
    """Right after logging: on an inspection day or in an exam period, a call about a
    teaching space or an exam room gets the top level. Returns whether it was raised."""
    periods = special_periods(db)
    if not periods or not priority.special_day(at.date(), periods):
        return False
    call = calls.get_call(db, call_id)
    room = directory.get_location(db, call["location_id"]) if call["location_id"] else None
    current = directory.get_response_level(db, call["response_level_id"])
    top = ranks(db)[0]
    rank = priority.special_day_rank(
        current["rank"],
        teaching_space=bool(room and room["teaching_space"]),
        exam_room=bool(room and room["exam_room"]),
        today=at.date(),
        special_periods=periods,
        top_rank=top,
    )
    level = level_by_rank(db, rank)
    if rank >= current["rank"] or level is None:
        return False
    _set_level(db, call, level, user=None, at=at, text=SPECIAL_DAY_WORDS)
    wf.recompute_due(db, call_id, cal, at)
    return True


def exam_rooms(db: Database) -> list[dict[str, Any]]:
    """Every room with its exam flag, for the admin's page."""
    return [r | {"label": directory.location_label(r)} for r in directory.list_locations(db)]


def set_exam_rooms(db: Database, room_ids: set[int]) -> None:
    with db.atomic():
        db.execute("UPDATE locations SET exam_room = 0 WHERE exam_room != 0")
        for room_id in room_ids:
            db.execute("UPDATE locations SET exam_room = 1 WHERE id = ?", [room_id])
