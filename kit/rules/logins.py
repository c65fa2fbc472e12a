"""Sign-in limits: when failed logins lock an account (or a network address), and for how long.

The rule: once `limit` failed logins fall within one `window` (the last one at `now`), the
key is locked for a whole `window` from `now`, and the failures that caused it are spent.
While locked, logins are refused before any password is checked, and are not counted again.
Successful logins never count. An account is keyed on its user name as the login form
reads it: trimmed and case-folded, so " Coordinator" and "coordinator " share one count.

Edges: a failure exactly `window` old has left the window (half-open: (now - window, now]);
a lock ends exactly at its `until` time; the seconds left are rounded up, never 0 while
locked, so a `Retry-After` never tells a browser to retry while still locked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

MAX_NAME = 80


def account_key(username: str | None) -> str:
    """The user name as every login counts it: trimmed, case-folded, bounded."""
    return (username or "").strip().casefold()[:MAX_NAME]


def failures_in_window(failures: Iterable[datetime], now: datetime, window: timedelta) -> int:
    return sum(1 for at in failures if now - window < at <= now)


def lock_after_failure(
    failures: Iterable[datetime], now: datetime, *, limit: int, window: timedelta
) -> datetime | None:
    """The end of the lock this failure starts (`failures` includes it), or None."""
    if limit < 1:
        raise ValueError("a login limit is at least one attempt")
    if failures_in_window(failures, now, window) >= limit:
        return now + window
    return None


def is_locked(until: datetime | None, now: datetime) -> bool:
    return until is not None and now < until


def seconds_left(until: datetime, now: datetime) -> int:
    """Whole seconds until the lock ends, rounded up (at least 1 while locked)."""
    return max(1, math.ceil((until - now).total_seconds()))
