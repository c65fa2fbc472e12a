"""Forms for problems: the record, resolving it, and linking a call to one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from kit.calls.forms import _int_or_none
from kit.problems.resolve import DEFAULT_MESSAGE
from kit.widgets import SelectField

LONG = 5000


class ProblemForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[InputRequired("Give the problem a title."), Length(max=200)],
        description="The fault as people see it, e.g. “Projectors in B block lose signal”.",
    )
    cause = TextAreaField("Cause (under investigation)", validators=[Length(max=LONG)])
    workaround = TextAreaField(
        "Known workaround",
        validators=[Length(max=LONG)],
        description="Shown on every linked call's page.",
    )
    status = SelectField(
        "Status",
        validate_choice=False,
        choices=[
            ("open", "Open: cause under investigation"),
            ("known error", "Known error: cause known, shown in knowledge base search"),
        ],
    )
    owner_id = SelectField("Owner", coerce=_int_or_none)


class ResolveProblemForm(FlaskForm):
    permanent_fix = TextAreaField(
        "Permanent fix", validators=[InputRequired("Write the permanent fix."), Length(max=LONG)]
    )
    resolve_calls = BooleanField(
        "Also resolve its open calls with this fix and tell their callers", default=True
    )
    callers_message = TextAreaField(
        "What the callers are told",
        default=DEFAULT_MESSAGE,
        validators=[Length(max=1000)],
        description="The resolution summary each caller is sent, with their link to say it "
        "is not fixed.",
    )


class LinkProblemForm(FlaskForm):
    problem_id = SelectField("Problem", coerce=_int_or_none)
    new_problem_title = StringField("Or a new problem, titled", validators=[Length(max=200)])
