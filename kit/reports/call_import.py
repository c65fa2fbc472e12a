"""Importing past calls from a school's spreadsheet call log: all rows or none.

A school starting with the kit has a year of calls in a spreadsheet; importing them makes
the reports cover that year too. Every row is checked first, without the write lock, and
the calls are kept only when no row is bad; they are then written in short batches (the
references numbered inside each batch's write lock, so nothing else can take the same
number), and a run that fails part-way voids what it wrote. A dry run checks the rows and
numbers them as the import would, which is what the preview shows. Each call gets a history entry "imported" saying where it came from. Row
numbers are as a spreadsheet counts them: the header is row 1. A row already imported (same
time logged, caller, category and summary) is refused, so importing a file twice is safe.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from kit.calls import store
from kit.db import let_others_write, stamp, write_lock
from kit.directory.importer import ImportReport
from kit.reports import call_import_store
from kit.reports.call_import_file import read_rows
from kit.reports.call_import_lookups import Lookups
from kit.reports.call_import_rows import PastCall, parse_row
from kit.reports.call_import_store import insert_calls
from kit.rules.categories import due_times
from kit.rules.clock import WorkingCalendar
from kit.rules.refs import format_ref

# A desk saving a call meanwhile waits for at most one batch. Each commit costs the call
# search index and the queue's indexes about the same whatever its size, so batches are
# as large as holding the lock for about BATCH_SECONDS allows, measured as they go: large
# on a quiet machine, smaller on a busy one (tests/bench/RESULTS.md).
BATCH_ROWS = 250  # the most rows one batch writes
FIRST_BATCH_ROWS = 100
MIN_BATCH_ROWS = 25
BATCH_SECONDS = 0.05
STALE_MINUTES = 10  # a run with no batch for this long died (its calls are voided)


def import_past_call(
    db: Database,
    past: PastCall,
    *,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
    note: str = "",
) -> int:
    """Insert one past call with its own times and status, and its "imported" history entry.

    Takes the write lock itself: the reference is the next in the year it was logged.
    """
    with write_lock(db):
        return insert_past_call(db, past, user_id=user_id, at=at, cal=cal, note=note)


def insert_past_call(
    db: Database,
    past: PastCall,
    *,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
    note: str = "",
) -> int:
    """`import_past_call` for a caller that already holds the write lock."""
    row = _prepared(past, Lookups(db), cal, note)
    return insert_calls(db, [row], run_id=None, user_id=user_id, at=at)[0][0]


def _prepared(
    past: PastCall, lookups: Lookups, cal: WorkingCalendar, note: str
) -> tuple[dict[str, Any], str, str]:
    """What `insert_calls` writes for one call, built before the write lock is taken: the
    calls row (without its id and reference), its history's changes as JSON, and the text."""
    row = _call_row(past, cal, lookups)
    changes = {k: [None, v] for k, v in row.items() if k in store.LOGGED_FIELDS and v}
    return row, json.dumps(changes), note or "Imported from a spreadsheet call log."


def _call_row(past: PastCall, cal: WorkingCalendar, lookups: Lookups) -> dict[str, Any]:
    """The calls row: type, group, level and due times from the category, as for a new call.
    Its id and reference are given when it is inserted (`insert_calls`)."""
    imp = lookups.implied(past.category_id)
    respond_by, resolve_by = due_times(cal, past.logged_at, imp)
    row: dict[str, Any] = {
        "ref_year": past.logged_at.year,
        "submission_key": past.key,
        "logged_at": stamp(past.logged_at),
        "channel": past.channel,
        "caller_id": past.caller_id,
        "caller_name": past.caller_name,
        "caller_email": past.caller_email,
        "location_id": past.location_id,
        "equipment_id": past.equipment_id,
        "category_id": past.category_id,
        "call_type": imp.call_type,
        "type_rank": imp.type_rank,
        "group_id": imp.group_id,
        "response_level_id": imp.response_level_id,
        "assignee_id": past.assignee_id,
        "routed_at": stamp(past.logged_at) if past.assignee_id else None,
        "status": past.status,
        "summary": past.summary,
        "details": past.details,
        "respond_by": stamp(respond_by),
        "resolve_by": stamp(resolve_by),
        "responded_at": _stamp(past.responded_at),
        "resolved_at": _stamp(past.resolved_at),
        "closed_at": _stamp(past.closed_at),
    }
    if lookups.has_resolution_column():  # every row of a batch has the same columns
        row["resolution_summary"] = past.resolution_summary or None
    return row


def _stamp(value: datetime | None) -> str | None:
    return stamp(value) if value else None


def import_calls(
    db: Database,
    text: str,
    *,
    dry_run: bool,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create a call for every row, or none when any row is bad (every bad row reported).

    Every row is checked first, outside any transaction; only a file with no bad row is
    written, in batches of up to `BATCH_ROWS`, each its own short write-locked transaction so a
    call logged at the desk meanwhile waits for one batch, not the whole file. A run that
    fails between batches voids what it wrote, so the school sees all rows or none.
    `progress(rows_written)` is told after each batch.
    """
    report = ImportReport("calls")
    records = read_rows(text, report)
    if not report.ok:
        return report
    abandon_unfinished(db, at)
    lookups = Lookups(db)
    checked = _check_rows(db, records, report, lookups, at)
    if not report.ok:
        return report
    if dry_run:
        _preview(db, checked, report)
        return report
    _write(db, checked, report, lookups=lookups, user_id=user_id, at=at, cal=cal,
           progress=progress)  # fmt: skip
    report.imported = True
    return report


def _check_rows(
    db: Database,
    records: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    lookups: Lookups,
    at: datetime,
) -> list[tuple[int, PastCall]]:
    """Every row as a PastCall, each fault reported in row order; nothing is written.
    Whether a row was imported before is asked for all rows at once, not row by row."""
    parsed: list[tuple[int, PastCall | None, list[tuple[str, str]]]] = []
    for number, cells in records:
        faults: list[tuple[str, str]] = []
        past = parse_row(lookups, cells, at, lambda col, msg, f=faults: f.append((col, msg)))
        parsed.append((number, past, faults))
    earlier = store.refs_for_submissions(db, [p.key for _, p, _ in parsed if p is not None])
    checked: list[tuple[int, PastCall]] = []
    seen: dict[str, int] = {}
    for number, past, faults in parsed:
        for column, message in faults:
            report.error(number, column, message)
        if past is None:
            continue
        if past.key in seen:
            report.error(number, "summary", f"Row {seen[past.key]} is the same call: keep one.")
        elif past.key in earlier:
            report.error(
                number, "summary", f"This call was imported before, as {earlier[past.key]}."
            )
        else:
            seen[past.key] = number
            checked.append((number, past))
    return checked


def _change(number: int, ref: str, past: PastCall) -> tuple[int, str, str]:
    return (
        number,
        "create",
        f"{ref} · {stamp(past.logged_at)[:16]} · "
        f"{past.caller_name} · {past.summary} · {past.status}",
    )


def _preview(db: Database, checked: list[tuple[int, PastCall]], report: ImportReport) -> None:
    """What a real import would create, with the references it would take now."""
    next_seq: dict[int, int] = {}
    for number, past in checked:
        year = past.logged_at.year
        if year not in next_seq:
            next_seq[year] = store.next_sequence(db, year)
        report.changes.append(_change(number, format_ref(year, next_seq[year]), past))
        next_seq[year] += 1
        report.created += 1


def _write(
    db: Database,
    checked: list[tuple[int, PastCall]],
    report: ImportReport,
    *,
    lookups: Lookups,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
    progress: Callable[[int], None] | None,
) -> None:
    """Write the checked rows batch by batch; on any failure void what earlier batches kept.

    Each batch's rows are built before its write lock is taken, so the lock is held only
    for the inserts (one statement per table) and the run's mark.
    """
    began = time.monotonic()

    def heartbeat() -> str:  # the import's own clock, moved on by the time it has taken
        return stamp(at + timedelta(seconds=time.monotonic() - began))

    run_id = call_import_store.start_run(db, user_id=user_id, at=at, heartbeat=heartbeat())
    start, size = 0, min(BATCH_ROWS, FIRST_BATCH_ROWS)
    try:
        while start < len(checked):
            batch = checked[start : start + size]
            rows = [
                _prepared(past, lookups, cal, f"Imported from a spreadsheet call log (row {n}).")
                for n, past in batch
            ]
            with write_lock(db):
                locked = time.monotonic()
                made = insert_calls(db, rows, run_id=run_id, user_id=user_id, at=at)
                call_import_store.batch_done(db, run_id, start + len(batch), heartbeat())
            size = next_batch_rows(len(batch), time.monotonic() - locked)
            start += len(batch)
            for (number, past), (_, ref) in zip(batch, made, strict=True):
                report.changes.append(_change(number, ref, past))
            report.created += len(made)
            if progress:
                progress(start)
            let_others_write()
    except BaseException:
        report.changes.clear()
        report.created = 0
        call_import_store.abandon(db, run_id, at)
        raise
    call_import_store.run_done(db, run_id)


def next_batch_rows(rows: int, held: float) -> int:
    """The next batch's size: as many rows as the last batch's pace fits in BATCH_SECONDS
    of holding the lock (its commit included), between MIN_BATCH_ROWS and BATCH_ROWS."""
    fits = int(rows * BATCH_SECONDS / max(held, 0.001))
    return min(BATCH_ROWS, max(MIN_BATCH_ROWS, fits))


def abandon_unfinished(db: Database, at: datetime) -> int:
    """Void the calls of runs that stopped between batches (the process died); how many runs."""
    stale = call_import_store.stale_runs(db, stamp(at - timedelta(minutes=STALE_MINUTES)))
    for run_id in stale:
        call_import_store.abandon(db, run_id, at)
    return len(stale)
