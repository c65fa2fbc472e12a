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

import csv
import io
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls import store
from kit.db import stamp, write_lock
from kit.directory import store as directory
from kit.directory.columns import column_name
from kit.directory.importer import ImportReport
from kit.reports.call_import_rows import COLUMNS, KNOWN, PastCall, parse_row
from kit.rules.categories import due_times, implied_by
from kit.rules.clock import WorkingCalendar
from kit.rules.refs import format_ref


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
    row = _call_row(db, past, cal)
    call_id = db["calls"].insert(row).last_pk
    changes = {k: [None, v] for k, v in row.items() if k in store.LOGGED_FIELDS and v}
    text = note or "Imported from a spreadsheet call log."
    store.add_event(db, call_id, user_id=user_id, at=at, kind="imported", changes=changes,
                    text=text)  # fmt: skip
    return call_id


def _call_row(db: Database, past: PastCall, cal: WorkingCalendar) -> dict[str, Any]:
    """The calls row: type, group, level and due times from the category, as for a new call,
    and the next reference in the year it was logged."""
    category = directory.get_category(db, past.category_id)
    imp = implied_by(category, directory.get_response_level(db, category["response_level_id"]))
    respond_by, resolve_by = due_times(cal, past.logged_at, imp)
    seq = store.next_sequence(db, past.logged_at.year)
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
    if past.resolution_summary and _has_resolution_column(db):
        row["resolution_summary"] = past.resolution_summary
    return row


def _has_resolution_column(db: Database) -> bool:
    """Whether the lifecycle area added its columns (one cheap query; this runs per row)."""
    sql = "SELECT 1 FROM pragma_table_info('calls') WHERE name = 'resolution_summary'"
    return db.execute(sql).fetchone() is not None


def _stamp(value: datetime | None) -> str | None:
    return stamp(value) if value else None


class _Undo(Exception):
    """Raised inside the transaction to roll it back (a dry run, or a bad row)."""


def import_calls(
    db: Database,
    text: str,
    *,
    dry_run: bool,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
) -> ImportReport:
    """Create a call for every row, or none when any row is bad (every bad row reported)."""
    report = ImportReport("calls")
    records = read_rows(text, report)
    if not report.ok:
        return report
    try:
        with write_lock(db):
            seen: dict[str, int] = {}
            for number, cells in records:
                _import_row(db, number, cells, report, seen, user_id=user_id, at=at, cal=cal)
            if dry_run or not report.ok:
                raise _Undo
    except _Undo:
        return report
    report.imported = True
    return report


def _import_row(
    db: Database,
    number: int,
    cells: dict[str, str],
    report: ImportReport,
    seen: dict[str, int],
    *,
    user_id: int | None,
    at: datetime,
    cal: WorkingCalendar,
) -> None:
    past = parse_row(db, cells, at, lambda col, msg: report.error(number, col, msg))
    if past is None:
        return
    if past.key in seen:
        report.error(number, "summary", f"Row {seen[past.key]} is the same call: keep one.")
        return
    earlier = db.execute("SELECT ref FROM calls WHERE submission_key = ?", [past.key]).fetchone()
    if earlier:
        report.error(number, "summary", f"This call was imported before, as {earlier[0]}.")
        return
    seen[past.key] = number
    note = f"Imported from a spreadsheet call log (row {number})."
    call_id = insert_past_call(db, past, user_id=user_id, at=at, cal=cal, note=note)
    ref = db.execute("SELECT ref FROM calls WHERE id = ?", [call_id]).fetchone()[0]
    report.changes.append(
        (
            number,
            "create",
            f"{ref} · {stamp(past.logged_at)[:16]} · "
            f"{past.caller_name} · {past.summary} · {past.status}",
        )
    )
    report.created += 1


def read_rows(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """The data rows by spreadsheet row number, or [] after reporting a bad header."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        report.error(1, "", "The file is empty. Start from the template's header row.")
        return []
    first = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=";" if ";" in first and "," not in first else ","
    )
    try:
        rows = list(reader)
    except csv.Error as exc:
        report.error(reader.line_num, "", f"This is not valid CSV ({exc}).")
        return []
    header = [column_name(h) for h in rows[0]]
    for name in header:
        if name and name not in KNOWN:
            report.error(
                1,
                name,
                "This column is not one the kit knows. Use: "
                + ", ".join(n for n, _, _ in COLUMNS)
                + ".",
            )
        elif name and header.count(name) > 1:
            report.error(1, name, "This column appears twice.")
    for name, required, _ in COLUMNS:
        if required and name not in header:
            report.error(1, name, "This column is missing: every row needs it.")
    records = [
        (n, {h: c.strip() for h, c in zip(header, cells, strict=False) if h})
        for n, cells in enumerate(rows[1:], start=2)
        if any(c.strip() for c in cells)
    ]
    if report.ok and not records:
        report.error(2, "", "There are no rows under the header row.")
    return records if report.ok else []


def template_csv() -> str:
    """The header row and one example row for the download link."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _, _ in COLUMNS])
    writer.writerow(
        [
            "2025-10-03 09:15",
            "Ann Teacher",
            "Printer or copier",
            "Office copier jams",
            "Tray 2",
            "Phone",
            "",
            "",
            "",
            "",
            "",
            "",
            "Closed",
            "2025-10-03 10:00",
            "2025-10-03 14:30",
            "2025-10-04 09:00",
            "Cleared the jam and replaced the roller",
            "OLD-117",
        ]
    )
    return out.getvalue()
