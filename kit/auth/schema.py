"""Sign-in tables: failed logins and the locks they cause. Append a migration per change."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-auth")


@migrations()
def m001_login_failures_and_locks(db: Database) -> None:
    # `key` is "account:<normalised user name>" or "address:<network address>".
    db["login_failures"].create({"id": int, "key": str, "at": str}, pk="id", not_null={"key", "at"})
    db["login_failures"].create_index(["key", "at"])
    db["login_locks"].create({"key": str, "locked_until": str}, pk="key", not_null={"locked_until"})
