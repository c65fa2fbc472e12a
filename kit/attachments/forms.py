"""The forms that add and remove a call's files."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import DataRequired, Length


class AttachForm(FlaskForm):
    file = MultipleFileField("Add files")


class RemoveForm(FlaskForm):
    reason = TextAreaField(
        "Why remove it?",
        validators=[DataRequired("Write why the file is being removed."), Length(max=500)],
    )


def uploads(field: MultipleFileField, cap: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of each file chosen; reading stops at `cap` + 1 bytes a file, so a
    file over the limit is known to be too large without holding all of it."""
    chosen = []
    for item in field.data or []:
        if not getattr(item, "filename", None) and not getattr(item, "stream", None):
            continue
        data = item.stream.read(cap + 1) if item.stream else b""
        if item.filename or data:
            chosen.append((item.filename or "", data))
    return chosen
