"""The follow-up form on a call's page (field names unique on that page)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import InputRequired, Length

from kit.followups.store import MAX_COMMENT


class FollowupForm(FlaskForm):
    due_on = DateField("Follow up on", validators=[InputRequired("Give the date.")])
    followup_comment = TextAreaField(
        "Why",
        validators=[InputRequired("Say why the call needs following up."), Length(max=MAX_COMMENT)],
        description="For example: ring the caller to check the projector after the new lamp.",
    )
