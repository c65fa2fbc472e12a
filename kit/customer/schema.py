"""The customer links table. Append a new `@migrations()` function for every change."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-customer")


@migrations()
def m001_customer_links(db: Database) -> None:
    # Only the SHA-256 of a link's token is kept: a copy of the database opens no call.
    db["customer_links"].create(
        {"id": int, "call_id": int, "token_hash": str, "created_at": str, "revoked_at": str},
        pk="id",
        not_null={"call_id", "token_hash", "created_at"},
        foreign_keys=[("call_id", "calls", "id")],
    )
    db["customer_links"].create_index(["token_hash"], unique=True)
    db["customer_links"].create_index(["call_id"])
