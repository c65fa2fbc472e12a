"""Forms for the school's surveys: a question, a survey to send, and the answer form built
from a survey's own copy of its questions (one field per question, named by its key)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from kit.rules import surveys as rules

MAX_QUESTION = 300


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class QuestionForm(FlaskForm):
    question_text = StringField(
        "Question",
        filters=[_stripped],
        validators=[DataRequired("Write the question."), Length(max=MAX_QUESTION)],
        description="As staff will read it, e.g. “Is the Wi-Fi good enough for your lessons?”",
    )
    question_survey = RadioField(
        "Asked in",
        choices=list(rules.SURVEYS.items()),
        default="staff",
        validators=[Optional()],  # the survey of all users unless told
    )
    question_kind = RadioField(
        "Answered with",
        choices=list(rules.KINDS.items()),
        default="scale",
        validators=[InputRequired("Choose how the question is answered.")],
    )


class RoundForm(FlaskForm):
    title = StringField(
        "Name of this survey",
        filters=[_stripped],
        validators=[DataRequired("Give the survey a name."), Length(max=120)],
        description="For example “Spring term 2027” or “Annual survey 2026-27”.",
    )
    closes_on = DateField(
        "Answers taken until",
        validators=[InputRequired("Give the last day answers are taken.")],
        description="Usually two or three weeks: long enough for part-time staff.",
    )


def answer_form_class(
    questions: Sequence[dict[str, Any]], base: type[FlaskForm] = FlaskForm, need_one: bool = True
) -> type[FlaskForm]:
    """A form with one field per question of the survey (added to `base`); with `need_one`,
    at least one of them must be answered."""

    class AnswerForm(base):  # type: ignore[valid-type, misc]
        def validate(self, extra_validators: Any = None) -> bool:
            ok = super().validate(extra_validators)
            if ok and need_one and not any((self[q["key"]].data or "").strip() for q in questions):
                self.form_errors.append("Answer at least one question.")
                return False
            return ok

    for q in questions:
        label = q["text"]
        if q["kind"] == "scale":
            choices = [(str(n), f"{n}: {words}") for n, words in rules.SCALE.items()]
            field: Any = RadioField(label, choices=choices, validators=[Optional()])
        elif q["kind"] == "yes_no":
            field = RadioField(label, choices=list(rules.YES_NO.items()), validators=[Optional()])
        else:
            field = TextAreaField(label, validators=[Optional(), Length(max=rules.MAX_TEXT_ANSWER)])
        setattr(AnswerForm, q["key"], field)
    return AnswerForm


def answers_of(form: FlaskForm, questions: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The answers given, checked by the rules (a bad value raises ValidationError)."""
    out = {}
    for q in questions:
        try:
            out[q["key"]] = rules.clean_answer(q["kind"], form[q["key"]].data)
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem
    return out
