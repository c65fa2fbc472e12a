"""Forms for the leaders' pages and the customer's survey."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from kit.leaders.review import MAX_ANSWER, QUESTIONS
from kit.leaders.sandbox import MAX_TEMPLATE_CHARS
from kit.leaders.surveys import SATISFACTION

YES_NO = [("1", "Yes"), ("0", "No")]


class SurveyForm(FlaskForm):
    satisfaction = RadioField(
        "How satisfied are you with how your call was handled?",
        choices=[(str(k), v) for k, v in SATISFACTION.items()],
        validators=[InputRequired("Choose how satisfied you are.")],
    )
    fixed = RadioField(
        "Was your problem fixed?",
        choices=YES_NO,
        validators=[InputRequired("Say whether it was fixed.")],
    )
    time_ok = RadioField(
        "Did it take an acceptable time?",
        choices=YES_NO,
        validators=[InputRequired("Say whether the time was acceptable.")],
    )
    comment = TextAreaField(
        "Anything else you would like to tell us? (optional)",
        validators=[Optional(), Length(max=2000)],
    )


class DocumentForm(FlaskForm):
    title = StringField("Title", validators=[InputRequired("Give it a title."), Length(max=150)])
    body = TextAreaField(
        "Wording",
        validators=[InputRequired("Write the wording."), Length(max=MAX_TEMPLATE_CHARS)],
        description="Markdown: a line starting with # is a heading, - starts a list item, "
        "**two stars** make bold. Names in [square brackets], such as [Desk phone], are "
        "filled in from the school's settings (the list is beside the wording).",
    )
    published = BooleanField("Use this version for the printed copy", default=True)


class PeriodForm(FlaskForm):
    """The review's period, from the query string (GET: changes nothing, no CSRF)."""

    class Meta:
        csrf = False

    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end of the period is before its start.")


def review_form_class() -> type[FlaskForm]:
    """A form with one answer box per review question (QUESTIONS decides them)."""

    class ReviewForm(FlaskForm):
        date_from = DateField("From", validators=[InputRequired()])
        date_to = DateField("To", validators=[InputRequired()])

    for question in QUESTIONS:
        setattr(
            ReviewForm,
            question.key,
            TextAreaField(
                question.text,
                validators=[Optional(), Length(max=MAX_ANSWER)],
                description=question.hint,
            ),
        )
    return ReviewForm
