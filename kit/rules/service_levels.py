"""Service levels met and breached: the one rule every report uses.

The review, the time-to-respond report, the governors' report and the monthly report all
ask this module, so a leader reading two of them for the same period reads the same
figures. The rule, stated once:

- Times are working hours on the school's working-day clock
  (`kit.rules.clock.working_hours_between`), leaving out every With Customer spell. Clock
  times are never compared directly: a call logged at 16:30 on a Friday and resolved at
  09:00 on Monday took half an hour.
- A call is resolved at its resolved time or, if it was closed without being resolved,
  its closed time. It is responded to at its first response or, when none was recorded
  (calls imported from a spreadsheet), when it was resolved.
- Met: finished within the response level's target (exactly on it counts as met).
  Breached: more working hours than the target, finished or not (a call still waiting is
  breached as soon as its hours so far pass the target). Pending: still waiting and
  within target. No target: the call's response level has no target for it (the school
  is still measuring its baseline).
- "Within target" as a share is met / (met + breached): pending calls are not judged yet.
- Baseline before targets: a call logged before the day the school's targets count from
  (`targets_from`) is measured but has no target: it is the baseline the targets are set
  against.

Pure: the caller passes the calendar and "now"; nothing here reads a clock or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kit.rules.clock import Interval, WorkingCalendar, as_datetime, working_hours_between

MET, BREACHED, PENDING, NO_TARGET = "met", "breached", "pending", "no target"
WHICH = ("respond", "resolve")


@dataclass(frozen=True)
class Timing:
    """One call's times on the working-day clock and whether its service levels were met."""

    call_id: int
    respond_hours: float
    resolve_hours: float
    respond_state: str
    resolve_state: str
    responded: bool
    resolved: bool


def sla_state(elapsed: float, target: float | None, finished: bool) -> str:
    """MET, BREACHED, PENDING or NO_TARGET for `elapsed` working hours against `target`."""
    if target is None:
        return NO_TARGET
    if elapsed > target:
        return BREACHED
    return MET if finished else PENDING


def targets_apply(logged: datetime, targets_from: date | None) -> bool:
    """Is a call logged at `logged` judged against targets (not part of the baseline)?"""
    return targets_from is None or logged.date() >= targets_from


def measure(
    call: Mapping[str, Any],
    pauses: Iterable[tuple[Any, Any]],
    cal: WorkingCalendar,
    now: datetime,
    targets_from: date | None = None,
) -> Timing:
    """Working hours to respond and to resolve for one call, and their service-level state.

    Reads logged_at, responded_at, resolved_at, closed_at, respond_hours, resolve_hours
    (the targets; None for none). A pause still running ends at the resolution, or now.
    A call logged before `targets_from` is baseline: measured, with no target.
    """
    logged = as_datetime(call["logged_at"])
    judged = targets_apply(logged, targets_from)
    resolved = as_datetime(call.get("resolved_at")) or as_datetime(call.get("closed_at"))
    responded = as_datetime(call.get("responded_at")) or resolved
    until = resolved or now
    spells: list[Interval] = [(as_datetime(a), as_datetime(b) or until) for a, b in pauses]
    respond = working_hours_between(cal, logged, responded or now, spells)
    resolve = working_hours_between(cal, logged, until, spells)
    return Timing(
        call_id=call["id"],
        respond_hours=respond,
        resolve_hours=resolve,
        respond_state=sla_state(
            respond, _hours(call.get("respond_hours")) if judged else None, responded is not None
        ),
        resolve_state=sla_state(
            resolve, _hours(call.get("resolve_hours")) if judged else None, resolved is not None
        ),
        responded=responded is not None,
        resolved=resolved is not None,
    )


def _hours(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Tally:
    """How many responses (or resolutions) were met, breached, pending, or had no target."""

    met: int = 0
    breached: int = 0
    pending: int = 0
    no_target: int = 0

    @property
    def judged(self) -> int:
        """Met or breached: the calls a share "within target" is taken of."""
        return self.met + self.breached

    @property
    def share(self) -> float | None:
        """Percent met of those judged, unrounded; None when none is judged yet."""
        return 100 * self.met / self.judged if self.judged else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON, for a saved review that keeps the figures it was written against."""
        share = self.share
        return {
            "met": self.met,
            "breached": self.breached,
            "pending": self.pending,
            "no_target": self.no_target,
            "judged": self.judged,
            "pct": None if share is None else round(share, 1),
        }


def tally(timings: Iterable[Timing], which: str) -> Tally:
    """Count the states of "respond" or "resolve" over some calls' timings."""
    if which not in WHICH:
        raise ValueError(f"which is one of {WHICH}, got {which!r}")
    states = [getattr(t, f"{which}_state") for t in timings]
    return Tally(
        met=states.count(MET),
        breached=states.count(BREACHED),
        pending=states.count(PENDING),
        no_target=states.count(NO_TARGET),
    )
