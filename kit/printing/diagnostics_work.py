"""The diagnostics sheet filled on screen: one workflow step, as `kit.calls.workflow` does it.

The sheet's fields and check results are kept beside the call (`diagnostic_records`); each
line of its action table becomes time taken on the call (a time entry and a "Time taken"
history entry), so the call's time, its history and both printed sheets agree. Checked
inside the write lock, by whoever may work the call (desk, routed technician, admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import store
from kit.calls.workflow_base import WorkflowError, load, require, uid
from kit.db import stamp, write_lock
from kit.printing import store as paper

MAX_MINUTES = 24 * 60


@dataclass
class Action:
    """One line of the action table: when, what was done, its result, minutes it took."""

    day: date
    action: str
    result: str
    minutes: int


def check_action(action: Action, *, logged_on: str, today: date) -> None:
    """Refuse a line the call's time taken could not hold (the same rules as time taken)."""
    if not 0 < action.minutes <= MAX_MINUTES:
        raise WorkflowError("Time taken is in whole minutes, from 1 to 1440.", field="minutes")
    if action.day > today:
        raise WorkflowError("An action cannot be dated in the future.", field="day")
    if action.day.isoformat() < logged_on:
        raise WorkflowError(
            f"The call was logged on {logged_on}: an action cannot be before then.", field="day"
        )


def save(
    db: Database,
    call_id: int,
    *,
    fields: dict[str, str],
    checks: dict[str, dict[str, Any]],
    actions: list[Action],
    user: User | None,
    at: datetime,
    submission_key: str | None = None,
) -> bool:
    """Keep the sheet's fields and checks and add its new actions; False if this form was
    already saved (a retried submission)."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if store.event_for_submission(db, submission_key):
            return False
        for action in actions:
            check_action(action, logged_on=call["logged_at"][:10], today=at.date())
        before = paper.diagnostic_record(db, call_id)
        key = submission_key
        if before["fields"] != fields or before["checks"] != checks:
            paper.save_diagnostic_record(
                db, call_id, fields=fields, checks=checks, user_id=uid(user), at=at
            )
            store.add_event(
                db,
                call_id,
                user_id=uid(user),
                at=at,
                kind="diagnostics",
                text=_changed_text(before, fields, checks),
                submission_key=key,
            )
            key = None
        for action in actions:
            _add_action(db, call_id, action, user=user, at=at, submission_key=key)
            key = None
    return True


def _changed_text(before: dict[str, Any], fields: dict[str, str], checks: dict) -> str:
    done = sum(1 for c in checks.values() if c.get("done"))
    changed = [
        k for k in set(before["fields"]) | set(fields) if before["fields"].get(k) != fields.get(k)
    ]
    parts = [f"{done} check{'' if done == 1 else 's'} done"]
    if changed:
        parts.append(f"{len(changed)} box{'' if len(changed) == 1 else 'es'} changed")
    if fields.get("findings"):
        parts.append(f"Findings: {fields['findings']}")
    return "Diagnostics sheet updated: " + "; ".join(parts) + "."


def _add_action(
    db: Database,
    call_id: int,
    action: Action,
    *,
    user: User | None,
    at: datetime,
    submission_key: str | None,
) -> None:
    note = f"{action.action}: {action.result}" if action.result else action.action
    entry = lstore.add_time_entry(
        db,
        call_id,
        user_id=uid(user),
        worked_on=action.day,
        minutes=action.minutes,
        note=note[:500],
        at=at,
    )
    paper.add_diagnostic_action(
        db,
        call_id,
        day=action.day.isoformat(),
        action=action.action,
        result=action.result,
        minutes=action.minutes,
        time_entry_id=entry,
        user_id=uid(user),
        at=stamp(at),
    )
    store.add_event(
        db,
        call_id,
        user_id=uid(user),
        at=at,
        kind="time",
        text=f"{action.minutes} minutes on {action.day:%d %b %Y}: {note}",
        submission_key=submission_key,
    )
