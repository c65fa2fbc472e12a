"""Checking school settings: one set of checks for the page, the wizard and `kit settings`.

`check(key, value)` takes a setting's value as it is stored (JSON types) and returns it
tidied (dates sorted, codes upper-case) or raises ValueError with the sentence the person
reads next to the field. `check_together` catches what no single value shows (a day that
ends before it starts). `from_text` turns what was typed on the page into a value first,
naming the line at fault in multi-line fields (see `kit.setup.lines`). No Flask here.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import holidays

from kit.directory.kinds import EMAIL_PATTERN
from kit.rules import times
from kit.setup.lines import lower_first, parse_date, parse_range, parse_ranges, parse_terms
from kit.setup.specs import Spec, spec_for, subdivisions

MAX_ROWS = 100  # terms, holiday ranges, sites: far more than any school has


def check(key: str, value: Any) -> Any:
    """The value tidied, or ValueError saying what is wrong with it."""
    spec = spec_for(key)
    return _CHECKS[spec.kind](spec, value)


def check_together(values: dict[str, Any]) -> dict[str, str]:
    """Problems between settings, keyed by the setting the message belongs to."""
    problems: dict[str, str] = {}
    start, end = values.get("day_start"), values.get("day_end")
    if start and end and start >= end:
        problems["day_end"] = f"The working day must end after it starts ({start})."
    country, region = values.get("holiday_country"), values.get("holiday_subdivision")
    if region and not country:
        problems["holiday_subdivision"] = "Choose a country first, or leave the region empty."
    elif region and country:
        known = subdivisions(country)
        if region not in known:
            problems["holiday_subdivision"] = _region_message(region, country, known)
    terms = values.get("terms") or []
    for before, after in zip(terms, terms[1:], strict=False):
        if after["start"] <= before["end"]:
            problems["terms"] = f"“{before['name']}” and “{after['name']}” overlap."
    return problems


def _region_message(region: str, country: str, known: dict[str, str]) -> str:
    if not known:
        return f"The kit knows no regions for {country}: leave the region empty."
    listed = ", ".join(f"{code} ({name})" if name != code else code for code, name in known.items())
    return f"“{region}” is not a region of {country}. Use one of: {listed}."


def from_text(spec: Spec, raw: Any) -> Any:
    """What a form field gave (text, ticks) as the setting's value, before `check`."""
    if spec.kind in ("text", "email", "url", "date", "time", "country", "subdivision", "choice"):
        return (raw or "").strip()
    if spec.kind == "lines":
        return [line.strip() for line in (raw or "").splitlines() if line.strip()]
    if spec.kind == "ranges":
        return parse_ranges(raw or "")
    if spec.kind == "terms":
        return parse_terms(raw or "")
    if spec.kind == "int":
        text = str(raw if raw is not None else "").strip()
        if not re.fullmatch(r"-?\d{1,9}", text):
            raise ValueError(f"Type a whole number from {spec.low} to {spec.high}.")
        return int(text)
    if spec.kind == "bool":
        return bool(raw)
    if spec.kind == "days":
        return [int(d) for d in raw or []]
    if spec.kind == "picks":
        return [str(v) for v in raw or []]
    raise ValueError("This setting cannot be typed here.")


def to_text(spec: Spec, value: Any) -> Any:
    """A stored value as its form field shows it (the inverse of `from_text`)."""
    if spec.kind == "lines":
        return "\n".join(value or [])
    if spec.kind == "ranges":
        return "\n".join(a if a == b else f"{a} to {b}" for a, b in value or [])
    if spec.kind == "terms":
        return "\n".join(f"{t['name']}: {t['start']} to {t['end']}" for t in value or [])
    if spec.kind == "int":
        return str(value)
    return value


# --- one check per kind of setting ------------------------------------------------------


def _text(spec: Spec, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("Write text here.")
    value = value.strip()
    if spec.required and not value:
        raise ValueError(f"Type the {spec.label.lower()}.")
    if len(value) > spec.max_len or "\n" in value:
        raise ValueError(f"Keep it to one line of at most {spec.max_len} characters.")
    return value


def _email(spec: Spec, value: Any) -> str:
    value = _text(spec, value)
    if value and not EMAIL_PATTERN.match(value):
        raise ValueError(f"“{value[:60]}” is not an email address.")
    return value


def _lines(spec: Spec, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("Give a list of names.")
    names = [_text(spec, v) for v in value if v.strip()]
    if len(names) > MAX_ROWS:
        raise ValueError(f"At most {MAX_ROWS} lines.")
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise ValueError(f"“{name}” is listed twice.")
        seen.add(name.lower())
    return names


def _days(spec: Spec, value: Any) -> list[int]:
    if not isinstance(value, list) or not all(type(d) is int and 0 <= d <= 6 for d in value):
        raise ValueError("Give weekday numbers from 0 (Monday) to 6 (Sunday).")
    if not value:
        raise ValueError("Tick at least one working day.")
    return sorted(set(value))


def _time(spec: Spec, value: Any) -> str:
    """16:30, 4.30pm, 4:30 pm or 4pm: every way a school writes a time, stored as HH:MM."""
    if not isinstance(value, str):
        raise ValueError(times.EXAMPLE)
    return times.parse_time_of_day(value)


def _country(spec: Spec, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("Give a country code such as GB.")
    code = value.strip().upper()
    if code and code not in holidays.list_supported_countries():
        raise ValueError(
            f"The kit knows no public holidays for “{value[:20]}”: choose a "
            "country from the list, or none."
        )
    return code


def _subdivision(spec: Spec, value: Any) -> str:
    if not isinstance(value, str) or len(value) > 60:
        raise ValueError("Give a region code such as ENG.")
    return value.strip().upper()


def _ranges(spec: Spec, value: Any) -> list[list[str]]:
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise ValueError(f"Give at most {MAX_ROWS} [first, last] date pairs.")
    ranges = []
    for number, pair in enumerate(value, start=1):
        if not (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(d, str) for d in pair)
        ):
            raise ValueError("Give each date range as a [first, last] pair of dates.")
        try:
            ranges.append(parse_range(f"{pair[0]} to {pair[1]}"))
        except ValueError as exc:
            raise ValueError(f"Date range {number}: {lower_first(exc)}.") from None
    return sorted(ranges)


def _terms(spec: Spec, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise ValueError(f"Give at most {MAX_ROWS} terms.")
    terms = []
    for term in value:
        if not isinstance(term, dict) or set(term) != {"name", "start", "end"}:
            raise ValueError('Give each term as {"name": ..., "start": ..., "end": ...}.')
        name = _text(
            Spec("name", "term's name", "", "text", max_len=60, required=True), term["name"]
        )
        try:
            first, last = parse_range(f"{term['start']} to {term['end']}")
        except ValueError as exc:
            raise ValueError(f"Term “{name}”: {lower_first(exc)}.") from None
        terms.append({"name": name, "start": first, "end": last})
    return sorted(terms, key=lambda t: t["start"])


def _int(spec: Spec, value: Any) -> int:
    if type(value) is not int or not spec.low <= value <= spec.high:
        raise ValueError(f"Use a whole number from {spec.low} to {spec.high}.")
    return value


def _bool(spec: Spec, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("Give true or false.")
    return value


def _choice(spec: Spec, value: Any) -> str:
    if value not in {c for c, _label in spec.choices}:
        raise ValueError(f"Choose one of: {', '.join(c for c, _label in spec.choices)}.")
    return value


def _url(spec: Spec, value: Any) -> str:
    """An http(s) address with a host and no user name, query or fragment; "" for none."""
    value = _text(spec, value).rstrip("/")
    if not value:
        return value
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
        or not port_ok
        or re.search(r"[\s<>\"'\\]", value)
    ):
        raise ValueError(
            f"“{value[:60]}” is not a web address: write it as staff type it, for example "
            "https://helpdesk.school.example"
        )
    return parts.scheme.lower() + value[len(parts.scheme) :]


def _date(spec: Spec, value: Any) -> str:
    """One date as ISO text, or "" for none."""
    if not isinstance(value, str):
        raise ValueError("Write a date such as 2026-09-03.")
    value = value.strip()
    return parse_date(value).isoformat() if value else ""


def _json(spec: Spec, value: Any) -> Any:
    return value


def _picks(spec: Spec, value: Any) -> list[str]:
    """Some of the spec's choices, in the spec's order (attachment kinds)."""
    known = [code for code, _label in spec.choices]
    if not isinstance(value, list) or not all(isinstance(v, str) and v in known for v in value):
        raise ValueError("Tick from the list.")
    if not value:
        raise ValueError("Tick at least one.")
    return [code for code in known if code in value]


_CHECKS = {
    "text": _text,
    "email": _email,
    "url": _url,
    "date": _date,
    "lines": _lines,
    "days": _days,
    "time": _time,
    "country": _country,
    "subdivision": _subdivision,
    "ranges": _ranges,
    "terms": _terms,
    "int": _int,
    "bool": _bool,
    "choice": _choice,
    "json": _json,
    "picks": _picks,
}
