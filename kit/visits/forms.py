"""The hand-off form on a call's page. Field names are unique on that page (the lifecycle's
action forms share it)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from kit.calls.forms import _int_or_none
from kit.visits.handoff import METHODS
from kit.widgets import SelectField


class HandoffForm(FlaskForm):
    technician_id = SelectField(
        "Technician", coerce=_int_or_none, validators=[InputRequired("Choose a technician.")]
    )
    method = RadioField(
        "How",
        choices=list(METHODS.items()),
        validators=[InputRequired("Choose how the call is passed on.")],
    )
    handoff_note = TextAreaField(
        "What was agreed",
        validators=[Length(max=2000)],
        description="Needed for a phone call: what the technician said they will do, and when.",
    )
    kb_reason = TextAreaField(
        "Why a technician is needed although an article has the fix",
        validators=[Length(max=2000)],
        description="The school applies knowledge base fixes in school: say why this call "
        "cannot be fixed at the desk.",
    )
