"""Forms for the admin's outbox pages: the list's filter and a message template's wording."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

STATUS_CHOICES = [
    ("", "Any status"),
    ("pending", "Waiting to be sent"),
    ("sending", "Being sent"),
    ("sent", "Sent"),
    ("failed", "Failed"),
]


class OutboxFilterForm(FlaskForm):
    """GET filters for the outbox (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=STATUS_CHOICES, default="")
    page = IntegerField("Page", validators=[Optional()], default=1)


class TemplateForm(FlaskForm):
    subject = StringField(
        "Subject",
        validators=[InputRequired("Write a subject."), Length(max=200)],
        description="One line. Names in {{ double braces }} are filled in for each message.",
    )
    body = TextAreaField(
        "Message",
        validators=[InputRequired("Write the message."), Length(max=10000)],
    )
