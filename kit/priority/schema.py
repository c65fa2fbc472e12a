"""Rooms used for exams: their calls go to the top on exam days.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-priority")


@migrations()
def m001_exam_rooms(db: Database) -> None:
    db["locations"].add_column("exam_room", int, not_null_default=0)


@migrations()
def m002_call_priority(db: Database) -> None:
    """The impact, urgency and safeguarding flag the desk last chose for a call, so the
    raise form starts from them."""
    db["call_priority"].create(
        {
            "call_id": int,
            "impact": str,
            "urgency": str,
            "safeguarding": int,
            "set_by": int,
            "set_at": str,
        },
        pk="call_id",
        foreign_keys=[("call_id", "calls", "id"), ("set_by", "users", "id")],
        not_null={"impact", "urgency", "safeguarding", "set_at"},
    )
