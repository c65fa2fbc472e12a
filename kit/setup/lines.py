"""Reading dates and date ranges as people type them, one per line.

Term dates and school holidays are typed into a box, one per line, in ISO form
(2026-09-03) or as a UK spreadsheet writes them (03/09/2026). A bad line is named by its
number and its text, so the person can find it. No Flask here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_RANGE = re.compile(r"^(?P<a>\S+)(?:\s+(?:to|-|–|—)\s+(?P<b>\S+))?$", re.IGNORECASE)


def parse_date(text: str) -> date:
    """2026-09-03 or the UK spreadsheet form 03/09/2026."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{text[:20]}” is not a date: write it as 2026-09-03.")


def parse_range(text: str) -> list[str]:
    """[first, last] as ISO dates from "first to last" or one date; ValueError in words."""
    match = _RANGE.match(text.strip())
    if not match:
        raise ValueError("write it as 2026-10-26 to 2026-10-30")
    first = parse_date(match["a"])
    last = parse_date(match["b"]) if match["b"] else first
    if last < first:
        raise ValueError(f"it ends ({last}) before it starts ({first})")
    if (last - first).days > 366:
        raise ValueError("it is longer than a year")
    return [first.isoformat(), last.isoformat()]


def _numbered(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line.strip()


def parse_ranges(text: str) -> list[list[str]]:
    """One "first to last" (or a single date) per line; ValueError names the bad line."""
    ranges = []
    for number, line in _numbered(text):
        try:
            ranges.append(parse_range(line))
        except ValueError as exc:
            raise ValueError(f"Line {number} (“{line[:60]}”): {lower_first(exc)}.") from None
    return ranges


def parse_terms(text: str) -> list[dict[str, str]]:
    """One "Name: first to last" per line; ValueError names the bad line."""
    terms = []
    for number, line in _numbered(text):
        name, colon, dates = line.rpartition(":")
        try:
            if not colon or not name.strip():
                raise ValueError(
                    "write the term's name, a colon, then its dates, for example "
                    "Autumn 2026: 2026-09-03 to 2026-12-18"
                )
            first, last = parse_range(dates)
        except ValueError as exc:
            raise ValueError(f"Line {number} (“{line[:60]}”): {lower_first(exc)}.") from None
        terms.append({"name": name.strip(), "start": first, "end": last})
    return terms


def lower_first(exc: Exception) -> str:
    text = str(exc).rstrip(".")
    return text[:1].lower() + text[1:]
