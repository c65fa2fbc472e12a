"""Call references: short enough to read over the phone, unique, in order.

A reference is the two-digit year and a sequence number within it, e.g. "26-0042"
("twenty-six, oh-oh-four-two"). The sequence grows past four digits when a school needs it.
"""

from __future__ import annotations

import re

_REF = re.compile(r"^\s*(\d{2})\s*[-/ ]?\s*(\d{1,9})\s*$")


def format_ref(year: int, seq: int) -> str:
    """The reference for the `seq`-th call of `year` (full year, e.g. 2026)."""
    if seq < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{year % 100:02d}-{seq:04d}"


def parse_ref(text: str) -> tuple[int, int] | None:
    """(two-digit year, sequence) for a reference typed as heard ("26 42", "26-0042")."""
    match = _REF.match(text or "")
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def normalise_ref(text: str) -> str | None:
    """The stored form of a typed reference, or None when it is not one."""
    parsed = parse_ref(text)
    if parsed is None:
        return None
    return f"{parsed[0]:02d}-{parsed[1]:04d}"
