"""The form the desk fills in while the caller is on the phone, and the call log's filters."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from kit.printing import questions
from kit.rules.procedure import CHANNELS
from kit.rules.words import pasted_text
from kit.widgets import SelectField

__all__ = ["CHANNELS", "CallLogFilterForm", "LogCallForm", "valid_submission_key"]
# The hidden one-time key a form page is given (uuid4().hex), as the web form bounds its own:
# anything else was not made by the kit, and is refused rather than stored.
SUBMISSION_KEY = re.compile(r"[0-9a-f]{32}")


def valid_submission_key(value: str | None) -> bool:
    """An absent key (an old page) or one the kit made; never arbitrary text."""
    return not value or SUBMISSION_KEY.fullmatch(value) is not None


def _int_or_none(value):
    if value in (None, "", "0", 0):
        return None
    number = int(value)
    if not 0 < number < 2**63:  # a row id SQLite can hold; else "not a valid choice"
        raise ValueError(value)
    return number


class LogCallForm(FlaskForm):
    """In the order of a phone conversation: who, where, what, then the words."""

    submission_key = HiddenField()
    caller_name = StringField(
        "Caller",
        validators=[InputRequired("Who is calling? Type a name."), Length(max=120)],
        description="Start typing a name to find them in the staff directory.",
    )
    caller_id = HiddenField(filters=[lambda v: v or None])
    caller_email = StringField(
        "Caller's email",
        validators=[Optional(), Email("That is not an email address."), Length(max=200)],
    )
    caller_phone = StringField("Caller's phone or extension", validators=[Length(max=40)])
    channel = SelectField(
        "How the call came in", choices=[(c, c) for c in CHANNELS], default="Phone"
    )
    location_id = SelectField("Location", coerce=_int_or_none, validate_choice=True)
    asset_tag = StringField(
        "Equipment asset tag",
        validators=[Length(max=40)],
        description="Type the tag on the label, or pick from the room's equipment.",
    )
    category_id = SelectField(
        "Category", coerce=_int_or_none, validators=[InputRequired("Choose a category.")]
    )
    summary = StringField(
        "Summary", validators=[InputRequired("Write a one-line summary."), Length(max=200)]
    )
    desk_checked = BooleanField(
        "Details understood: read back to the caller (the desk check)",
        description="Leave unticked if something needs checking first; the call cannot be "
        "passed on until it is checked.",
    )
    details = TextAreaField(
        "Details",
        validators=[Length(max=5000)],
        description="Anything the caller said that the questions above do not cover.",
    )
    occurred_at = DateTimeLocalField(
        "When the fault occurred",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Leave empty if it is happening now.",
    )
    file = MultipleFileField(
        "Files (optional)",
        description="A photo of the error, a screenshot or a log the caller sent.",
    )


# The sheet's questions, asked in the sheet's words and order (forms/incident_request.toml);
# the caller's part of the sheet maps to the fields above (`desk = [...]` there).
LogCallForm.question_names = questions.add_questions(  # type: ignore[attr-defined]
    LogCallForm, "desk", ("questions",)
)
LogCallForm.caller_names = questions.add_questions(  # type: ignore[attr-defined]
    LogCallForm, "desk", ("about",)
)


class CallLogFilterForm(FlaskForm):
    """GET filters for the call log (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    # A pasted error message is searched on its beginning, never refused for its length.
    q = StringField("Search", filters=[pasted_text])
    # The log opens on the desk's queue: open calls, most urgent first.
    status = SelectField("Status", validate_choice=True, default="open")
    call_type = SelectField("Type", validate_choice=True, default="")
    group_id = SelectField("Group", coerce=_int_or_none, validate_choice=True)
    assignee_id = SelectField("Assigned to", coerce=_int_or_none, validate_choice=True)
    category_id = SelectField("Category", coerce=_int_or_none, validate_choice=True)
    location_id = SelectField("Location", coerce=_int_or_none, validate_choice=True)
    equipment = StringField("Asset tag", validators=[Optional(), Length(max=40)])
    date_from = DateField("Logged from", validators=[Optional()])
    date_to = DateField("Logged to", validators=[Optional()])
    sort = SelectField("Sort by", validate_choice=True, default="queue")
    direction = SelectField(
        "Order", choices=[("asc", "Ascending"), ("desc", "Descending")], default="asc"
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1, max=10**6)], default=1)
