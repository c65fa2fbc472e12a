"""The printing area's tables: per-category diagnostic checks a coordinator has edited, the
caller's answers to the sheet's questions, the diagnostics sheet filled on screen, filing.

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


@migrations()
def m002_answers_diagnostics_and_filing(db: Database) -> None:
    """Paper and screen as one record.

    `call_answers`: the caller's answers to the incident/request sheet's questions, one row
    each, so every answer prints once in its own box. `diagnostic_records`: the diagnostics
    sheet filled on screen (its fields and check results, as JSON). `diagnostic_actions`:
    the sheet's action table; an action with minutes is also a time entry on the call.
    `calls.filed_at`/`filed_by`: when the desk put a closed call's paper in the file.
    """
    db["call_answers"].create(
        {"call_id": int, "name": str, "value": str},
        pk=("call_id", "name"),
        not_null={"value"},
        foreign_keys=[("call_id", "calls", "id")],
    )
    db["diagnostic_records"].create(
        {"call_id": int, "fields": str, "checks": str, "updated_at": str, "updated_by": int},
        pk="call_id",
        not_null={"fields", "checks"},
        defaults={"fields": "{}", "checks": "{}"},
        foreign_keys=[("call_id", "calls", "id"), ("updated_by", "users", "id")],
    )
    db["diagnostic_actions"].create(
        {
            "id": int,
            "call_id": int,
            "done_on": str,
            "action": str,
            "result": str,
            "minutes": int,
            "time_entry_id": int,  # the call's time entry for these minutes, if any
            "user_id": int,
            "created_at": str,
        },
        pk="id",
        not_null={"call_id", "done_on", "action", "created_at"},
        defaults={"result": "", "minutes": 0},
        foreign_keys=[("call_id", "calls", "id"), ("user_id", "users", "id")],
    )
    db["diagnostic_actions"].create_index(["call_id"])
    db["calls"].add_column("filed_at", str)
    db["calls"].add_column("filed_by", int)
