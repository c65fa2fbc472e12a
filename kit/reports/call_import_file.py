"""The file a school imports its past calls from: a CSV in the template's columns.

Reading it (a byte-order mark, commas or semicolons, a header checked against the known
columns, rows numbered as a spreadsheet counts them) and the template to start from. What
each row means is checked in `kit.reports.call_import_rows`; keeping the calls is
`kit.reports.call_import`.
"""

from __future__ import annotations

import csv
import io

from kit.directory.columns import column_name
from kit.directory.importer import ImportReport, csv_rows
from kit.reports.call_import_rows import COLUMNS, KNOWN


def read_rows(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """The data rows by spreadsheet row number, or [] after reporting a bad header."""
    rows = csv_rows(text, report)
    if not rows:
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
