"""Rooms used for exams: their calls go to the top on exam days.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-priority")


@migrations()
def m001_exam_rooms(db: Database) -> None:
    db["locations"].add_column("exam_room", int, not_null_default=0)
