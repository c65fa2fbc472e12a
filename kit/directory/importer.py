"""CSV import of reference data: all rows or none, with every bad row named.

A school's first week is spent typing its staff list, rooms and asset register into the
kit; this turns the spreadsheets they already have into rows. `import_csv` checks every
row on a private copy of the directory and keeps the changes only when no row is bad, so
a file is never half imported; a dry run only checks, which is what the upload page's
preview shows. Row numbers are as a spreadsheet counts them: the header
is row 1. No Flask here: the `kit import` command calls `import_csv` too.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from kit.directory import admin_store, import_store
from kit.directory.columns import COLUMNS
from kit.directory.headers import join_name, plan_header
from kit.directory.kinds import KINDS as KIND_INFO
from kit.directory.resolve import RESOLVERS, find_existing, label

KINDS = tuple(COLUMNS)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run or with errors, would have done).

    `errors` holds (row number, column, message); when it is not empty nothing was kept.
    `changes` holds (row number, "create" or "update", what the row is) for the preview.
    """

    kind: str
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    changes: list[tuple[int, str, str]] = field(default_factory=list)
    imported: bool = False
    # Each heading of the file and what it became ("name (the person's full name)",
    # "not imported"), for the preview.
    columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append((row, column, message))


def import_csv(
    db: Database,
    kind: str,
    text: str,
    *,
    dry_run: bool,
    progress: Callable[[list], Iterable] | None = None,
) -> ImportReport:
    """Create or update `kind` rows from CSV text; nothing is kept unless every row is good.

    Rows matching an existing record by natural key (person email or name, site +
    building + room, asset tag, group, category or level name) update it. Every row is
    checked first on a private copy of the directory (no write lock held); only a file
    with no bad row is then written, in short batches that are undone if the import fails
    (`kit.directory.import_store`). `progress` wraps the rows as they are checked (`kit
    import` shows a progress bar).
    """
    kind = kind.strip().lower().replace("_", "-")
    if kind not in COLUMNS:
        raise ValueError(f"Unknown kind {kind!r}: use one of {', '.join(KINDS)}.")
    report = ImportReport(kind)
    records = _read(kind, text, report)
    if not report.ok:
        return report
    import_store.undo_unfinished(db)
    changes: list[import_store.Change] = []
    with import_store.scratch_copy(db) as copy:
        seen: dict[Any, int] = {}
        for number, cells in progress(records) if progress else records:
            _import_row(copy, kind, number, cells, report, seen, changes)
    if dry_run or not report.ok:
        return report
    import_store.apply(db, kind, changes)
    report.imported = True
    return report


def csv_rows(text: str, report: ImportReport) -> list[list[str]]:
    """An uploaded CSV's rows, header first, as a spreadsheet saved it (a byte-order mark,
    commas or semicolons); [] after reporting an empty file or one that is not CSV.

    csv.reader rather than DictReader: DictReader skips blank lines, so its count would
    drift from the row numbers the person sees in their spreadsheet.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        report.error(1, "", "The file is empty. Start from the template's header row.")
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        report.error(reader.line_num, "", f"This is not valid CSV ({exc}).")
        return []


def _read(kind: str, text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """The data rows with their spreadsheet row numbers, or [] after reporting a bad header."""
    rows = csv_rows(text, report)
    if not rows:
        return []
    plan = plan_header(kind, rows[0])
    report.columns = plan.shown
    for heading, message in plan.problems:
        report.error(1, heading, message)
    if not report.ok:
        return []
    header, unnamed = plan.columns, [not h.strip() for h in rows[0]]
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        stray = cells[len(header) :] + [c for c, u in zip(cells, unnamed, strict=False) if u]
        if any(c.strip() for c in stray):
            report.error(
                number, "", "This row has a value in a column with no name in the header row."
            )
            continue
        record = {h: c for h, c in zip(header, cells, strict=False) if h}
        join_name(record)
        records.append((number, record))
    if not records and report.ok:
        report.error(2, "", "There are no rows under the header row.")
    return records


def _parse(
    kind: str, number: int, cells: dict[str, str], report: ImportReport
) -> dict[str, Any] | None:
    """Each present cell checked and converted; None after reporting every bad cell."""
    values: dict[str, Any] = {}
    bad = False
    for column in COLUMNS[kind]:
        if column.name not in cells:
            continue
        cell = cells[column.name].strip()
        if not cell and column.required:
            report.error(
                number, column.name, f"This cell is empty; every row needs {column.help or 'it'}."
            )
            bad = True
            continue
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            report.error(number, column.name, str(exc))
            bad = True
    return None if bad else values


def _import_row(
    db: Database,
    kind: str,
    number: int,
    cells: dict[str, str],
    report: ImportReport,
    seen: dict[Any, int],
    changes: list[import_store.Change],
) -> None:
    """Check one row and write it to the copy the file is checked on; `changes` gets what
    the school's database is to be given."""
    values = _parse(kind, number, cells, report)
    if values is None:
        return
    record = RESOLVERS[kind](db, values, lambda col, msg: report.error(number, col, msg))
    if record is None:
        return
    members = record.pop("_members", None)
    existing = find_existing(db, kind, record, lambda col, msg: report.error(number, col, msg))
    if existing is False:
        return
    marks = [_natural_key(kind, record)] + ([("id", existing["id"])] if existing else [])
    earlier = next((seen[m] for m in marks if m in seen), None)
    if earlier is not None:
        report.error(
            number,
            COLUMNS[kind][0].name,
            f"Row {earlier} is about the same {KIND_INFO[kind].one}: keep one of the two rows.",
        )
        return
    try:
        row_id = _write(db, kind, record, existing, members)
    except sqlite3.IntegrityError as exc:
        report.error(number, "", f"This row could not be saved ({exc}).")
        return
    changes.append(import_store.Change(existing["id"] if existing else None, record, members))
    for mark in [*marks, ("id", row_id)]:
        seen[mark] = number
    action = "update" if existing else "create"
    report.changes.append((number, action, label(kind, {**(existing or {}), **record})))
    if existing:
        report.updated += 1
    else:
        report.created += 1


def _write(
    db: Database,
    kind: str,
    record: dict[str, Any],
    existing: dict[str, Any] | None,
    members: list[int] | None,
) -> int:
    if existing:
        admin_store.update(db, kind, existing["id"], record)
        row_id = existing["id"]
    else:
        row_id = admin_store.insert_plain(db, kind, record)
    if members is not None:
        admin_store.set_members(db, row_id, members)
    return row_id


def _natural_key(kind: str, record: dict[str, Any]) -> tuple[str, ...]:
    if kind == "people":
        return ("person", (record.get("email") or record["name"]).lower())
    if kind == "locations":
        return tuple(record[k].lower() for k in ("site", "building", "room"))
    if kind == "equipment":
        return ("tag", record["asset_tag"].lower())
    return ("name", record["name"].lower())


def template_csv(kind: str) -> str:
    """The header row and one example row, for the downloadable template."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS[kind]])
    writer.writerow([c.example for c in COLUMNS[kind]])
    return out.getvalue()
