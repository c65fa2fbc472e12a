"""Times of day as people write them, read into the 24-hour "HH:MM" the kit stores.

A school office writes "16:30", "4.30pm", "4:30 pm", "4pm", "4 p.m.", "0830", "8.30" or
"noon". Without am/pm a time is read on the 24-hour clock ("4.30" is 04:30), never guessed.
Anything else, and impossible times ("25:00", "13pm", "4.75"), raise ValueError with an
example, so the form can say what to write. The input is cut at 20 characters before it is
read, so the cost is bounded whatever is typed. No Flask here.
"""

from __future__ import annotations

import re

MAX_LENGTH = 20
EXAMPLE = "Write a time such as 08:30, 16:30 or 4.30pm."

_WORDS = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
_PATTERN = re.compile(
    r"(?P<hour>\d{1,2})"
    r"(?:\s*[:.h]\s*(?P<minute>\d{2}))?"
    r"(?::00)?"
    r"\s*(?P<half>a\.?\s*m\.?|p\.?\s*m\.?)?",
    re.IGNORECASE,
)
_DIGITS_ONLY = re.compile(r"(?P<hour>\d{1,2})(?P<minute>\d{2})")  # 0830, 830, 1630


def parse_time_of_day(text: str) -> str:
    """ "HH:MM" for a time of day however it is commonly written; ValueError otherwise."""
    cleaned = " ".join(str(text)[:MAX_LENGTH].split()).lower()
    if cleaned in _WORDS:
        return _WORDS[cleaned]
    digits = _DIGITS_ONLY.fullmatch(cleaned)
    match = digits or _PATTERN.fullmatch(cleaned)
    if not match:
        raise ValueError(EXAMPLE)
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match.groupdict().get("half") or "").replace(".", "").replace(" ", "")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"With am or pm the hour is 1 to 12. {EXAMPLE}")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(EXAMPLE)
    return f"{hour:02d}:{minute:02d}"


def spoken(hhmm: str) -> str:
    """ "16:30" as a school says it ("4.30pm"), for hints beside a stored time."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}{f'.{minute:02d}' if minute else ''}{suffix}"
