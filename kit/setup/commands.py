"""`kit settings`, `kit terms` and `kit holidays`: the wizard's answers for scripted installs.

Values go through the same checks as the settings page and are recorded in the same log
(with no user: "the kit command"), so a script cannot store what the page would refuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from kit import settings
from kit.db import get_db, stamp
from kit.setup import lines, store
from kit.setup import logo as school_logo
from kit.setup.specs import INTERNAL, label, spec_for

_TEXT_KINDS = {"text", "email", "time", "country", "subdivision", "choice"}


def save_settings(values: dict[str, Any]) -> list[str]:
    """Check and save, or stop with every problem in words."""
    db = get_db()
    tidy, problems = store.validate(db, values)
    if problems:
        raise click.ClickException(
            " ".join(
                f"{label(k) if k in settings.DEFAULTS else k}: {m}" for k, m in problems.items()
            )
        )
    return store.save(db, tidy, user_id=None, at=stamp())


def parse_value(key: str, text: str) -> Any:
    """VALUE as JSON; plain words are taken as text, and text settings always as text."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    kind = spec_for(key).kind if key in settings.DEFAULTS else ""
    return text if kind in _TEXT_KINDS and not isinstance(value, str) else value


@click.group("settings")
def settings_group() -> None:
    """Show or change the school's settings (checked as on the settings page)."""


@settings_group.command("show")
@click.argument("key", required=False)
@with_appcontext
def show(key: str | None) -> None:
    """Print every setting as JSON, or one setting's value."""
    values = settings.get_all(get_db())
    if key is not None and key not in values:
        raise click.ClickException(f"The kit has no setting called {key!r}.")
    click.echo(json.dumps(values[key] if key else values, indent=2, ensure_ascii=False))


@settings_group.command("set")
@click.argument("key")
@click.argument("value")
@with_appcontext
def set_setting(key: str, value: str) -> None:
    """Set KEY to VALUE (JSON, e.g. '[0,1,2,3,4]' or true; plain words for text)."""
    if key in INTERNAL:
        raise click.ClickException(f"{key!r} is kept by the kit itself.")
    changed = save_settings({key: parse_value(key, value)})
    now = settings.get(get_db(), key)
    click.echo(
        f"{key} = {json.dumps(now, ensure_ascii=False)}" + ("" if changed else " (unchanged)")
    )


@settings_group.command("logo")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def set_logo(file: Path) -> None:
    """Use FILE (PNG or JPEG, at most 1 MB) as the school logo on printed sheets."""
    try:
        about = school_logo.store_logo(
            file.read_bytes()[: school_logo.MAX_BYTES + 1], current_app.instance_path
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    settings.put(get_db(), "logo", about, user_id=None, at=stamp())
    click.echo(f"Logo saved ({about}).")


@click.group("terms")
def terms_group() -> None:
    """This year's term dates."""


@terms_group.command("add")
@click.argument("name")
@click.argument("start")
@click.argument("end")
@with_appcontext
def add_term(name: str, start: str, end: str) -> None:
    """Add a term, e.g. kit terms add "Autumn 2026" 2026-09-03 2026-12-18."""
    term = {"name": name, "start": _date(start), "end": _date(end)}
    save_settings({"terms": [*settings.get(get_db(), "terms"), term]})
    click.echo(f"Term {name!r} added: {term['start']} to {term['end']}.")


@click.group("holidays")
def holidays_group() -> None:
    """School holidays and closure days (not public holidays: those come from the country)."""


@holidays_group.command("add")
@click.argument("start")
@click.argument("end", required=False)
@with_appcontext
def add_holiday(start: str, end: str | None) -> None:
    """Add a school holiday from START to END (inclusive), or the single day START."""
    pair = [_date(start), _date(end or start)]
    save_settings({"school_holidays": [*settings.get(get_db(), "school_holidays"), pair]})
    click.echo(f"School holiday added: {pair[0]} to {pair[1]}.")


def _date(text: str) -> str:
    try:
        return lines.parse_date(text).isoformat()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = (settings_group, terms_group, holidays_group)
