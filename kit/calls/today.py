"""The desk's day: what needs doing now, for the first screen after logging in.

Four piles, each with how many calls are in it and the first few in queue order: new
calls to triage (still Logged), calls due or overdue (a response or resolution due
within the next working hour, or already past), calls With Customer to chase, and calls
whose third party has missed the date they gave. The piles are the procedure's daily
checks; a call may sit in more than one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls.log_store import SORTS
from kit.calls.store import CALL_SELECT, OPEN_SQL
from kit.db import stamp
from kit.rules.clock import WorkingCalendar, add_working_hours

SOON_HOURS = 1.0  # "due" means within the next working hour


@dataclass
class Pile:
    key: str
    title: str
    status: str  # the call log's status filter that lists the same calls (or "open")
    empty: str  # what to do next when there is nothing in it
    count: int = 0
    calls: list[dict[str, Any]] = field(default_factory=list)


def _pile_sql(key: str, now: datetime, cal: WorkingCalendar) -> tuple[str, list[Any]]:
    if key == "triage":
        return "calls.status = 'Logged'", []
    if key == "due":
        soon = stamp(add_working_hours(cal, now, SOON_HOURS))
        return (
            f"{OPEN_SQL} AND calls.status != 'With Customer' AND ("
            "(calls.responded_at IS NULL AND calls.respond_by <= ?) "
            "OR calls.resolve_by <= ?)",
            [soon, soon],
        )
    if key == "chase":
        return "calls.status = 'With Customer'", []
    return (
        f"{OPEN_SQL} AND calls.id IN (SELECT call_id FROM third_parties "
        "WHERE ended_at IS NULL AND expected_by IS NOT NULL AND expected_by < ?)",
        [stamp(now)],
    )


def _piles(db: Database) -> list[Pile]:
    piles = [
        Pile(
            "triage",
            "New calls to triage",
            "Logged",
            "No new calls are waiting. Calls logged on the phone or the web form appear "
            "here until they are assigned.",
        ),
        Pile("due", "Due or overdue", "open", "Nothing is due in the next working hour."),
        Pile(
            "chase",
            "With Customer: to chase",
            "With Customer",
            "No calls are waiting on a customer.",
        ),
    ]
    if db["third_parties"].exists():
        piles.append(
            Pile(
                "third_party",
                "Third parties overdue",
                "With 3rd Party",
                "No supplier or other group has missed the date they gave.",
            )
        )
    return piles


def todays_work(
    db: Database,
    *,
    now: datetime,
    cal: WorkingCalendar,
    extra: list[tuple[str, list[Any]]] = (),
    limit: int = 10,
) -> list[Pile]:
    """The desk's piles of work at `now`, each limited to `limit` calls in queue order.

    `extra` carries the visibility clauses of `kit.calls.access`, so a person only ever
    counts calls they may see.
    """
    piles = _piles(db)
    order = SORTS["queue"].format(d="ASC")
    for pile in piles:
        where, args = _pile_sql(pile.key, now, cal)
        clauses = ["calls.voided = 0", where, *(f"({sql})" for sql, _args in extra)]
        args = [*args, *(a for _sql, extra_args in extra for a in extra_args)]
        sql = " AND ".join(clauses)
        pile.count = db.execute(f"SELECT count(*) FROM calls WHERE {sql}", args).fetchone()[0]
        rows = db.execute(
            f"{CALL_SELECT} WHERE {sql} ORDER BY {order} LIMIT ?", [*args, limit]
        ).fetchall()
        pile.calls = [dict(r) for r in rows]
        if pile.key == "due":
            for call in pile.calls:
                _mark_due(call, stamp(now))
    return piles


def _mark_due(call: dict[str, Any], at: str) -> None:
    """Which deadline puts the call in the due pile, and whether it has passed.

    The call log's badge counts plain hours; here "due" means within the next working
    hour, so a call due at Monday's opening is "due soon" on Friday evening.
    """
    respond = call["respond_by"] if not call["responded_at"] else None
    deadlines = [
        (d, what) for d, what in ((respond, "respond"), (call["resolve_by"], "resolve")) if d
    ]
    call["due_at"], call["due_what"] = min(deadlines)
    call["due_state"] = "overdue" if call["due_at"] < at else "due soon"
