"""Settings and reference data kept in the process, and seen fresh by the next request after
any change, in any process.

Every page reads a few small tables that change a few times a term: the settings, the
support groups, categories, response levels, locations and the accounts (the filters'
choices, the logged-in user, the school's name). Reading them costs about half the SQL
statements of the call log page. Here they are loaded once per *data version* and kept.

The version is a counter in the database (`refdata_version`), bumped by triggers on the
watched tables in the same transaction as the change. A trigger cannot be forgotten: the
settings page, the set-up wizard, `kit import`, the accounts page, a CLI command, plain SQL
in a test and another server process all bump it alike. `install_triggers` runs on every
start (from `kit.db.migrate`), so a table rebuilt by a migration gets its triggers back.

Promises:
- A committed change is seen by the next request of every process: each request reads
  the version (one statement) before it uses a cached value.
- A request's connection reads the version once and keeps it, until that connection writes
  (its `total_changes` moves): a request sees one version, and its own changes at once.
- Inside a transaction nothing is read from or put in the cache, so a write that is rolled
  back cannot leave its data behind; except inside `pinned`, a write transaction of our
  own that changes no reference data (a batch of mail), where the version read at its start
  serves every read, and is checked again at its end.
- The version is paired with a random epoch per database file, so two databases in one
  process (tests, a restored backup) never share entries.
- Cached values are shared between threads: callers get them through their store function,
  which hands out copies where a caller could change them.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from sqlite_utils import Database

T = TypeVar("T")

# Tables whose every insert, update and delete bumps the version.
WATCHED = (
    "settings",
    "support_groups",
    "group_members",
    "categories",
    "response_levels",
    "locations",
    "users",
    "mail_templates",
)
VERBS = ("INSERT", "UPDATE", "DELETE")
MAX_ENTRIES = 512  # (epoch, name) pairs; a school uses a dozen, a test run many epochs

_entries: dict[tuple[str, str], tuple[int, Any]] = {}
_keyed: dict[str, OrderedDict[tuple[str, Hashable], tuple[int, Any]]] = {}
_lock = threading.Lock()


def install_triggers(db: Database) -> None:
    """The version table and one trigger per watched table and verb (idempotent)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS refdata_version ("
        "id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL, version INTEGER NOT NULL)"
    )
    db.execute(
        "INSERT OR IGNORE INTO refdata_version (id, epoch, version) VALUES (1, ?, 0)",
        [secrets.token_hex(8)],
    )
    existing = set(db.table_names())
    for table in WATCHED:
        if table not in existing:
            continue
        for verb in VERBS:
            db.execute(
                f"CREATE TRIGGER IF NOT EXISTS refdata_version_{table}_{verb.lower()} "
                f"AFTER {verb} ON {table} "
                "BEGIN UPDATE refdata_version SET version = version + 1 WHERE id = 1; END"
            )


def version(db: Database) -> tuple[str, int] | None:
    """The database's (epoch, version), or None inside a transaction (nothing cached)
    unless the transaction is `pinned`."""
    conn = db.conn
    if conn.in_transaction:
        return getattr(db, "_pinned", None)
    seen = getattr(db, "_version_seen", None)
    if seen is not None and seen[0] == conn.total_changes:
        return seen[1]
    current = _read(db)
    if current is not None and getattr(db, "per_request", False):
        db._version_seen = (conn.total_changes, current)
    return current


def _read(db: Database) -> tuple[str, int] | None:
    row = db.conn.execute("SELECT epoch, version FROM refdata_version WHERE id = 1").fetchone()
    return (row[0], row[1]) if row else None


@contextlib.contextmanager
def pinned(db: Database) -> Iterator[None]:
    """Inside a write transaction (BEGIN IMMEDIATE: no other connection can write until it
    ends) that changes no reference data, such as a batch of mail: the version is read once
    at its start and serves every read of the cache in it, so a batch of 50 mails does not
    read the settings, the triage category and its response level 50 times. What is loaded
    inside is kept for the scope only, never put in the process's cache (another thread
    must not see what a transaction not yet committed saw).

    The version is read again at the end. Had the transaction changed reference data after
    all (a bug), its reads may have been served stale values: RuntimeError is raised, so the
    caller's transaction is rolled back.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("refcache.pinned is for the inside of a write transaction")
    start = _read(db)
    db._pinned, db._pinned_entries = start, {}
    try:
        yield
    finally:
        db._pinned, db._pinned_entries = None, None
    if _read(db) != start:
        raise RuntimeError("Reference data changed inside a transaction that promised not to")


def cached(
    db: Database, name: str, load: Callable[[], T], otherwise: Callable[[], T] | None = None
) -> T:
    """`load()`'s value for the database's current version, loaded at most once per version
    and process (twice if two threads race: both get a correct value). Where nothing can
    be cached (inside a transaction), `otherwise()` when given (a cheaper read of just
    what the caller needs), else `load()`."""
    current = version(db)
    if current is None:
        return (otherwise or load)()
    epoch, number = current
    entry = _entries.get((epoch, name))
    if entry is not None and entry[0] == number:
        return entry[1]
    scope = getattr(db, "_pinned_entries", None)
    if scope is not None and db.conn.in_transaction:  # inside `pinned`: kept for it alone
        if name not in scope:
            scope[name] = load()
        return scope[name]
    value = load()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        old = _entries.get((epoch, name))
        if old is None or old[0] <= number:
            _entries[(epoch, name)] = (number, value)
    return value


def cached_per_key(
    db: Database, name: str, key: Hashable, load: Callable[[], T], keep: int = 64
) -> T:
    """As `cached`, for a value that also depends on `key` (the call log's filter form
    rendered for one query string): kept for the `keep` keys of `name` used last. Never
    inside a transaction, even a pinned one."""
    current = version(db)
    if current is None or db.conn.in_transaction:
        return load()
    epoch, number = current
    full = (epoch, key)
    with _lock:
        entries = _keyed.setdefault(name, OrderedDict())
        entry = entries.get(full)
        if entry is not None and entry[0] == number:
            entries.move_to_end(full)
            return entry[1]
    value = load()
    with _lock:
        old = entries.get(full)
        if old is None or old[0] <= number:
            entries[full] = (number, value)
            entries.move_to_end(full)
        while len(entries) > keep:
            entries.popitem(last=False)
    return value


def forget() -> None:
    """Drop every cached value (tests that compare a cold and a warm page)."""
    with _lock:
        _entries.clear()
        _keyed.clear()
