"""The article editor, the search filters and the small forms on a call's page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kit.rules.words import pasted_text

AUDIENCE_CHOICES = [
    ("staff", "Staff: anyone may follow it (shown in the staff FAQ when published)"),
    ("technicians", "Technicians only"),
]


def _int_or_none(value):
    if value in (None, "", "0", 0):
        return None
    return int(value)


def split_list(text: str | None) -> list[str]:
    """Comma- or line-separated entries, trimmed, empty ones dropped."""
    return [p.strip() for p in (text or "").replace("\n", ",").split(",") if p.strip()]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, readable without a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArticleForm(FlaskForm):
    """In the order a reader needs it: what you see, why, what to do."""

    base_revision = HiddenField()
    title = StringField(
        "Title",
        validators=[InputRequired("Give the article a title."), Length(max=200)],
        description="As a caller would put it, for example “Projector shows No signal”.",
    )
    symptoms = TextAreaField(
        "Symptoms", validators=[Length(max=5000)], description="What the person sees or hears."
    )
    cause = TextAreaField("Cause", validators=[Length(max=5000)])
    fix = TextAreaField(
        "Fix",
        validators=[Length(max=20000)],
        description="Numbered steps in Markdown: “1. Check the cable…”. "
        "**Bold** and links work; scripts and images do not.",
    )
    error_messages = TextAreaField(
        "Error messages",
        validators=[Length(max=3000)],
        description="Word for word, one per line. They are matched "
        "exactly when someone pastes them.",
    )
    tags = StringField(
        "Tags",
        validators=[Length(max=300)],
        description="Other words people use, separated by commas.",
    )
    equipment_types = StringField(
        "Equipment types",
        validators=[Length(max=300)],
        description="Separated by commas, for example Projector, Laptop.",
    )
    category_ids = CheckboxesField("Categories", coerce=int, validate_choice=True)
    location_ids = SelectMultipleField(
        "Locations",
        coerce=int,
        validate_choice=True,
        description="Only when the fix is for particular rooms. Hold Ctrl to choose several.",
    )
    audience = RadioField("Who may follow it", choices=AUDIENCE_CHOICES, default="technicians")
    owner_id = SelectField(
        "Owner",
        coerce=_int_or_none,
        validate_choice=True,
        description="Who keeps this article up to date.",
    )
    last_reviewed = DateField("Last reviewed", validators=[Optional()])


class SearchForm(FlaskForm):
    """GET filters for the knowledge base (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    # A pasted error message is searched on its beginning, never refused for its length.
    q = StringField("Search for", filters=[pasted_text])
    category_id = SelectField("Category", coerce=_int_or_none, validate_choice=True)
    equipment_type = SelectField("Equipment type", validate_choice=True, default="")
    audience = SelectField(
        "For",
        validate_choice=True,
        default="",
        choices=[("", "Anyone"), ("staff", "Staff (FAQ)"), ("technicians", "Technicians only")],
    )
    status = SelectField(
        "Status",
        validate_choice=True,
        default="published",
        choices=[("published", "Published"), ("draft", "Drafts"), ("retired", "Retired")],
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1, max=10000)], default=1)


class LinkArticleForm(FlaskForm):
    """Link an article to a call, or mark that it solved the call."""

    article_id = IntegerField(
        "Article", validators=[InputRequired(), NumberRange(min=1, max=2**63 - 1)]
    )


class DraftForm(FlaskForm):
    """Turn a call's resolution into a draft article."""

    resolution = TextAreaField("Resolution", validators=[Length(max=20000)])


class ActionForm(FlaskForm):
    """Publish, retire: a button with a CSRF token."""
