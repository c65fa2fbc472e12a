"""The reports area's tables: the runs of the past-call import.

A large import is written in short batches so the desk can log calls meanwhile; each run
records its calls, so a run that fails or dies between batches can be undone (its calls
voided, as the kit never deletes a call) and the school sees all its rows or none.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-reports")


@migrations()
def m001_call_import_runs(db: Database) -> None:
    db["call_import_runs"].create(
        {
            "id": int,
            "user_id": int,
            "started_at": str,
            "heartbeat_at": str,
            "state": str,  # running, done, abandoned
            "rows_done": int,
        },
        pk="id",
        not_null={"started_at", "heartbeat_at", "state"},
        defaults={"rows_done": 0},
    )
    db["call_import_calls"].create(
        {"run_id": int, "call_id": int},
        pk=("run_id", "call_id"),
        foreign_keys=[("run_id", "call_import_runs", "id"), ("call_id", "calls", "id")],
    )
