"""Priority in school terms: impact and urgency as a school sees them.

The category sets the default response level (the procedure's rule). The desk may raise
it — never lower it here — by impact (whole school > a class or department > one person)
and urgency (a lesson happening now > today > can wait), through a matrix the school can
edit. On inspection days and in exam periods teaching-space and exam calls get the top
level, and a safeguarding concern gets the top level on any day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

IMPACTS = ("Whole school", "A class or department", "One person")
URGENCIES = ("A lesson is happening now", "Today", "Can wait")

# Rank of the response level (1 = most urgent) for each impact and urgency.
DEFAULT_MATRIX: dict[str, dict[str, int]] = {
    "Whole school": {"A lesson is happening now": 1, "Today": 1, "Can wait": 2},
    "A class or department": {"A lesson is happening now": 1, "Today": 2, "Can wait": 3},
    "One person": {"A lesson is happening now": 2, "Today": 3, "Can wait": 4},
}


def validate_matrix(matrix: Mapping[str, Mapping[str, int]], ranks: Iterable[int]) -> list[str]:
    """Problems with an edited matrix, in plain words (empty when it is usable)."""
    allowed = set(ranks)
    problems = []
    for impact in IMPACTS:
        row = matrix.get(impact)
        if row is None:
            problems.append(f"The row “{impact}” is missing.")
            continue
        for urgency in URGENCIES:
            value = row.get(urgency)
            if value not in allowed:
                problems.append(f"“{impact}” / “{urgency}” must be one of the response levels.")
    return problems


def matrix_rank(matrix: Mapping[str, Mapping[str, int]], impact: str, urgency: str) -> int:
    try:
        return int(matrix[impact][urgency])
    except KeyError:
        raise ValueError(f"Unknown impact or urgency: {impact!r}, {urgency!r}") from None


def raised_rank(default_rank: int, matrix_rank_value: int | None) -> int:
    """The rank to use: the matrix may raise the category's level, never lower it."""
    if matrix_rank_value is None:
        return default_rank
    return min(default_rank, matrix_rank_value)


def override_rank(default_rank: int, *, safeguarding: bool, top_rank: int = 1) -> int:
    """A safeguarding concern (a child at risk, inappropriate content, a filtering failure)
    goes to the top level whatever the matrix says; otherwise the rank is unchanged."""
    return top_rank if safeguarding else default_rank


def starting_values(matrix: Mapping[str, Mapping[str, int]], rank: int | None) -> tuple[str, str]:
    """The impact and urgency a raise form starts at for a call now at `rank`: the mildest
    cell of the matrix that gives that rank, else the mildest cell of all."""
    for impact in reversed(IMPACTS):
        for urgency in reversed(URGENCIES):
            if matrix.get(impact, {}).get(urgency) == rank:
                return impact, urgency
    return IMPACTS[-1], URGENCIES[-1]


def special_day(today: date, special_periods: Iterable[tuple[date, date]]) -> bool:
    """Is today an inspection day or inside an exam period (inclusive ranges)?"""
    return any(start <= today <= end for start, end in special_periods)


def special_day_rank(
    default_rank: int,
    *,
    teaching_space: bool,
    exam_room: bool,
    today: date,
    special_periods: Iterable[tuple[date, date]],
    top_rank: int = 1,
) -> int:
    """On inspection days and exam periods, teaching-space and exam-room calls go to the top."""
    if (teaching_space or exam_room) and special_day(today, special_periods):
        return top_rank
    return default_rank
