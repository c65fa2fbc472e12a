"""The directory area's own tables: the runs of a reference-data import.

A large import (a trust's staff list or asset register) is written in short batches so the
desk can keep working; each run records what it changed (the rows it added, and each row's
values before it was updated), so a run that fails or dies between batches is undone and
the school sees all its rows or none. Append a new function for every change.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-directory")


@migrations()
def m001_directory_import_runs(db: Database) -> None:
    db["directory_import_runs"].create(
        {
            "id": int,
            "kind": str,
            "heartbeat_at": float,  # seconds since the epoch, moved on by every batch
            "state": str,  # running, done, undone
        },
        pk="id",
        not_null={"kind", "heartbeat_at", "state"},
    )
    db["directory_import_undo"].create(
        {
            "id": int,
            "run_id": int,
            "row_id": int,  # in the kind's table
            "before": str,  # JSON of the row before the import updated it; NULL: it added it
            "members_before": str,  # JSON list of a support group's members, when set
        },
        pk="id",
        not_null={"run_id", "row_id"},
        foreign_keys=[("run_id", "directory_import_runs", "id")],
    )
    db["directory_import_undo"].create_index(["run_id", "id"])
