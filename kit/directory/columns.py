"""The documented CSV columns of each kind, and how a cell becomes a value.

The upload page lists these columns and the downloadable templates are made from them,
so what the page promises and what the importer accepts cannot drift apart. A parser
raises ValueError with the sentence the person will read next to the row number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kit.directory.kinds import EMAIL_PATTERN
from kit.rules.categories import CALL_TYPES

_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}


def text(max_len: int) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if len(cell) > max_len:
            raise ValueError(f"Too long: at most {max_len} characters.")
        return cell

    return parse


def email(cell: str) -> str:
    if cell and (len(cell) > 200 or not EMAIL_PATTERN.match(cell)):
        raise ValueError(f"“{cell[:60]}” is not an email address.")
    return cell


def yes_no(cell: str) -> int | None:
    """1 or 0; None for an empty cell, so an update leaves the stored value alone."""
    word = cell.lower()
    if not word:
        return None
    if word in _YES:
        return 1
    if word in _NO:
        return 0
    raise ValueError("Write yes or no.")


def number(low: float, high: float, *, whole: bool = False) -> Callable[[str], float | int]:
    def parse(cell: str) -> float | int:
        try:
            value = int(cell) if whole else float(cell.replace(",", "."))
        except ValueError:
            raise ValueError(f"“{cell[:20]}” is not a {'whole ' if whole else ''}number.") from None
        if not low <= value <= high:
            raise ValueError(f"Use a number from {low:g} to {high:g}.")
        return value

    return parse


def iso_date(cell: str) -> str | None:
    """ISO dates (2026-09-01) or the UK spreadsheet form (01/09/2026), stored as ISO."""
    if not cell:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(cell, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"“{cell[:20]}” is not a date: write it as {date(2026, 9, 1).isoformat()}.")


def call_type(cell: str) -> str:
    for name in CALL_TYPES:
        if cell.lower() == name.lower():
            return name
    raise ValueError(f"Use one of {', '.join(CALL_TYPES)}.")


def names(cell: str) -> list[str]:
    """User names separated by semicolons or commas."""
    return [n.strip() for n in re.split(r"[;,]", cell) if n.strip()]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    required: bool = False
    example: str = ""
    help: str = ""


_T120 = text(120)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "people": (
        Column("name", _T120, True, "Ann Teacher", "the person's full name"),
        Column(
            "email",
            email,
            False,
            "ann.teacher@school.example",
            "matches an existing person to update",
        ),
        Column("phone", text(40), False, "214", "phone or extension"),
        Column("department", _T120, False, "Science"),
        Column("role", _T120, False, "Year 4 teacher", "their job"),
    ),
    "locations": (
        Column("site", _T120, True, "Main campus", "the site or campus"),
        Column("building", _T120, True, "Science block", "the building"),
        Column("room", _T120, True, "S12", "the room"),
        Column("teaching_space", yes_no, False, "yes", "yes if lessons happen there"),
    ),
    "equipment": (
        Column("asset_tag", text(40), True, "PRJ-0042", "the tag on the label; unique"),
        Column("type", text(80), True, "Projector", "what it is"),
        Column("make", text(80), False, "Epson"),
        Column("model", text(80), False, "EB-X49"),
        Column("serial", text(80), False, "X4KF123456"),
        Column(
            "site",
            _T120,
            False,
            "Main campus",
            "where it is: site, building and room of a location already in the kit",
        ),
        Column("building", _T120, False, "Science block"),
        Column("room", _T120, False, "S12"),
        Column("supplier", _T120, False, "AV Supplies Ltd"),
        Column("purchase_date", iso_date, False, "2024-09-01", "as 2024-09-01 or 01/09/2024"),
        Column("warranty_end", iso_date, False, "2027-08-31"),
    ),
    "groups": (
        Column("name", _T120, True, "Service Delivery", "the group's name"),
        Column(
            "tier",
            number(1, 3, whole=True),
            True,
            "2",
            "1 Service Desk, 2 Service Delivery, 3 Technology Integration",
        ),
        Column("team_leader", text(80), False, "jsmith", "the user name of an account"),
        Column("email", email, False, "delivery@school.example"),
        Column(
            "members",
            names,
            False,
            "jsmith; akhan",
            "user names of technician accounts, separated by semicolons; "
            "replaces the group's members",
        ),
    ),
    "categories": (
        Column("name", _T120, True, "Printer or copier", "the category's name"),
        Column("type", call_type, True, "Incident", "Incident, Maintenance or Request"),
        Column("group", _T120, True, "Service Delivery", "the escalate-to group's name"),
        Column("response_level", text(60), True, "Normal", "the response level's name"),
        Column("active", yes_no, False, "yes", "no retires it"),
    ),
    "response-levels": (
        Column("name", text(60), True, "Normal", "the level's name"),
        Column("respond_hours", number(0.1, 10000), True, "9", "respond within, working hours"),
        Column("resolve_hours", number(0.1, 10000), True, "27", "resolve within, working hours"),
        Column("rank", number(1, 99, whole=True), False, "3", "1 is the most urgent"),
    ),
}


def column_name(heading: str) -> str:
    """Header cells compared without case, spaces or hyphens ("Asset Tag" is asset_tag)."""
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


# How a row finds the record it updates, in the words the upload page uses.
MATCHED_BY = {
    "people": "email, or name when the row or the person has no email",
    "locations": "site, building and room together",
    "equipment": "asset tag",
    "groups": "name",
    "categories": "name",
    "response-levels": "name",
}
