"""The printing area's tables: per-category diagnostic checks a coordinator has edited.

A category with no row here uses the defaults in `forms/diagnostics.toml`. Append a new
`@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-printing")


@migrations()
def m001_diagnostic_checks(db: Database) -> None:
    db["diagnostic_checks"].create(
        {"category_id": int, "checks": str, "updated_at": str, "updated_by": int},
        pk="category_id",
        not_null={"checks"},
        foreign_keys=[("category_id", "categories", "id"), ("updated_by", "users", "id")],
        defaults={"checks": ""},
    )
