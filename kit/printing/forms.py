"""The framework's forms as data: `forms/*.toml`, read once and checked on load.

The blank sheets, the filled sheets, the instructions and the diagnostic checks all come
from these files, so a school changes a question's words in one place. A file that names
an unknown field kind fails loudly at first use rather than printing a half-empty sheet.
"""

from __future__ import annotations

import functools
import re
import tomllib
from typing import Any

from kit import assets

FORM_NAMES = ("incident_request", "diagnostics", "call_log")
FIELD_KINDS = frozenset({"text", "lines", "choice", "date", "signature"})
SECTION_KINDS = frozenset({"fields", "checks", "actions"})
MAX_CHECKS = 30
MAX_CHECK_LENGTH = 150


class FormError(ValueError):
    """A form definition file that the sheets cannot print."""


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The form definition named `name` (one of FORM_NAMES)."""
    if name not in FORM_NAMES:
        raise KeyError(name)
    with open(assets.find("forms") / f"{name}.toml", "rb") as fh:
        form = tomllib.load(fh)
    _check(name, form)
    return form


def _check(name: str, form: dict[str, Any]) -> None:
    for key in ("title", "sections", "instructions"):
        if key not in form:
            raise FormError(f"{name}.toml has no {key}")
    for section in form["sections"]:
        section.setdefault("kind", "fields")
        section.setdefault("fields", [])
        if section["kind"] not in SECTION_KINDS:
            raise FormError(f"{name}.toml: section {section['name']} has kind {section['kind']}")
        for field in section["fields"]:
            field.setdefault("help", "")
            field.setdefault("width", "full")
            if field.get("kind") not in FIELD_KINDS:
                raise FormError(
                    f"{name}.toml: field {field.get('name')} has kind {field.get('kind')!r}"
                )


def section(form: dict[str, Any], name: str) -> dict[str, Any]:
    for candidate in form["sections"]:
        if candidate["name"] == name:
            return candidate
    raise KeyError(name)


def field(form: dict[str, Any], section_name: str, name: str) -> dict[str, Any]:
    for candidate in section(form, section_name)["fields"]:
        if candidate["name"] == name:
            return candidate
    raise KeyError(name)


def all_forms() -> list[dict[str, Any]]:
    return [load(name) for name in FORM_NAMES]


def default_check_set(category_name: str) -> dict[str, Any]:
    """The TOML check set for a category: the first whose words appear in its name.

    Whole words only, so "mis" matches "MIS or school management system" but not
    "File permissions".
    """
    sets = load("diagnostics").get("check_sets", [])
    lowered = category_name.lower()
    for check_set in sets:
        words = check_set.get("matches", [])
        if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words):
            return check_set
    fallback = [s for s in sets if not s.get("matches")]
    return fallback[0] if fallback else {"name": "Generic", "checks": []}


def parse_checks(text: str) -> list[str]:
    """Checks typed one per line: blanks dropped, each line and the count capped."""
    lines = [line.strip()[:MAX_CHECK_LENGTH] for line in (text or "").splitlines()]
    return [line for line in lines if line][:MAX_CHECKS]
