"""What a report is, whatever shows it: headline figures, charts, tables and notes.

Each report module builds a `Report`; the web page, the PDF and the CSV all read the same
object, so the three can never disagree about a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

FIXED_LAYOUT_ROWS = 60  # from this many rows a printed table gets fixed column widths
WIDEST_CELL = 40  # characters: a longer cell wraps within its column's share


@dataclass
class Chart:
    """A chart drawn on the server: SVG markup made by `kit.reports.charts` only."""

    title: str
    svg: str
    style_hashes: tuple[str, ...] = ()


@dataclass
class Table:
    """The numbers behind a chart, or a list; `numeric` columns are aligned right."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    numeric: frozenset[int] = frozenset()
    empty: str = "Nothing in this range."
    links: dict[int, str] = field(default_factory=dict)  # row index -> URL for the first cell
    chart: Chart | None = None  # drawn just above the table (a report laid out by section)

    def pdf_widths(self) -> list[float] | None:
        """Each column's share of the printed width (per cent), for a long table; None for
        a short one, which WeasyPrint lays out by its content.

        WeasyPrint's automatic table layout measures every row again for every page: the
        500-row outstanding list took 11 s (10 s of CPU, 16 pages), most of it there, and over
        two minutes on a busy server. A fixed layout with widths from the longest cell of
        each column (a long summary capped, so it wraps) costs a fraction of that.
        """
        if len(self.rows) < FIXED_LAYOUT_ROWS:
            return None
        weights = []
        for i, column in enumerate(self.columns):
            cells = (len(str(row[i])) for row in self.rows if i < len(row))
            longest_word = max((len(w) for w in column.split()), default=1)
            weights.append(max(min(max(cells, default=1), WIDEST_CELL), longest_word) + 2)
        total = sum(weights)
        return [round(100 * w / total, 1) for w in weights]


@dataclass
class Report:
    name: str
    title: str
    intro: str = ""
    headline: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period: str = ""

    def style_hashes(self) -> list[str]:
        charts = [*self.charts, *(t.chart for t in self.tables if t.chart)]
        return [h for chart in charts for h in chart.style_hashes]

    def csv_rows(self) -> Iterator[list[Any]]:
        """Every table one after another: a title row, the header, the rows, a blank row."""
        yield [self.title, self.period]
        for label, value in self.headline:
            yield [label, value]
        yield []
        for table in self.tables:
            yield [table.title]
            yield list(table.columns)
            yield from table.rows
            yield []


def show_time(value: str | None) -> str:
    """A stored time as people read it ("23 Nov 2026 09:30"); a dash when not set."""
    if not value:
        return "—"
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return f"{moment:%d %b %Y}"
    return f"{moment:%d %b %Y %H:%M}"


def hours(minutes: int | float | None) -> str:
    """Minutes as hours with two decimals, for tables of time recorded."""
    return f"{(minutes or 0) / 60:.2f}"
