"""One row of a spreadsheet call log checked and turned into a `PastCall`.

Each problem is reported against its column in words the person can act on; a row with
any problem gives None and nothing is imported (see `kit.reports.call_import`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kit.calls.forms import CHANNELS
from kit.db import stamp
from kit.reports.call_import_lookups import Lookups
from kit.rules import lifecycle as lc
from kit.rules.procedure import channel_named

Problem = Callable[[str, str], None]

# (column, required, what to write): the upload page lists these.
COLUMNS = (
    ("logged", True, "When the call was logged: 2025-10-03 09:15 or 03/10/2025 09:15."),
    ("caller", True, "Who reported it."),
    ("category", True, "One of the kit's categories, by name."),
    ("summary", True, "The one-line summary (at most 200 characters)."),
    ("details", False, "Anything else written about the call."),
    ("channel", False, f"How it came in: {', '.join(CHANNELS)}. Empty means Other."),
    ("caller_email", False, "The caller's email address."),
    ("site", False, "With building and room: where the fault was."),
    ("building", False, "See site."),
    ("room", False, "See site."),
    ("asset_tag", False, "The equipment's asset tag, already in the kit."),
    ("owner", False, "The user name of the kit account that owned the call."),
    ("status", False, "Logged, Assigned, In Progress, Resolved or Closed. Empty means Closed."),
    ("responded", False, "When the caller first got a response."),
    ("resolved", False, "When it was resolved."),
    ("closed", False, "When it was closed (needed for Closed, or the resolved time is used)."),
    ("resolution", False, "How it was resolved."),
    ("old_reference", False, "The reference in the old call log, kept in the details."),
)
KNOWN = {name for name, _, _ in COLUMNS}
STATUSES = (lc.LOGGED, lc.ASSIGNED, lc.IN_PROGRESS, lc.RESOLVED, lc.CLOSED)
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)
MAX_TEXT = {
    "summary": 200,
    "caller": 120,
    "details": 5000,
    "resolution": 2000,
    "caller_email": 200,
    "old_reference": 40,
}


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


@dataclass
class PastCall:
    """A call from an old call log, checked: names already turned into ids."""

    logged_at: datetime
    caller_name: str
    category_id: int
    summary: str
    details: str = ""
    channel: str = "Other"
    caller_id: int | None = None
    caller_email: str = ""
    location_id: int | None = None
    equipment_id: int | None = None
    assignee_id: int | None = None
    status: str = lc.CLOSED
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution_summary: str = ""

    @functools.cached_property
    def key(self) -> str:
        """The same call imported twice has the same key (the calls' unique submission key)."""
        text = "|".join(
            [
                stamp(self.logged_at),
                self.caller_name.lower(),
                str(self.category_id),
                self.summary.lower(),
            ]
        )
        return "import:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _read(cell: str, pattern: str) -> datetime:
    """strptime, with the usual ISO spelling read at once (strptime is slow, and a
    10,000-row import reads 40,000 times)."""
    if pattern == TIME_FORMATS[0] and ISO_TIME.fullmatch(cell):
        return datetime.fromisoformat(cell)
    return datetime.strptime(cell, pattern)


def parse_time(cell: str) -> datetime | None:
    """A time as spreadsheets write it (ISO or UK day/month/year); None for an empty cell."""
    if not cell:
        return None
    for pattern in TIME_FORMATS:
        try:
            moment = _read(cell, pattern)
        except ValueError:
            continue
        if not 1990 <= moment.year <= 2999:
            raise ValueError("Use a date between 1990 and 2999.")
        return moment
    raise ValueError(f"“{cell[:30]}” is not a date and time: write it as 2025-10-03 09:15.")


def parse_row(
    lookups: Lookups, cells: dict[str, str], now: datetime, problem: Problem
) -> PastCall | None:
    """The row as a PastCall, or None after calling `problem(column, message)` for each fault."""
    faults: list[str] = []

    def report(column: str, message: str) -> None:
        faults.append(column)
        problem(column, message)

    _check_text(cells, report)
    times = _times(cells, now, report)
    category = _category(lookups, cells.get("category", ""), report)
    channel = _channel(cells.get("channel", ""), report)
    status = _status(cells.get("status", ""), times, report)
    places = _places(lookups, cells, report)
    owner = _owner(lookups, cells.get("owner", ""), report)
    if faults:
        return None
    caller = lookups.person(cells["caller"])
    return PastCall(
        logged_at=times["logged"],
        caller_name=cells["caller"],
        category_id=category,
        summary=cells["summary"],
        details=_details(cells),
        channel=channel,
        caller_id=caller["id"] if caller else None,
        caller_email=cells.get("caller_email") or (caller["email"] if caller else ""),
        location_id=places[0],
        equipment_id=places[1],
        assignee_id=owner,
        status=status,
        responded_at=times["responded"],
        resolved_at=times["resolved"],
        closed_at=times["closed"] or (times["resolved"] if status == lc.CLOSED else None),
        resolution_summary=cells.get("resolution", ""),
    )


def _details(cells: dict[str, str]) -> str:
    """The details, with the old call log's reference kept at the end."""
    parts = [cells.get("details", ""), ""]
    if cells.get("old_reference"):
        parts[1] = f"Reference in the old call log: {cells['old_reference']}"
    return "\n\n".join(p for p in parts if p)


def _check_text(cells: dict[str, str], report: Problem) -> None:
    for name, required, help_text in COLUMNS:
        if required and not cells.get(name):
            report(name, f"This cell is empty. {help_text}")
        elif len(cells.get(name, "")) > MAX_TEXT.get(name, 10_000):
            report(name, f"Too long: at most {MAX_TEXT[name]} characters.")


def _times(cells: dict[str, str], now: datetime, report: Problem) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in ("logged", "responded", "resolved", "closed"):
        try:
            found[name] = parse_time(cells.get(name, ""))
        except ValueError as exc:
            report(name, str(exc))
            found[name] = None
            continue
        if found[name] and found[name] > now:
            report(name, "This time is in the future.")
    logged = found["logged"]
    for name, label in (("responded", "responded"), ("resolved", "resolved"), ("closed", "closed")):
        if logged and found[name] and found[name] < logged:
            report(name, f"The call cannot be {label} before it was logged.")
    if found["resolved"] and found["closed"] and found["closed"] < found["resolved"]:
        report("closed", "The call cannot be closed before it was resolved.")
    return found


def _status(cell: str, times: dict[str, Any], report: Problem) -> str:
    status = next((s for s in STATUSES if s.lower() == cell.lower()), None) if cell else lc.CLOSED
    if status is None:
        report("status", f"Use one of {', '.join(STATUSES)}.")
        return lc.CLOSED
    if status == lc.RESOLVED and not times["resolved"]:
        report("resolved", "A Resolved call needs the time it was resolved.")
    elif status == lc.CLOSED and not (times["closed"] or times["resolved"]):
        report("closed", "A Closed call needs the time it was closed or resolved.")
    elif status in lc.OPEN_STATUSES and (times["resolved"] or times["closed"]):
        report("status", f"A call still {status} cannot have been resolved or closed.")
    return status


def _category(lookups: Lookups, name: str, report: Problem) -> int | None:
    if not name:
        return None
    if name.lower() in lookups.categories:
        return lookups.categories[name.lower()]
    report("category", f"No category “{name[:60]}”: use a name from the categories list.")
    return None


def _channel(cell: str, report: Problem) -> str:
    if not cell:
        return "Other"
    found = channel_named(cell)  # older names ("Face to face") still read
    if found is None:
        report("channel", f"Use one of {', '.join(CHANNELS)}.")
    return found or "Other"


def _places(
    lookups: Lookups, cells: dict[str, str], report: Problem
) -> tuple[int | None, int | None]:
    location_id = equipment_id = None
    place = [cells.get(k, "") for k in ("site", "building", "room")]
    if any(place) and not all(place):
        report("room", "Give site, building and room together, or leave all three empty.")
    elif any(place):
        location = lookups.location(*place)
        if location is None:
            report("room", f"No location “{' / '.join(place)[:80]}”: add it first.")
        else:
            location_id = location["id"]
    if cells.get("asset_tag"):
        item = lookups.equipment(cells["asset_tag"])
        if item is None:
            report("asset_tag", f"No equipment has the asset tag “{cells['asset_tag'][:40]}”.")
        else:
            equipment_id = item["id"]
            location_id = location_id or item["location_id"]
    return location_id, equipment_id


def _owner(lookups: Lookups, username: str, report: Problem) -> int | None:
    if not username:
        return None
    row = lookups.account(username)
    if row is None:
        report("owner", f"No account has the user name “{username[:60]}”.")
        return None
    return row["id"]
