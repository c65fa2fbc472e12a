"""One SQLite connection per request (a server thread keeps its own while it is clean: see
kit.connections), its pragmas, the migrations, and the write lock.

Every area keeps its tables in its own `schema.py` with its own `Migrations` set, listed in
`MIGRATION_SETS` in the order they must run. `migrate()` applies whatever is pending, so an
existing school database is upgraded in place on start.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import click
from flask import Flask, current_app, g, has_request_context
from sqlite_utils import Database

from kit import connections, refcache

MIGRATION_SETS = (
    "kit.schema",
    "kit.auth.schema",
    "kit.printing.schema",
    "kit.kb.schema",
    "kit.mail.schema",
    "kit.calls.lifecycle_schema",
    "kit.customer.schema",
    "kit.leaders.schema",
    "kit.surveys.schema",
    "kit.setup.schema",
    "kit.visits.schema",
    "kit.followups.schema",
    "kit.problems.schema",
    "kit.priority.schema",
    "kit.reports.schema",
    "kit.attachments.schema",
    "kit.mailin.schema",
    "kit.calls.search_schema",
    "kit.calls.procedure_schema",
    "kit.ratelimit_schema",
    "kit.directory.schema",
)

BUSY_TIMEOUT_MS = 5000
DDL = ("create", "drop", "alter")


class KitDatabase(Database):
    """sqlite-utils' Database, remembering the schema's table and view names per connection.

    sqlite-utils asks `sqlite_master` for the view names twice and the table names once on
    every `db["table"]` look-up: 21 of the 48 statements a call page ran. The names change
    only by DDL, which in the kit goes through `execute`/`executescript` (migrations and
    sqlite-utils' create/transform), so those forget the names and the next look-up reads
    them again. They are forgotten when a kept connection starts another request.
    """

    per_request = False  # a request's connection: see kit.refcache.version

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self._names: dict[tuple, list[str]] = {}

    def new_request(self) -> None:
        """Kept for another request (kit.connections): it starts as a new connection would,
        reading the table names and the reference data's version afresh."""
        self._names.clear()
        self._version_seen = None

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if sql.lstrip()[:6].lower().startswith(DDL):
            self._names.clear()
        return super().execute(sql, parameters)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        self._names.clear()
        return super().executescript(sql)

    def table_names(self, fts4: bool = False, fts5: bool = False) -> list[str]:
        key = ("table", fts4, fts5)
        if key not in self._names:
            self._names[key] = super().table_names(fts4=fts4, fts5=fts5)
        return list(self._names[key])

    def view_names(self) -> list[str]:
        if ("view",) not in self._names:
            self._names[("view",)] = super().view_names()
        return list(self._names[("view",)])


def connect(path: str) -> Database:
    """Open the database with the pragmas every connection needs (sqlite-utils sets none)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    db = KitDatabase(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    return db


def migrate(db: Database) -> None:
    """Apply every pending migration of every area; safe to call on each start."""
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.enable_wal()
    for name in MIGRATION_SETS:
        importlib.import_module(name).migrations.apply(db)
    refcache.install_triggers(db)  # every start: a table a migration rebuilt gets them back
    importlib.import_module("kit.reports.summary").on_start(db)  # the same, and built


def get_db() -> Database:
    """The request's connection, opened on first use (or this thread's connection kept from
    its last request, kit.connections) and given back or closed at teardown."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        db = connections.take(path) if has_request_context() else None
        if db is None:
            db = connect(path)
        else:
            db.new_request()
        db.per_request = True  # reads the reference data's version once (kit.refcache)
        g.db = db
        g.db_keep = has_request_context()  # a command's connection is closed, as before
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    if g.pop("db_keep", False):
        connections.give_back(db, current_app.config["DATABASE"], BUSY_TIMEOUT_MS)
    else:
        db.conn.close()


@contextlib.contextmanager
def write_lock(db: Database) -> Iterator[Database]:
    """A transaction that takes the write lock first (BEGIN IMMEDIATE).

    Needed for every read-then-write (next call reference, status checks): a deferred
    transaction that upgrades to a write fails with "database is locked" under load
    whatever the busy timeout. `db.atomic()` opens a deferred one, hence this helper.
    Inside another `write_lock` it joins that transaction (a savepoint, so a refusal undoes
    only its own part): several steps can then be committed together, as mail in does.
    """
    if db.conn.in_transaction:
        name = f"write_lock_{next(_savepoints)}"
        db.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:  # a failed statement may have ended it already
                db.execute(f"ROLLBACK TO {name}")
                db.execute(f"RELEASE {name}")
            raise
        else:
            db.execute(f"RELEASE {name}")
        return
    _begin_immediate(db)
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")


@contextlib.contextmanager
def write_lock_now(db: Database) -> Iterator[bool]:
    """`write_lock` for a page that must never wait: True inside a transaction holding the
    lock when it was free at once, False (and no transaction) when another writer holds it
    (an import, `kit reindex`) or a transaction is already open. For writes a view may
    skip, such as keeping what it found for the next view."""
    if db.conn.in_transaction:
        yield False
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        took = False
    else:
        took = True
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not took:
        yield False
        return
    try:
        yield True
    except BaseException:
        db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")


WRITE_POLL_S = 0.001  # how often a waiting writer tries for the lock
WRITER_GAP_S = 0.003  # a long job's pause between batches: a waiting writer's turn


def _begin_immediate(db: Database) -> None:
    """BEGIN IMMEDIATE, trying every millisecond for up to the busy timeout.

    SQLite's own busy handler sleeps longer and longer between tries (100 ms apart after
    the first third of a second), so a desk saving a call while an import writes batch
    after batch kept missing the moments between batches: measured 3.3 s on a quiet
    machine. Trying every millisecond, it takes the lock in the gap a long job leaves with
    `let_others_write()`. Past the busy timeout the usual "database is locked" is raised.
    """
    db.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(WRITE_POLL_S)
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def let_others_write() -> None:
    """Called by a job that writes batch after batch (the past-call import, `kit reindex`)
    between two of them, so a desk waiting in `write_lock` gets its turn instead of the
    next batch. Mail in needs none: it parses the next batch outside the lock."""
    time.sleep(WRITER_GAP_S)


_savepoints = itertools.count(1)


@contextlib.contextmanager
def snapshot(db: Database) -> Iterator[Database]:
    """Several reads that must agree with each other (the sections of one report) from one
    state of the database: in WAL mode a read transaction sees nothing committed after its
    first read. Without it a call logged between two queries is in one and not the other.
    Inside a transaction already, that one is the snapshot."""
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")  # read only: nothing to keep


def now() -> datetime:
    """The current local time, to the second; tests move it with the NOW config value."""
    fixed = current_app.config.get("NOW")
    if callable(fixed):
        return fixed()
    if fixed is not None:
        return fixed
    return datetime.now().replace(microsecond=0)


def stamp(value: datetime | None = None) -> str:
    """How times are stored: naive local ISO text, which sorts and compares correctly."""
    return (value or now()).isoformat(sep=" ", timespec="seconds")


def insert(db: Database, table: str, row: dict[str, Any]) -> int:
    """Insert one row into `table` (a name from the code, never from input) with plain SQL;
    returns its id. For the rows every logged call writes: sqlite-utils' insert looks the
    table up and builds its statement in a savepoint each time, several times the cost of
    the insert itself, and it would create a table whose name was mistyped."""
    columns = ", ".join(f'"{column}"' for column in row)
    marks = ", ".join("?" * len(row))
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
    return db.execute(sql, list(row.values())).lastrowid


def rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(r) for r in cursor.fetchall()]


@contextlib.contextmanager
def migration_lock(database: str) -> Iterator[None]:
    """One process migrates at a time: two servers (or a server and `kit daily` from cron)
    starting together after an upgrade would otherwise both read the same migration as
    pending (sqlite-utils reads what is pending outside the migration's transaction) and
    both apply it; the second fails to start. The others wait for it, then find nothing
    pending. An OS lock beside the database (none on Windows, where one process serves)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def init_app(app: Flask) -> None:
    """Migrate the instance database on start and close connections after each request."""
    app.teardown_appcontext(close_db)
    with migration_lock(app.config["DATABASE"]):
        db = connect(app.config["DATABASE"])
        try:
            migrate(db)
        finally:
            db.conn.close()
    app.cli.add_command(migrate_command)


@click.command("migrate")
def migrate_command() -> None:
    """Upgrade the instance database to the current schema."""
    migrate(get_db())
    click.echo("Database is up to date.")
