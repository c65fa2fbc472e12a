"""The sheets' questions as web form fields: one definition (`forms/*.toml`) for paper and screen.

A field of a sheet is asked on its web form under its own name, unless the definition maps it
to the names a form already has (`web = [...]` for the public web form, `desk = [...]` for
the desk's log-a-call form): "contact" is the web form's email and phone. Fields with `from`
are columns of the call; every other question is kept as an answer (`call_answers`), printed
once in its own box. `tests/test_framework_paper.py` checks that every field of every sheet
is on its form and every question on a form is on its sheet.
"""

from __future__ import annotations

from typing import Any

from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kit.printing import forms

CALLER_SECTIONS = ("about", "questions")
DEFAULT_MAX = 1000
NOT_CHOSEN = ""


def sheet_fields(sections: tuple[str, ...] = CALLER_SECTIONS) -> list[dict[str, Any]]:
    """The incident/request sheet's fields in these sections, in the sheet's order."""
    definition = forms.load("incident_request")
    return [f for name in sections for f in forms.section(definition, name)["fields"]]


def form_names(field: dict[str, Any], side: str) -> list[str]:
    """The names a sheet field has on the `side` ("web" or "desk") form."""
    return list(field.get(side) or [field["name"]])


def answer_names() -> tuple[str, ...]:
    """Questions kept as answers beside the call (not columns of the call itself)."""
    return tuple(f["name"] for f in sheet_fields() if not f.get("from")) + (
        "equipment",
        "call_type",
    )


def build(field: dict[str, Any], *, required: bool = True) -> Any:
    """One WTForms field for a sheet field: its label, help, limit and required message."""
    most = int(field.get("max", DEFAULT_MAX))
    validators: list[Any] = [Length(max=most, message=f"Keep this under {most} characters.")]
    if required and field.get("required"):
        validators.insert(0, DataRequired(field["required"]))
    else:
        validators.insert(0, Optional())
    label, hint = field["label"], field.get("help", "")
    if hint:
        hint = hint[0].upper() + hint[1:] + ("" if hint.endswith(".") else ".")
    if field["kind"] == "choice":
        choices = [(NOT_CHOSEN, "— Not said —")] + [(o, o) for o in field["options"]]
        return SelectField(
            label, choices=choices, default=NOT_CHOSEN, validators=[Optional()], description=hint
        )
    if field["kind"] == "date":
        return DateTimeLocalField(
            label, format="%Y-%m-%dT%H:%M", validators=[Optional()], description=hint
        )
    kind = TextAreaField if field["kind"] == "lines" else StringField
    return kind(label, validators=validators, description=hint)


def add_questions(form_class: type, side: str, sections: tuple[str, ...]) -> list[str]:
    """Add to `form_class` every sheet field of `sections` it does not already have.

    Returns the names of the questions, in the sheet's order, for templates to lay out.
    """
    names = []
    for field in sheet_fields(sections):
        for name in form_names(field, side):
            if not hasattr(form_class, name):
                setattr(form_class, name, build(field, required=side == "web"))
            names.append(name)
    return names


def answers_from(form: Any) -> dict[str, str]:
    """The answers a submitted form holds, stripped, empty ones left out."""
    answers = {}
    for name in answer_names():
        if name in form:
            value = (form[name].data or "").strip()
            if value:
                answers[name] = value
    return answers
