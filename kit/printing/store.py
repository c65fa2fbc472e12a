"""The SQL for printing: edited diagnostic checks, and the calls a batch prints."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls import history_store, log_store
from kit.db import stamp
from kit.printing import forms
from kit.rules.procedure import INFORMED_HOW

BATCH_LIMIT = 60


def edited_checks(db: Database) -> dict[int, list[str]]:
    """Checks a coordinator saved, by category id (categories without a row use the TOML)."""
    return {
        row["category_id"]: forms.parse_checks(row["checks"])
        for row in db["diagnostic_checks"].rows
    }


def checks_for(db: Database, category_id: int, category_name: str) -> list[str]:
    """The checks printed on a diagnostics sheet for this category."""
    row = next(db["diagnostic_checks"].rows_where("category_id = ?", [category_id]), None)
    if row is not None:
        return forms.parse_checks(row["checks"])
    return list(forms.default_check_set(category_name)["checks"])


def save_checks(
    db: Database, category_id: int, checks: list[str], *, user_id: int, at: str
) -> None:
    """Keep edited checks; the defaults again (or nothing) removes the edit."""
    default = forms.default_check_set(_category_name(db, category_id))["checks"]
    if not checks or checks == list(default):
        db["diagnostic_checks"].delete_where("category_id = ?", [category_id])
        return
    db["diagnostic_checks"].upsert(
        {
            "category_id": category_id,
            "checks": "\n".join(checks),
            "updated_at": at,
            "updated_by": user_id,
        },
        pk="category_id",
    )


def _category_name(db: Database, category_id: int) -> str:
    return db["categories"].get(category_id)["name"]


def notes(db: Database, call_id: int) -> list[dict[str, Any]]:
    """The call's notes so far, oldest first (history entries of kind "note")."""
    return [e for e in history_store.history(db, call_id) if e["kind"] == "note" and e["text"]]


def batch(db: Database, f: log_store.CallFilter) -> tuple[list[dict[str, Any]], int]:
    """Calls for a batch of job sheets in queue order, at most BATCH_LIMIT of them."""
    return log_store.search_calls(db, f, sort="queue", page_size=BATCH_LIMIT)


# --- the caller's answers --------------------------------------------------------------


def answers(db: Database, call_id: int) -> dict[str, str]:
    """The caller's answers to the sheet's questions, by question name."""
    return {
        r["name"]: r["value"]
        for r in db["call_answers"].rows_where("call_id = ?", [call_id], select="name, value")
    }


# --- what was done, and who was told ---------------------------------------------------


def actions(db: Database, call_id: int) -> list[dict[str, Any]]:
    """Actions taken on the call, oldest first: the diagnostics sheet's actions, and every
    time entry not already one of them (its note is the action)."""
    done = [
        dict(r)
        for r in db.execute(
            "SELECT a.done_on AS day, a.action, a.result, a.minutes, a.time_entry_id, "
            "u.name AS user_name, a.created_at FROM diagnostic_actions a "
            "LEFT JOIN users u ON u.id = a.user_id WHERE a.call_id = ?",
            [call_id],
        ).fetchall()
    ]
    linked = {a["time_entry_id"] for a in done if a["time_entry_id"]}
    for entry in db.execute(
        "SELECT t.id, t.worked_on, t.minutes, t.note, t.created_at, u.name AS user_name "
        "FROM time_entries t LEFT JOIN users u ON u.id = t.user_id WHERE t.call_id = ?",
        [call_id],
    ).fetchall():
        if entry["id"] not in linked:
            done.append(
                {
                    "day": entry["worked_on"],
                    "action": entry["note"] or "Time taken",
                    "result": "",
                    "minutes": entry["minutes"],
                    "user_name": entry["user_name"],
                    "created_at": entry["created_at"],
                }
            )
    return sorted(done, key=lambda a: (a["day"], a["created_at"]))


def user_told(db: Database, call_id: int) -> list[dict[str, str]]:
    """How and when the caller was told of the resolution: recorded by the desk
    ("user_informed" in the history), or the resolution message mailed to them."""
    told = [
        {"how": _told_how(r["text"], r["caller_email"]), "at": r["at"]}
        for r in db.execute(
            "SELECT e.at, e.text, c.caller_email FROM call_events e JOIN calls c ON c.id = "
            "e.call_id WHERE e.call_id = ? AND e.kind = 'user_informed' ORDER BY e.id",
            [call_id],
        ).fetchall()
    ]
    if told:
        return told
    return [
        {"how": f"Email to {r['to_addr']}", "at": r["sent_at"] or r["created_at"]}
        for r in db.execute(
            "SELECT to_addr, created_at, sent_at FROM outbox o JOIN calls c ON c.id = o.call_id "
            "WHERE o.call_id = ? AND o.kind = 'resolved' AND o.to_addr = c.caller_email "
            "ORDER BY o.id",
            [call_id],
        ).fetchall()
    ]


def _told_how(text: str, caller_email: str) -> str:
    """The desk's choice as paper says it: "Email to ann@...", not the form's label."""
    label = INFORMED_HOW["email"]
    if text.startswith(label) and caller_email:
        return f"Email to {caller_email}{text[len(label) :]}"
    return text


# --- filing ----------------------------------------------------------------------------


def filed_by_name(db: Database, call: dict[str, Any]) -> str:
    if not call.get("filed_by"):
        return ""
    row = db.execute("SELECT name FROM users WHERE id = ?", [call["filed_by"]]).fetchone()
    return row[0] if row else ""


# --- the diagnostics sheet filled on screen ----------------------------------------------


def diagnostic_record(db: Database, call_id: int) -> dict[str, Any]:
    """The diagnostics sheet's fields and check results as filled on screen ({} if never)."""
    row = db.execute(
        "SELECT r.*, u.name AS updated_by_name FROM diagnostic_records r "
        "LEFT JOIN users u ON u.id = r.updated_by WHERE r.call_id = ?",
        [call_id],
    ).fetchone()
    if row is None:
        return {"fields": {}, "checks": {}}
    return dict(row) | {"fields": json.loads(row["fields"]), "checks": json.loads(row["checks"])}


def save_diagnostic_record(
    db: Database,
    call_id: int,
    *,
    fields: dict[str, str],
    checks: dict[str, dict[str, Any]],
    user_id: int | None,
    at: datetime,
) -> None:
    db["diagnostic_records"].upsert(
        {
            "call_id": call_id,
            "fields": json.dumps(fields, sort_keys=True),
            "checks": json.dumps(checks, sort_keys=True),
            "updated_at": stamp(at),
            "updated_by": user_id,
        },
        pk="call_id",
    )


def add_diagnostic_action(
    db: Database,
    call_id: int,
    *,
    day: str,
    action: str,
    result: str,
    minutes: int,
    time_entry_id: int | None,
    user_id: int | None,
    at: str,
) -> int:
    row = {
        "call_id": call_id,
        "done_on": day,
        "action": action,
        "result": result,
        "minutes": minutes,
        "time_entry_id": time_entry_id,
        "user_id": user_id,
        "created_at": at,
    }
    return db["diagnostic_actions"].insert(row).last_pk
