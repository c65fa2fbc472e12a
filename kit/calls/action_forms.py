"""The small forms on a call's page, one per action.

Field names are unique across the page (several forms show at once), and each ends with
the name of the workflow parameter it feeds, so a `WorkflowError(field=...)` finds its
field. Choices that depend on the database are filled by `kit.calls.actions`.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from kit.calls.forms import _int_or_none
from kit.rules.procedure import INFORMED_HOW
from kit.widgets import SelectField

LONG = 5000


class EmptyForm(FlaskForm):
    """A button: only the CSRF token (start, close, back from 3rd party...)."""


class DeskCheckForm(FlaskForm):
    """The framework's step 2: the desk confirms the details make sense, with the summary."""

    dc_summary = StringField(
        "One-line summary for the call log",
        validators=[InputRequired("Write the one-line summary."), Length(max=200)],
    )
    dc_understood = BooleanField(
        "The details are understood: read back to the caller, or clear as written"
    )


class ReturnToDeskForm(FlaskForm):
    return_reason = TextAreaField(
        "Why it goes back to the desk, and what will help",
        validators=[InputRequired("Write why the call goes back to the desk."), Length(max=LONG)],
        description="Only the desk passes calls on: it decides where the call goes next. "
        "Added to the call's details; the title and details are kept.",
    )


INFORMED_CHOICES = [("email", "By email (the resolution summary is sent)")] + [
    (k, v) for k, v in INFORMED_HOW.items() if k != "email"
]


class InformedForm(FlaskForm):
    informed_how = SelectField("How the user was told", choices=INFORMED_CHOICES)
    informed_note = StringField("Note (optional)", validators=[Length(max=500)])


class OneTimeKey:
    """A hidden one-time key, so a form sent twice (a retry after a lost answer) saves once."""

    submission_key = HiddenField(
        validators=[Length(max=32), Regexp(r"^([0-9a-f]{32})?$", message="Reload the page.")]
    )


class NoteForm(OneTimeKey, FlaskForm):
    note_text = TextAreaField(
        "Note", validators=[InputRequired("Write the note."), Length(max=LONG)]
    )
    customer_visible = BooleanField("The customer may read this note")


class WithCustomerForm(FlaskForm):
    information_needed = TextAreaField(
        "Information needed from the customer",
        validators=[InputRequired("Write what information you need."), Length(max=LONG)],
        description="Phone the customer first; leave a voicemail if they do not answer.",
    )
    notify_customer = BooleanField("Notify customer by email", default=True)


class BackFromCustomerForm(FlaskForm):
    back_note = TextAreaField(
        "What the customer said",
        validators=[InputRequired("Write what the customer said."), Length(max=LONG)],
    )


class ThirdPartyForm(FlaskForm):
    tp_kind = SelectField(
        "Who the third party is",
        choices=[
            ("group", "Another group"),
            ("vendor", "A vendor or supplier"),
            ("person", "A person in the school"),
        ],
    )
    tp_name = StringField(
        "Name", validators=[InputRequired("Name the third party."), Length(max=200)]
    )
    tp_contact = StringField(
        "Contact details",
        validators=[Length(max=200)],
        description="Phone or email; needed for a vendor.",
    )
    tp_what = TextAreaField(
        "What they are going to do",
        validators=[InputRequired("Say what they are going to do."), Length(max=LONG)],
    )
    tp_reference = StringField(
        "Their reference",
        validators=[Length(max=100)],
        description="The supplier's own case or ticket number; needed for a vendor.",
    )
    tp_expected_by = DateField(
        "Expected to resolve it by",
        validators=[InputRequired("Give the date they expect to be done.")],
    )


class BackFromThirdPartyForm(FlaskForm):
    btp_note = TextAreaField("What the third party did", validators=[Length(max=LONG)])


class TimeForm(OneTimeKey, FlaskForm):
    time_minutes = IntegerField(
        "Minutes",
        validators=[
            InputRequired("Give the time in minutes."),
            NumberRange(1, 1440, "Time taken is in whole minutes, from 1 to 1440."),
        ],
    )
    time_worked_on = DateField("Date worked on", validators=[InputRequired("Give the date.")])
    time_note = StringField("What was done (optional)", validators=[Length(max=500)])


EXCEPTIONS = [
    ("", "— Choose one if the customer has not confirmed —"),
    ("access request", "Access request"),
    ("known service disruption", "Known service disruption"),
    ("caller is teaching", "The caller is teaching and cannot check yet"),
    ("no answer after three tries", "The caller did not answer after three tries"),
]


class ResolveForm(FlaskForm):
    resolution_summary = TextAreaField(
        "Resolution summary",
        validators=[InputRequired("Write the resolution summary."), Length(max=1000)],
        description="The only text sent to the customer.",
    )
    resolution_details = TextAreaField(
        "Resolution details",
        validators=[Length(max=LONG)],
        description="What was done; shown on the customer's status page.",
    )
    closure_category = SelectField(
        "Closure category", validators=[InputRequired("Choose the closure category.")]
    )
    customer_confirmed = BooleanField("The customer confirmed the issue is fixed")
    confirmation_exception = SelectField(
        "Or, resolved without confirmation because", choices=EXCEPTIONS, default=""
    )
    informed_how = SelectField(
        "How the user is told",
        choices=[("", "— Not yet: record it before the call is closed —"), *INFORMED_CHOICES],
        default="",
        description="The call cannot close until the user has been told.",
    )
    resolve_minutes = IntegerField(
        "Time taken (minutes)",
        validators=[
            Optional(),
            NumberRange(1, 1440, "Time taken is in whole minutes, from 1 to 1440."),
        ],
        description="Needed when no time has been recorded on the call yet.",
    )


class ReopenForm(FlaskForm):
    reopen_reason = TextAreaField(
        "What the customer reported",
        validators=[InputRequired("Say why it is reopened."), Length(max=LONG)],
        description="Only for the same issue, not fixed. A different issue is a new call.",
    )


class FixedItselfForm(FlaskForm):
    fixed_note = TextAreaField("What the customer said (optional)", validators=[Length(max=LONG)])


class HotSwapForm(FlaskForm):
    replacement_asset = StringField(
        "Replacement machine (asset tag)",
        validators=[InputRequired("Give the replacement's asset tag."), Length(max=40)],
    )
    faulty_asset = StringField("Faulty machine (asset tag)", validators=[Length(max=40)])
    taken_by = StringField("Faulty machine taken by", validators=[Length(max=120)])
    hot_swap_note = StringField("Note", validators=[Length(max=500)])


class CategoryForm(FlaskForm):
    new_category_id = SelectField(
        "New category",
        coerce=_int_or_none,
        validators=[InputRequired("Choose a category.")],
        description="Sets the type, escalate-to group, response level and due times again.",
    )


class VoidForm(FlaskForm):
    void_reason = TextAreaField(
        "Why void this call",
        validators=[InputRequired("Say why the call is being voided."), Length(max=LONG)],
        description="The call and its history are kept, but it leaves every list.",
    )
