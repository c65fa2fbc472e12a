"""Forms for settings, built from the specs, and the one way a settings form is saved.

The settings page shows every setting; each wizard step shows a few. Both build their
form with `settings_form(specs)` and save it with `edit_settings`, so a value is checked
the same way wherever it is typed.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlite_utils import Database
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields import Field

from kit import settings
from kit.db import stamp
from kit.directory.forms import MultiCheckboxField
from kit.rules import times
from kit.setup import checks, store
from kit.setup.specs import WEEKDAYS, Spec, countries, subdivisions


def _field(spec: Spec) -> Field:
    """The form field for one setting; every check happens in `kit.setup.checks`."""
    common: dict[str, Any] = {"label": spec.label, "description": spec.help}
    kind = spec.kind
    if kind in ("lines", "ranges", "terms"):
        return TextAreaField(**common, render_kw={"rows": 5, "spellcheck": "false"})
    if kind == "days":
        return MultiCheckboxField(
            **common, coerce=int, validate_choice=False, choices=list(enumerate(WEEKDAYS))
        )
    if kind == "picks":
        return MultiCheckboxField(**common, validate_choice=False, choices=list(spec.choices))
    if kind == "time":
        # Text, not type=time: browsers show that as AM/PM in some locales; the check reads
        # 16:30, 4.30pm, 4:30 pm and 4pm alike, so the box is long enough for each of them.
        return StringField(
            **common,
            render_kw={
                "class": "short",
                "maxlength": times.MAX_LENGTH,
                "placeholder": "08:30 or 4.30pm",
                "autocomplete": "off",
            },
        )
    if kind == "country":
        return SelectField(
            **common, validate_choice=False, choices=[("", "— No public holidays —"), *countries()]
        )
    if kind == "choice":
        return SelectField(**common, validate_choice=False, choices=list(spec.choices))
    if kind == "int":
        return StringField(
            **common,
            render_kw={
                "type": "number",
                "min": spec.low,
                "max": spec.high,
                "class": "short",
                "inputmode": "numeric",
            },
        )
    if kind == "bool":
        return BooleanField(**common)
    if kind == "email":
        return EmailField(**common, render_kw={"maxlength": spec.max_len, "autocomplete": "email"})
    if kind == "date":
        return StringField(
            **common, render_kw={"maxlength": 10, "class": "short", "placeholder": "YYYY-MM-DD"}
        )
    if kind == "url":
        return URLField(**common, render_kw={"maxlength": spec.max_len, "inputmode": "url"})
    return StringField(**common, render_kw={"maxlength": spec.max_len})


def settings_form(specs: list[Spec]) -> type[FlaskForm]:
    """A form class with one field per setting, named by its key."""
    return type("SettingsForm", (FlaskForm,), {s.key: _field(s) for s in specs})


class LogoForm(FlaskForm):
    logo = FileField(
        "School logo",
        description="A PNG or JPEG image of at most 1 MB. It "
        "appears on printed sheets and letters.",
    )


def add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


def _read(form: FlaskForm, specs: list[Spec]) -> dict[str, Any] | None:
    """The typed values as settings; None after putting each problem next to its field."""
    values: dict[str, Any] = {}
    for spec in specs:
        try:
            values[spec.key] = checks.from_text(spec, form[spec.key].data)
        except ValueError as exc:
            add_error(form[spec.key], str(exc))
    return None if len(values) < len(specs) else values


def current_form(db: Database, specs: list[Spec], *, from_request: bool = True) -> FlaskForm:
    """The form filled with the saved values (and, on a POST, with what was typed)."""
    current = settings.get_all(db)
    data = {s.key: checks.to_text(s, current[s.key]) for s in specs}
    form = settings_form(specs)(**({} if from_request else {"formdata": None}), data=data)
    if "holiday_subdivision" in form:
        _list_regions(form.holiday_subdivision, current["holiday_country"])
    return form


def _list_regions(field: Field, country: str) -> None:
    """Name the saved country's regions in the hint, so nobody has to guess a code."""
    regions = subdivisions(country) if country else {}
    if regions and len(regions) <= 80:
        named = ", ".join(
            code if name == code else f"{code} ({name})" for code, name in regions.items()
        )
        field.description = f"{field.description} For {country}: {named}."


def edit_settings(db: Database, specs: list[Spec]) -> tuple[FlaskForm, list[str] | None]:
    """The form for `specs`, and on a good POST the keys saved (None when not saved).

    On a refused POST the form keeps what was typed, with a message next to each field at
    fault; a problem with a setting not on this form is shown above it.
    """
    form = current_form(db, specs)
    if not form.validate_on_submit():
        return form, None
    typed = _read(form, specs)
    if typed is None:
        return form, None
    tidy, problems = store.validate(db, typed)
    for key, message in problems.items():
        if key in form:
            add_error(form[key], message)
        else:
            form.form_errors.append(message)
    if problems:
        return form, None
    return form, store.save(db, tidy, user_id=g.user.id, at=stamp())
