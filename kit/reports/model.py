"""What a report is, whatever shows it: headline figures, charts, tables and notes.

Each report module builds a `Report`; the web page, the PDF and the CSV all read the same
object, so the three can never disagree about a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
