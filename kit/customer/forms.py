"""The customer's forms: replies on the status page, and the web form to report a problem.

The web form asks the framework's questions; their words come from
`forms/incident_request.toml` (the same file the paper sheet is printed from) when it is
there, so a school rewords a question once for both.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

REPLY_MAX = 5000


class ReplyForm(FlaskForm):
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


# name: (label, hint, maximum length, long answer). Labels for names the framework's sheet
# also asks are replaced by the sheet's own words.
QUESTIONS: dict[str, tuple[str, str, int, bool]] = {
    "caller_name": ("Your name", "", 120, False),
    "email": ("Your email", "", 200, False),
    "phone": ("Your phone or extension", "", 40, False),
    "summary": (
        "In a few words, what is the problem?",
        "For example: the projector in room 12 shows no picture.",
        120,
        False,
    ),
    "equipment": (
        "Equipment or software",
        "Asset tag from the label, if there is one.",
        200,
        False,
    ),
    "expected": ("What did you expect to happen?", "", 1000, True),
    "happened": ("What actually happened?", "Small details help.", 2000, True),
    "error_message": ("Any error message, word for word", "", 1000, True),
    "last_worked": ("When did it last work?", "", 200, False),
}
SHEET_SECTIONS = ("about", "questions")
REQUIRED = {
    "caller_name": "Tell us your name.",
    "summary": "Say in a few words what the problem is.",
    "happened": "Tell us what happened.",
}


def _sheet_words() -> dict[str, dict[str, Any]]:
    """The paper sheet's questions for the person reporting, by name (its desk and
    technician parts are not the customer's), or nothing if the sheet cannot be read."""
    try:
        from kit.printing import forms as sheets

        definition = sheets.load("incident_request")
    except Exception:  # noqa: BLE001 — the web form works with its own words
        return {}
    return {
        f["name"]: f
        for s in definition["sections"]
        if s.get("name") in SHEET_SECTIONS
        for f in s.get("fields", ())
    }


def _question(name: str, sheet: dict[str, dict[str, Any]]) -> Any:
    label, hint, most, long = QUESTIONS[name]
    if name in sheet:
        label = sheet[name].get("label") or label
        hint = sheet[name].get("help") or hint
    validators: list[Any] = [Length(max=most, message=f"Keep this under {most} characters.")]
    if name in REQUIRED:
        validators.insert(0, DataRequired(REQUIRED[name]))
    else:
        validators.insert(0, Optional())
    if name == "email":
        validators.append(Email("That does not look like an email address."))
        return EmailField(label, validators=validators, description=hint)
    kind = TextAreaField if long else StringField
    return kind(label, validators=validators, description=hint)


def web_call_form_class() -> type[FlaskForm]:
    """The web form as a WTForms class, with the sheet's words where it has them."""
    sheet = _sheet_words()

    class WebCallForm(FlaskForm):
        submission_key = HiddenField()
        # Honeypot: hidden from people, filled in by robots that fill in every field.
        website = StringField("Leave this empty", validators=[Optional(), Length(max=200)])
        location_id = SelectField(
            "Room",
            coerce=int,
            validate_choice=True,
            description=sheet.get("room", {}).get("help", ""),
        )

    for name in QUESTIONS:
        setattr(WebCallForm, name, _question(name, sheet))
    return WebCallForm
