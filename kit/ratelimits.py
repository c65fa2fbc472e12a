"""Flask-Limiter's counts (the web form's and the status link's limits) kept in the
instance database, so every server process counts against the same limit.

In process memory each of N processes would allow N times the limit, and a restart would
forget every count. A fixed window per key: the first hit sets when the window ends, later
hits add to it, and a window that has ended starts again. Each hit is one short write
transaction; only the customer-facing POSTs are limited, so that cost is rare.
The URI is `kit-sqlite://` and the database file's path.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from limits.storage import Storage

BUSY_TIMEOUT_S = 5.0


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["kit-sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        self.path = (uri or "").split("://", 1)[1]
        self.local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.local.conn = conn
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM rate_limits WHERE key = ? AND expires_at <= ?", [key, now])
            conn.execute(
                "INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET hits = hits + excluded.hits",
                [key, amount, now + expiry],
            )
            hits = conn.execute("SELECT hits FROM rate_limits WHERE key = ?", [key]).fetchone()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT (a full disk) has rolled back already
                conn.execute("ROLLBACK")
            raise
        return int(hits[0])

    def _row(self, key: str) -> tuple[int, float] | None:
        row = (
            self._conn()
            .execute(
                "SELECT hits, expires_at FROM rate_limits WHERE key = ? AND expires_at > ?",
                [key, time.time()],
            )
            .fetchone()
        )
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1 FROM rate_limits LIMIT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._conn().execute("DELETE FROM rate_limits").rowcount

    def clear(self, key: str) -> None:
        self._conn().execute("DELETE FROM rate_limits WHERE key = ?", [key])
