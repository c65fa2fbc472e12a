"""The rate limiter's counts (kit.ratelimits). Append a new `@migrations()` function for
every change."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-ratelimits")


@migrations()
def m001_rate_limits(db: Database) -> None:
    db.execute(
        "CREATE TABLE rate_limits (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, "
        "expires_at REAL NOT NULL)"
    )
