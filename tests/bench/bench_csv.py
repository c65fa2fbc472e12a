"""CSV in and out: the export of every call through the kit's export route against a bare
csv-module dump of the very same query, and 10,000 past calls imported through the kit's
call import against a bare executemany of the same rows into a scratch table.

The import runs on a copy of the bench database (made with SQLite's backup API before
each run, outside the timing), so the bench school stays as generated."""

from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median

from kit.db import connect, write_lock
from kit.reports import export_queries
from tests.bench.common import (
    BENCH_PASSWORD,
    bench_app,
    bench_user,
    paired_times,
    report,
    report_pair,
)

EXPORT_TARGET = 2.0
IMPORT_ROWS = 10_000
IMPORT_REPEAT = 3
DESK_WAIT_TARGET = 0.2


def _export_sql(db) -> str:
    """The SELECT the kit's calls export runs, caught as SQLite is given it."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        _header, rows = export_queries.calls(db)
        next(rows, None)
    finally:
        db.conn.set_trace_callback(None)
    return next(s for s in seen if s.lstrip().upper().startswith("SELECT CALLS.REF"))


def _bare_export(path: str, sql: str) -> int:
    conn = sqlite3.connect(path)
    out = io.StringIO()
    writer = csv.writer(out)
    cursor = conn.execute(sql)
    writer.writerow([d[0] for d in cursor.description])
    writer.writerows(cursor)
    conn.close()
    return len(out.getvalue())


def run(instance: Path) -> None:
    app = bench_app(instance)
    db = connect(app.config["DATABASE"])
    bench_user(db, "benchleader", {"leader"})
    bench_user(db, "benchadmin2", {"admin"})
    client = app.test_client()
    _login(client, "benchleader")
    sql = _export_sql(db)
    count = db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]

    def kit_export() -> int:
        response = client.get("/reports/export/calls.csv")
        assert response.status_code == 200, response.status_code
        return len(response.get_data())

    kit_bytes, bare_chars = kit_export(), _bare_export(app.config["DATABASE"], sql)
    print(f"export: {count} calls, kit {kit_bytes:,} bytes, bare {bare_chars:,} chars", flush=True)
    pair = paired_times(kit_export, lambda: _bare_export(app.config["DATABASE"], sql), 5, 1)
    report_pair(f"CSV export, all {count} calls", pair, EXPORT_TARGET)
    db.conn.close()
    _import(app, Path(app.config["DATABASE"]))


def _login(client, username: str) -> None:
    response = client.post("/auth/login", data={"username": username, "password": BENCH_PASSWORD})
    assert response.status_code == 302, response.status_code


def _import_csv(db, rows: int) -> str:
    """`rows` past calls as a school's spreadsheet would hold them, every column used."""
    categories = [r[0] for r in db.execute("SELECT name FROM categories ORDER BY id")]
    places = db.execute(
        "SELECT l.site, l.building, l.room, e.asset_tag FROM equipment e "
        "JOIN locations l ON l.id = e.location_id ORDER BY e.id"
    ).fetchall()
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["logged", "caller", "category", "summary", "details", "channel", "site",
              "building", "room", "asset_tag", "status", "responded", "resolved", "closed",
              "resolution", "old_reference"]  # fmt: skip
    writer.writerow(header)
    start = datetime(2018, 1, 8, 8, 0)
    for n in range(rows):
        logged = start + timedelta(minutes=37 * n)
        site, building, room, tag = places[n % len(places)]
        writer.writerow(
            [
                f"{logged:%Y-%m-%d %H:%M}",
                f"Staff {n % 120}",
                categories[n % len(categories)],
                f"Old call {n}: projector will not turn on",
                "Reported at break; the lamp light flashes orange twice.",
                "Phone",
                site,
                building,
                room,
                tag,
                "Closed",
                f"{logged + timedelta(minutes=20):%Y-%m-%d %H:%M}",
                f"{logged + timedelta(hours=3):%Y-%m-%d %H:%M}",
                f"{logged + timedelta(days=1):%Y-%m-%d %H:%M}",
                "Replaced the lamp",
                f"OLD-{n}",
            ]
        )
    return out.getvalue()


def _copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def _bare_import(db, text: str) -> int:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = list(reader)
    columns = ", ".join(f'"{h}"' for h in header)
    db.execute("DROP TABLE IF EXISTS bench_scratch")
    db.execute(f"CREATE TABLE bench_scratch (id INTEGER PRIMARY KEY, {columns})")
    marks = ", ".join("?" for _ in header)
    db.execute("BEGIN IMMEDIATE")
    db.conn.executemany(f"INSERT INTO bench_scratch ({columns}) VALUES ({marks})", rows)
    db.execute("COMMIT")
    return len(rows)


def _import(app, database: Path) -> None:
    from kit.reports.call_import import import_calls
    from kit.reports.catalogue import calendar_for

    with app.app_context():
        db = connect(str(database))
        text = _import_csv(db, IMPORT_ROWS)
        db.conn.close()
        scratch = Path(tempfile.mkdtemp(prefix="kit-bench-import-")) / "copy.sqlite3"
        kit_times, bare_times, desk_waits, desk_refused = [], [], [], 0
        kit_cpu, bare_cpu = [], []
        for _ in range(IMPORT_REPEAT):
            _copy(database, scratch)
            db = connect(str(scratch))
            admin = db.execute("SELECT id FROM users WHERE username = 'benchadmin2'").fetchone()
            at = datetime.now().replace(microsecond=0)
            # What the import route does: the calendar for ten years, then all rows or none.
            start, start_cpu = time.perf_counter(), time.process_time()
            cal = calendar_for(db, datetime(at.year - 10, 1, 1).date(), at.date(), at)
            with _DeskWrites(str(scratch)) as desk:
                done = import_calls(db, text, dry_run=False, user_id=admin[0], at=at, cal=cal)
            kit_times.append(time.perf_counter() - start)
            kit_cpu.append(time.process_time() - start_cpu)  # the desk thread's share is small
            desk_waits.extend(desk.waits)
            desk_refused += desk.refused
            assert done.imported and done.created == IMPORT_ROWS, (done.created, done.errors[:3])
            start, start_cpu = time.perf_counter(), time.process_time()
            _bare_import(db, text)
            bare_times.append(time.perf_counter() - start)
            bare_cpu.append(time.process_time() - start_cpu)
            db.conn.close()
        for leftover in scratch.parent.glob("copy.sqlite3*"):
            leftover.unlink()
        scratch.parent.rmdir()
    report(
        f"CSV import, {IMPORT_ROWS} past calls",
        median(kit_times),
        median(bare_times),
        cpu=(median(kit_cpu), median(bare_cpu)),
    )
    desk_waits.sort()
    print(
        f"  a desk write during the import waited: max {desk_waits[-1] * 1000:.0f} ms, "
        f"median {median(desk_waits) * 1000:.0f} ms over {len(desk_waits)} writes, "
        f"{desk_refused} refused after the 5 s busy timeout "
        f"(target: at most {DESK_WAIT_TARGET * 1000:.0f} ms)",
        flush=True,
    )


class _DeskWrites:
    """A second connection taking the write lock every 50 ms while the import runs, as the
    desk logging calls would; records how long each wait for the lock took."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.waits: list[float] = []
        self.refused = 0
        self._stop = threading.Event()

    def _run(self) -> None:
        db = connect(self.path)
        while not self._stop.is_set():
            start = time.perf_counter()
            try:
                with write_lock(db):  # how the desk's writes take the lock
                    self.waits.append(time.perf_counter() - start)
            except sqlite3.OperationalError:  # locked past the busy timeout: a refused write
                self.refused += 1
                continue
            self._stop.wait(0.05)
        db.conn.close()

    def __enter__(self) -> _DeskWrites:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
