"""What each school setting is, in the words the settings page, the wizard and `kit` use.

One `Spec` per key of `kit.settings.DEFAULTS`, in the table of `kit.setup.settings_table`:
its label, the section of the page it sits in, the kind of value (which decides both the
form field and the check) and a hint. This module reads that table. A setting another
area adds later without a spec there still appears on the page, with a field guessed from
its default (see `spec_for`), so no setting is ever out of reach. No Flask here: the
`kit settings` command reads this too.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import holidays

from kit.settings import DEFAULTS
from kit.setup.settings_table import INTERNAL, SECTIONS, SPECS, WEEKDAYS, Spec


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def spec_for(key: str) -> Spec:
    """The spec of a setting; for one added without a spec, a field guessed from its default."""
    if key in SPECS:
        return SPECS[key]
    default = DEFAULTS[key]
    if isinstance(default, bool):
        return Spec(key, _label(key), "Other", "bool")
    if isinstance(default, int):
        return Spec(key, _label(key), "Other", "int", low=0, high=100_000)
    if isinstance(default, str):
        return Spec(key, _label(key), "Other", "text")
    return Spec(key, _label(key), "Other", "json")


def page_specs() -> list[Spec]:
    """Every setting a person edits, in the settings page's order."""
    specs = [spec_for(k) for k in DEFAULTS if k not in INTERNAL]
    specs = [s for s in specs if s.kind != "json"]
    order = list(SPECS)
    return sorted(
        specs,
        key=lambda s: (
            SECTIONS.index(s.section),
            order.index(s.key) if s.key in order else len(order),
        ),
    )


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country the `holidays` library knows, sorted by name."""
    from holidays import registry

    found = []
    for class_name, code, *_rest in registry.COUNTRIES.values():
        name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
        found.append((code, name))
    return tuple(sorted(found, key=lambda c: c[1]))


def subdivisions(country: str) -> dict[str, str]:
    """A country's region codes and their names where known ({"ENG": "England", ...})."""
    codes = holidays.list_supported_countries().get(country, [])
    named: dict[str, str] = {code: code for code in codes}
    try:
        aliases = getattr(holidays.country_holidays(country), "subdivisions_aliases", {}) or {}
    except NotImplementedError:
        aliases = {}
    for name, code in aliases.items():
        if named.get(code) == code:
            named[code] = name
    return named


def describe(key: str, value: Any) -> str:
    """A stored value in words, for the record of changes ("Monday, Tuesday", "Yes")."""
    kind = spec_for(key).kind if key in DEFAULTS else "json"
    if value in (None, "", []):
        return "(empty)"
    if kind == "bool" or isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "days":
        return ", ".join(WEEKDAYS[d] for d in value if 0 <= d <= 6)
    if kind == "picks":
        return ", ".join(dict(spec_for(key).choices).get(v, str(v)) for v in value)
    if kind == "ranges":
        return "; ".join(a if a == b else f"{a} to {b}" for a, b in value)
    if kind == "terms":
        return "; ".join(f"{t['name']}: {t['start']} to {t['end']}" for t in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if kind == "choice":
        return dict(spec_for(key).choices).get(value, str(value))
    return str(value)


def label(key: str) -> str:
    """What a setting is called on the page (the wizard's progress and the logo included)."""
    return {"setup_step": "Set-up wizard progress", "logo": "School logo"}.get(
        key, spec_for(key).label if key in DEFAULTS else key
    )
