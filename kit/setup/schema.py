"""The set-up area's table: the record of who changed which setting, and when.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-setup")


@migrations()
def m001_settings_log(db: Database) -> None:
    db["settings_log"].create(
        {
            "id": int,
            "key": str,
            "old": str,  # JSON, as the settings table stores values
            "new": str,
            "changed_by": int,  # None: the kit command or the demo school
            "changed_at": str,
        },
        pk="id",
        not_null={"key", "new", "changed_at"},
        foreign_keys=[("changed_by", "users", "id")],
    )
    db["settings_log"].create_index(["key"])
