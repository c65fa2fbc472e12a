"""A select field that renders and checks long lists of choices once per list.

WTForms (3.3) turns every choice into an object, calls the field's `coerce` on it and
escapes its label on each render, and again on each validation: on the call log page the
filter form's eight selects (groups, people, categories, rooms: about 160 options) took a
third of the page's time. A given list of choices never changes between requests, only
which one is selected, so `SelectField` here keeps, per (coerce, choices), the rendered
options and the coerced values, and marks the selected one. Its output is byte for byte
what WTForms' own select renders (tests/test_widgets.py compares them). Choices that
cannot be a dictionary key (options with their own attributes) go the ordinary way.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import wtforms
from markupsafe import Markup
from wtforms.fields.choices import Choice
from wtforms.widgets import Select, html_params

MAX_CACHED = 256  # distinct choice lists kept; a school has a handful


class _Options(NamedTuple):
    plain: list[str]  # each option's HTML, unselected
    chosen: list[str]  # each option's HTML, selected
    where: dict[Any, list[int]]  # coerced value -> the options it selects


_cache: dict[tuple, _Options] = {}


def _options(field: Any) -> _Options | None:
    """The field's rendered options, built on first sight of its choices; None when the
    choices cannot be cached (unhashable, grouped) and WTForms' own path must run."""
    if field.choices is None:
        return None
    try:
        key = (field.coerce, tuple(field.choices))
        entry = _cache.get(key)
    except TypeError:
        return None
    if entry is not None:
        return entry
    if field.has_groups():
        return None
    plain: list[str] = []
    chosen: list[str] = []
    where: dict[Any, list[int]] = {}
    try:
        for index, choice in enumerate(field.iter_choices()):
            option = Choice(choice.value, choice.label, False, choice.render_kw)
            plain.append(Select.render_option(option))
            chosen.append(Select.render_option(option._replace(selected=True)))
            where.setdefault(field.coerce(choice.value), []).append(index)
    except (TypeError, ValueError):  # a value its own coerce refuses, or unhashable
        return None
    if len(_cache) >= MAX_CACHED:
        _cache.clear()
    _cache[key] = entry = _Options(plain, chosen, where)
    return entry


def _selected(entry: _Options, data: Any) -> list[int]:
    try:
        return entry.where.get(data, [])
    except TypeError:  # unhashable data equals no choice
        return []


class CachedSelect(Select):
    """A single select whose options are rendered once per list of choices."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        entry = None if self.multiple else _options(field)
        if entry is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        rendered = list(entry.plain)
        for index in _selected(entry, field.data):
            rendered[index] = entry.chosen[index]
        return Markup(
            f"<select {html_params(name=field.name, **kwargs)}>{''.join(rendered)}</select>"
        )


class SelectField(wtforms.SelectField):
    """WTForms' SelectField, rendered and validated from its cached options."""

    widget = CachedSelect()

    def pre_validate(self, form: Any) -> None:
        entry = _options(self) if self.validate_choice else None
        if entry is None:
            super().pre_validate(form)
        elif not _selected(entry, self.data):
            raise wtforms.ValidationError(
                self.invalid_choice_message or self.gettext("Not a valid choice.")
            )
