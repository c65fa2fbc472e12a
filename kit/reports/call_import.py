"""Importing past calls from a school's spreadsheet call log: all rows or none.

A school starting with the kit has a year of calls in a spreadsheet; importing them makes
the reports cover that year too. Every row is checked inside one write-locked transaction
(the references are numbered in it, so nothing else can take the same number) and kept only
when no row is bad; a dry run does the same work and always rolls back, which is what the
preview shows. Each call gets a history entry "imported" saying where it came from. Row
numbers are as a spreadsheet counts them: the header is row 1. A row already imported (same
time logged, caller, category and summary) is refused, so importing a file twice is safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from kit.calls import store
from kit.db import let_others_write, stamp, write_lock
from kit.directory.importer import ImportReport
from kit.reports.call_import_file import read_rows
from kit.reports.call_import_lookups import Lookups
from kit.reports.call_import_rows import PastCall, parse_row
from kit.rules.categories import due_times
from kit.rules.clock import WorkingCalendar
from kit.rules.refs import format_ref

BATCH_ROWS = 100  # rows per transaction: the desk waits at most one batch (~0.1 s)
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
    return _insert(db, past, Lookups(db), {}, user_id=user_id, at=at, cal=cal, note=note)[0]


def _insert(
    db: Database,
    past: PastCall,
    lookups: Lookups,
    next_seq: dict[int, int],
    *,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
    note: str,
) -> tuple[int, str]:
    """Insert the call and its "imported" history entry; its id and reference.

    `next_seq` carries each year's next reference number within one write-locked batch
    (read from the table on the year's first call), so the batch asks once, not per row.
    """
    year = past.logged_at.year
    if year not in next_seq:
        next_seq[year] = store.next_sequence(db, year)
    row = _call_row(past, cal, lookups, next_seq[year])
    next_seq[year] += 1
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.execute(f"INSERT INTO calls ({columns}) VALUES ({marks})", list(row.values()))
    call_id = cursor.lastrowid
    changes = {k: [None, v] for k, v in row.items() if k in store.LOGGED_FIELDS and v}
    text = note or "Imported from a spreadsheet call log."
    store.add_event(db, call_id, user_id=user_id, at=at, kind="imported", changes=changes,
                    text=text)  # fmt: skip
    return call_id, row["ref"]


def _call_row(past: PastCall, cal: WorkingCalendar, lookups: Lookups, seq: int) -> dict[str, Any]:
    """The calls row: type, group, level and due times from the category, as for a new call,
    and reference number `seq` in the year it was logged."""
    imp = lookups.implied(past.category_id)
    respond_by, resolve_by = due_times(cal, past.logged_at, imp)
    row: dict[str, Any] = {
        "ref": format_ref(past.logged_at.year, seq),
        "ref_year": past.logged_at.year,
        "ref_seq": seq,
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
    if past.resolution_summary and lookups.has_resolution_column():
        row["resolution_summary"] = past.resolution_summary
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
    written, in batches of `BATCH_ROWS`, each its own short write-locked transaction so a
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
    """Every row as a PastCall, each fault reported; nothing is written."""
    checked: list[tuple[int, PastCall]] = []
    seen: dict[str, int] = {}
    for number, cells in records:
        past = parse_row(lookups, cells, at, lambda col, msg, n=number: report.error(n, col, msg))
        if past is None:
            continue
        if past.key in seen:
            report.error(number, "summary", f"Row {seen[past.key]} is the same call: keep one.")
            continue
        earlier = db.execute("SELECT ref FROM calls WHERE submission_key = ?", [past.key])
        earlier = earlier.fetchone()
        if earlier:
            report.error(number, "summary", f"This call was imported before, as {earlier[0]}.")
            continue
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
    """Write the checked rows batch by batch; on any failure void what earlier batches kept."""
    began = time.monotonic()

    def heartbeat() -> str:  # the import's own clock, moved on by the time it has taken
        return stamp(at + timedelta(seconds=time.monotonic() - began))

    run = {"user_id": user_id, "started_at": stamp(at), "heartbeat_at": heartbeat()}
    run_id = db["call_import_runs"].insert({**run, "state": "running"}).last_pk
    try:
        for start in range(0, len(checked), BATCH_ROWS):
            batch = checked[start : start + BATCH_ROWS]
            with write_lock(db):
                next_seq: dict[int, int] = {}
                for number, past in batch:
                    note = f"Imported from a spreadsheet call log (row {number})."
                    call_id, ref = _insert(
                        db, past, lookups, next_seq, user_id=user_id, at=at, cal=cal, note=note
                    )
                    db.execute(
                        "INSERT INTO call_import_calls (run_id, call_id) VALUES (?, ?)",
                        [run_id, call_id],
                    )
                    report.changes.append(_change(number, ref, past))
                    report.created += 1
                db.execute(
                    "UPDATE call_import_runs SET rows_done = ?, heartbeat_at = ? WHERE id = ?",
                    [start + len(batch), heartbeat(), run_id],
                )
            if progress:
                progress(start + len(batch))
            let_others_write()
    except BaseException:
        report.changes.clear()
        report.created = 0
        _abandon(db, run_id, at)
        raise
    db.execute("UPDATE call_import_runs SET state = 'done' WHERE id = ?", [run_id])


def abandon_unfinished(db: Database, at: datetime) -> int:
    """Void the calls of runs that stopped between batches (the process died); how many runs."""
    cutoff = stamp(at - timedelta(minutes=STALE_MINUTES))
    stale = db.execute(
        "SELECT id FROM call_import_runs WHERE state = 'running' AND heartbeat_at < ?", [cutoff]
    ).fetchall()
    for (run_id,) in stale:
        _abandon(db, run_id, at)
    return len(stale)


def _abandon(db: Database, run_id: int, at: datetime) -> None:
    """Void a run's calls (the kit never deletes one) and free their keys for a new import."""
    with write_lock(db):
        call_ids = [
            r[0]
            for r in db.execute("SELECT call_id FROM call_import_calls WHERE run_id = ?", [run_id])
        ]
        for call_id in call_ids:
            db.execute("UPDATE calls SET voided = 1, submission_key = NULL WHERE id = ?", [call_id])
            store.add_event(db, call_id, user_id=None, at=at, kind="voided",
                            text="The import this call came from did not finish: none of its "
                            "rows is kept.")  # fmt: skip
        db.execute("UPDATE call_import_runs SET state = 'abandoned' WHERE id = ?", [run_id])
