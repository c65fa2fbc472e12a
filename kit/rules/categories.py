"""What a category implies: the procedure's rule that the category decides the call's type,
its escalate-to group and its response level, and what a teaching space changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kit.rules.clock import WorkingCalendar, add_working_hours
from kit.rules.queue import TYPE_RANK

CALL_TYPES = tuple(TYPE_RANK)
TEACHING_SPACE_CATEGORY = "Teaching Space Technology"


@dataclass(frozen=True)
class Implications:
    call_type: str
    type_rank: int
    group_id: int
    response_level_id: int
    respond_hours: float
    resolve_hours: float


def implied_by(category: Mapping[str, Any], level: Mapping[str, Any]) -> Implications:
    """The type, group and response level a category sets (level is its response level row)."""
    return Implications(
        call_type=category["call_type"],
        type_rank=TYPE_RANK[category["call_type"]],
        group_id=category["group_id"],
        response_level_id=level["id"],
        respond_hours=float(level["respond_hours"]),
        resolve_hours=float(level["resolve_hours"]),
    )


def due_times(
    cal: WorkingCalendar, logged_at: datetime, imp: Implications
) -> tuple[datetime, datetime]:
    """When the response and the resolution are due, counted in the school's working hours."""
    return (
        add_working_hours(cal, logged_at, imp.respond_hours),
        add_working_hours(cal, logged_at, imp.resolve_hours),
    )


def teaching_space_summary(site: str, building: str, room: str) -> str:
    """The procedure's summary line, so the priority queue shows the room at a glance."""
    return f"Teaching space – {site} – {building} – {room}"
