"""The admin's forms for reference data, one per kind, and the CSV upload form.

Field names are the table's column names, so `column_values(form)` is the row to save.
Lengths are capped here because every value ends up on screens and printed sheets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from kit.directory.kinds import EMAIL_PATTERN
from kit.rules.categories import CALL_TYPES

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
TIERS = [(1, "1 – Service Desk"), (2, "2 – Service Delivery"), (3, "3 – Technology Integration")]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "0", 0):
        return None
    return int(value)


def _text(label: str, max_len: int, required: str = "", **kwargs: Any) -> StringField:
    validators = [DataRequired(required)] if required else []
    return StringField(
        label, validators=[*validators, Length(max=max_len)], filters=[_strip], **kwargs
    )


def _email(label: str = "Email") -> StringField:
    return StringField(
        label,
        filters=[_strip],
        validators=[
            Optional(),
            Regexp(EMAIL_PATTERN, message="That is not an email address."),
            Length(max=200),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (roles, group members) instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PersonForm(FlaskForm):
    name = _text("Name", 120, "Type the person's name.")
    email = _email()
    phone = _text("Phone or extension", 40)
    department = _text("Department", 120)
    role = _text("Role", 120, description="Their job, for example Year 4 teacher or Bursar.")


class LocationForm(FlaskForm):
    site = _text("Site or campus", 120, "Type the site, for example Main campus.")
    building = _text("Building", 120, "Type the building.")
    room = _text("Room", 120, "Type the room.")
    teaching_space = BooleanField(
        "Teaching space", description="A room where lessons happen: its faults come first."
    )


class EquipmentForm(FlaskForm):
    asset_tag = _text("Asset tag", 40, "Type the asset tag from the label.")
    type = _text("Type", 80, "Say what it is, for example Projector or Laptop.")
    make = _text("Make", 80)
    model = _text("Model", 80)
    serial = _text("Serial number", 80)
    location_id = SelectField("Location", coerce=_int_or_none, validate_choice=True)
    supplier = _text("Supplier", 120)
    purchase_date = DateField("Purchase date", validators=[Optional()])
    warranty_end = DateField("Warranty end", validators=[Optional()])

    def validate_warranty_end(self, field: DateField) -> None:
        if field.data and self.purchase_date.data and field.data < self.purchase_date.data:
            raise ValidationError("The warranty cannot end before the purchase date.")


class GroupForm(FlaskForm):
    name = _text("Name", 120, "Type the group's name.")
    tier = SelectField("Tier", choices=TIERS, coerce=int, default=2)
    team_leader_id = SelectField("Team leader", coerce=_int_or_none, validate_choice=True)
    email = _email("Group email")
    members = MultiCheckboxField(
        "Members",
        coerce=int,
        validate_choice=True,
        description="The technicians who work on this group's calls.",
    )


class CategoryForm(FlaskForm):
    name = _text("Name", 120, "Type the category's name.")
    call_type = SelectField("Type", choices=[(t, t) for t in CALL_TYPES], default="Incident")
    group_id = SelectField(
        "Escalate to group",
        coerce=_int_or_none,
        validators=[DataRequired("Choose the group calls go to.")],
    )
    response_level_id = SelectField(
        "Response level", coerce=_int_or_none, validators=[DataRequired("Choose a response level.")]
    )
    active = BooleanField(
        "Active",
        default=True,
        description="Untick to retire it: old calls keep it, new calls cannot choose it.",
    )


class HoursField(FloatField):
    """Hours as people type and read them: "4", "1.5", "4 hours" or "1,5"; shown as "1"
    and "1.5", never "1.0"."""

    _UNITS = ("working hours", "working hour", "hours", "hour", "hrs", "hr", "h")

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            text = valuelist[0].strip().lower().replace(",", ".")
            for unit in self._UNITS:
                if text.endswith(unit):
                    text = text[: -len(unit)].strip()
                    break
            valuelist = [text]
        super().process_formdata(valuelist)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{round(float(self.data), 2):g}"


class ResponseLevelForm(FlaskForm):
    name = _text("Name", 60, "Type the level's name, for example Urgent.")
    respond_hours = HoursField(
        "Respond within (working hours)",
        validators=[
            InputRequired("Type a number of hours, for example 4."),
            NumberRange(min=0.1, max=10000, message="Use between 0.1 and 10000 hours."),
        ],
    )
    resolve_hours = HoursField(
        "Resolve within (working hours)",
        validators=[
            InputRequired("Type a number of hours, for example 9."),
            NumberRange(min=0.1, max=10000, message="Use between 0.1 and 10000 hours."),
        ],
    )
    rank = IntegerField(
        "Rank",
        default=1,
        description="1 is the most urgent.",
        validators=[
            InputRequired("Type a rank: 1 is the most urgent."),
            NumberRange(min=1, max=99, message="Use 1 to 99."),
        ],
    )

    def validate_resolve_hours(self, field: FloatField) -> None:
        if field.data and self.respond_hours.data and field.data < self.respond_hours.data:
            raise ValidationError("Resolving cannot be due before responding.")


FORMS: dict[str, type[FlaskForm]] = {
    "people": PersonForm,
    "locations": LocationForm,
    "equipment": EquipmentForm,
    "groups": GroupForm,
    "categories": CategoryForm,
    "response-levels": ResponseLevelForm,
}
_NOT_COLUMNS = {"csrf_token", "members"}


def column_values(form: FlaskForm) -> dict[str, Any]:
    """The form's values as the table stores them (dates as ISO text, ticks as 0/1)."""
    values: dict[str, Any] = {}
    for f in form:
        if f.name in _NOT_COLUMNS:
            continue
        value = f.data
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        values[f.name] = "" if value is None and f.type == "StringField" else value
    return values


def form_data(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the form expects it (ISO text back to dates)."""
    data = dict(row)
    for key in ("purchase_date", "warranty_end"):
        if data.get(key):
            try:
                data[key] = date.fromisoformat(data[key])
            except ValueError:
                data[key] = None
    return data


class ImportForm(FlaskForm):
    """Upload a CSV (first step) or confirm the previewed one by its token (second step)."""

    file = FileField("CSV file")
    token = HiddenField()

    def read_upload(self) -> str | None:
        """The uploaded file as text, or None after putting the reason next to the field."""
        if not self.file.data:
            self.file.errors.append("Choose a CSV file to upload.")
            return None
        raw = self.file.data.read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            self.file.errors.append("The file is larger than 2 MB. Split it into smaller files.")
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.file.errors.append(
                "The file is not UTF-8 text. In Excel use Save As and choose "
                "“CSV UTF-8 (Comma delimited)”."
            )
            return None
