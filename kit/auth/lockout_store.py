"""The SQL for sign-in limits: failed logins and locks, per account and per network address.

The rule itself (how many failures lock a key, for how long) is `kit.rules.logins`; this
module only keeps the times. Failures older than the window are pruned on every write, so
the tables stay small whatever is typed at the login form.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from kit.db import stamp, write_lock
from kit.rules import logins


def account(username: str | None) -> str:
    return f"account:{logins.account_key(username)}"


def address(remote_addr: str | None) -> str:
    return f"address:{(remote_addr or '')[:100]}"


def active_lock(db: Database, keys: list[str], now: datetime) -> tuple[str, datetime] | None:
    """The key locked longest among `keys` and when its lock ends, or None if none is locked."""
    marks = ",".join("?" * len(keys))
    row = db.execute(
        f"SELECT key, locked_until FROM login_locks WHERE key IN ({marks}) AND locked_until > ?"
        " ORDER BY locked_until DESC LIMIT 1",
        [*keys, stamp(now)],
    ).fetchone()
    return (row[0], datetime.fromisoformat(row[1])) if row else None


def record_failure(
    db: Database, limits: dict[str, int], now: datetime, window: timedelta
) -> datetime | None:
    """Count one failed login against each key; return when the lock it caused ends, if any."""
    locked: list[datetime] = []
    with write_lock(db):
        db.execute("DELETE FROM login_failures WHERE at <= ?", [stamp(now - window)])
        for key, limit in limits.items():
            db.execute("INSERT INTO login_failures (key, at) VALUES (?, ?)", [key, stamp(now)])
            times = [
                datetime.fromisoformat(r[0])
                for r in db.execute("SELECT at FROM login_failures WHERE key = ?", [key])
            ]
            until = logins.lock_after_failure(times, now, limit=limit, window=window)
            if until is not None:
                db.execute(
                    "INSERT OR REPLACE INTO login_locks (key, locked_until) VALUES (?, ?)",
                    [key, stamp(until)],
                )
                db.execute("DELETE FROM login_failures WHERE key = ?", [key])
                locked.append(until)
        db.execute("DELETE FROM login_locks WHERE locked_until <= ?", [stamp(now)])
    return max(locked) if locked else None


def clear(db: Database, key: str) -> None:
    """Forget a key's failures and lift its lock (a good login, or the admin's unlock)."""
    with db.atomic():
        db.execute("DELETE FROM login_failures WHERE key = ?", [key])
        db.execute("DELETE FROM login_locks WHERE key = ?", [key])


def locked_accounts(db: Database, now: datetime) -> dict[str, datetime]:
    """Normalised user name -> when its lock ends, for accounts locked now."""
    rows = db.execute(
        "SELECT key, locked_until FROM login_locks WHERE key LIKE 'account:%' AND locked_until > ?",
        [stamp(now)],
    )
    return {key.removeprefix("account:"): datetime.fromisoformat(until) for key, until in rows}
