"""One SQLite connection per server thread, kept from one request to the next only when it
is proven clean at the end of the request.

Why: a new connection parses the whole schema (66 tables, 87 indexes, 36 triggers) on its
first statement, about 1 ms of CPU, 9% of a call log page (tests/bench/RESULTS.md). A
waitress or gunicorn thread serves request after request, so it keeps its connection.

What a request may leave behind on a connection, and what is done about it:
- An open transaction (`in_transaction`), or a statement not reset (a cursor left half
  read): either holds a read snapshot, so the next request would not see a logout or any
  other write made since. `CLEAN_CHECK` asks SQLite itself (the `sqlite_stmt` table of this
  connection's prepared statements); a connection with either is closed, never kept.
- A pragma changed (foreign keys off, another busy timeout or sync mode) or a temporary
  table: the same check; such a connection is closed.
- Per-connection caches of our own: `KitDatabase`'s table names and the reference data's
  version (kit.refcache) are forgotten at each new request, so a request still reads the
  version afresh and another process's change is seen as on a new connection.
- Another process: a connection is only ever used in the process that opened it; one
  inherited through a fork (gunicorn builds the app in its master) is left alone, neither
  used nor closed (closing it could release the parent's locks).
- Another database, or the file replaced at the same path (a test's new instance, a
  restore): the kept connection is closed and a new one opened.

Only requests keep theirs (kit.db.get_db): a command or a background job closes its
connection at the end, as before. A process that exits normally closes its kept connections
as it ends (the last one copies the `-wal` file's writes into the database file); one killed
outright (SIGKILL, SIGTERM without a handler) leaves them in the `-wal` file, where SQLite
finds them on the next start: never lost, but the database file alone is then not a backup
(it never was while the kit ran: `kit backup` uses SQLite's backup API).

Where SQLite lacks the `sqlite_stmt` table (a build without SQLITE_ENABLE_STMTVTAB), no
connection can be proven clean, and each request opens its own as before. At most one
connection is kept per thread: tests that build many apps in one thread do not pile them up.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

# One statement, run at the end of each request on the request's connection. Its own
# statement is busy while it runs, hence the exclusion.
CLEAN_CHECK = (
    "SELECT (SELECT count(*) FROM sqlite_stmt"
    " WHERE busy AND sql NOT LIKE '%sqlite_stmt%'),"
    " (SELECT foreign_keys FROM pragma_foreign_keys),"
    " (SELECT timeout FROM pragma_busy_timeout),"
    " (SELECT synchronous FROM pragma_synchronous),"
    " (SELECT count(*) FROM temp.sqlite_master)"
)
SYNCHRONOUS_FULL = 2

_slot = threading.local()
_inherited: list[Any] = []  # connections made before a fork: kept referenced, never closed
_supported: bool | None = None  # whether this SQLite has sqlite_stmt; found on first check


@dataclass
class Kept:
    db: Any  # kit.db.KitDatabase
    path: str
    file: tuple[int, int]  # (device, inode) of the database file when it was kept
    pid: int


def take(path: str) -> Any | None:
    """This thread's kept connection to `path`, if it is still the same file in the same
    process; None otherwise (the caller opens a new one)."""
    kept: Kept | None = getattr(_slot, "kept", None)
    if kept is None:
        return None
    _slot.kept = None
    if kept.pid != os.getpid():
        _inherited.append(kept)
        return None
    if kept.path != path or _file(path) != kept.file:
        _close(kept.db)
        return None
    return kept.db


def give_back(db: Any, path: str, busy_timeout_ms: int) -> None:
    """Keep `db` for this thread's next request if it is clean; close it otherwise."""
    file = _file(path)
    if file is None or not is_clean(db, busy_timeout_ms):
        _close(db)
        return
    old: Kept | None = getattr(_slot, "kept", None)
    if old is not None and old.pid == os.getpid():
        _close(old.db)  # a nested app context kept one first: one per thread
    _slot.kept = Kept(db, path, file, os.getpid())


def is_clean(db: Any, busy_timeout_ms: int) -> bool:
    """No transaction open, no statement left unfinished, the pragmas as `kit.db.connect`
    set them, no temporary objects. Any doubt (an error, no `sqlite_stmt`) is unclean."""
    global _supported
    conn: sqlite3.Connection = db.conn
    if _supported is False or conn.in_transaction:
        return False
    try:
        row = conn.execute(CLEAN_CHECK).fetchone()
    except sqlite3.OperationalError as exc:
        if "sqlite_stmt" in str(exc):
            _supported = False
        return False
    except sqlite3.Error:
        return False
    _supported = True
    busy, foreign_keys, timeout, synchronous, temporary = tuple(row)
    return (
        busy == 0
        and foreign_keys == 1
        and timeout == busy_timeout_ms
        and synchronous == SYNCHRONOUS_FULL
        and temporary == 0
        and not conn.in_transaction
    )


def forget() -> None:
    """Close this thread's kept connection (tests and benchmarks that count a request's
    statements on a connection of their own)."""
    kept: Kept | None = getattr(_slot, "kept", None)
    _slot.kept = None
    if kept is not None and kept.pid == os.getpid():
        _close(kept.db)


def kept_connection() -> Any | None:
    """This thread's kept connection, for tests."""
    kept: Kept | None = getattr(_slot, "kept", None)
    return kept.db if kept is not None else None


def _file(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _close(db: Any) -> None:
    db.conn.close()
