"""The "raise the response level" form on a call's page (field names unique on that page)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired, Length

from kit.rules.priority import IMPACTS, URGENCIES
from kit.widgets import SelectField


class RaiseLevelForm(FlaskForm):
    impact = SelectField(
        "Impact",
        choices=[(i, i) for i in IMPACTS],
        validators=[InputRequired("Choose the impact.")],
    )
    urgency = SelectField(
        "Urgency",
        choices=[(u, u) for u in URGENCIES],
        validators=[InputRequired("Choose the urgency.")],
    )
    safeguarding = BooleanField(
        "Safeguarding concern",
        description="A child may be at risk (inappropriate content, a filtering failure, a "
        "pupil's account misused): the call goes to the top level whatever the matrix says.",
    )
    priority_reason = TextAreaField(
        "Why",
        validators=[InputRequired("Say why the level is raised."), Length(max=1000)],
        description="Kept in the call's history with your name.",
    )
