"""The customer's forms: replies on the status page, and the web form to report a problem.

The web form asks the framework's questions from `forms/incident_request.toml`, the same
file the paper sheet is printed from, so a school rewords a question once for both.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from kit.calls.action_forms import OneTimeKey
from kit.printing import questions

REPLY_MAX = 5000


class ReplyForm(OneTimeKey, FlaskForm):
    """A reply on the status page; its one-time key makes a resend (a retry after a lost
    answer, or the button pressed twice) add the reply once."""

    text = TextAreaField(
        "Your reply", validators=[DataRequired("Write your reply."), Length(max=REPLY_MAX)]
    )


class NotFixedForm(FlaskForm):
    reason = TextAreaField(
        "What is still wrong?",
        validators=[DataRequired("Tell us what is still wrong."), Length(max=REPLY_MAX)],
    )


class FixedItselfForm(FlaskForm):
    note = TextAreaField(
        "Anything we should know? (optional)", validators=[Optional(), Length(max=REPLY_MAX)]
    )


def _room_help() -> str:
    room = next(f for f in questions.sheet_fields(("about",)) if f["name"] == "room")
    return room.get("help", "")


def web_call_form_class() -> type[FlaskForm]:
    """The web form as a WTForms class: the paper sheet's questions for the person
    reporting (`forms/incident_request.toml`), in the sheet's order."""

    class WebCallForm(FlaskForm):
        submission_key = HiddenField()
        # Honeypot: hidden from people, filled in by robots that fill in every field.
        website = StringField("Leave this empty", validators=[Optional(), Length(max=200)])
        email = EmailField(
            "Your email",
            validators=[
                Optional(),
                Email("That does not look like an email address."),
                Length(max=200, message="Keep this under 200 characters."),
            ],
        )
        phone = StringField(
            "Your phone or extension",
            validators=[Optional(), Length(max=40, message="Keep this under 40 characters.")],
        )
        location_id = SelectField(
            "Room", coerce=int, validate_choice=True, description=_room_help()
        )

    WebCallForm.question_names = questions.add_questions(  # type: ignore[attr-defined]
        WebCallForm, "web", questions.CALLER_SECTIONS
    )
    WebCallForm.file = MultipleFileField(
        "Photos or PDFs (optional)",
        description="A photo of the screen or the error message helps. Up to 3 files.",
    )
    return WebCallForm
