"""A step refused on a call's page: the message goes next to its field, and the page comes
back (400) with the form as it was typed.

Every panel on the call's page (actions, follow-ups, priority, hand-off, problems) refuses
the same way, so a newcomer's panel does too.
"""

from __future__ import annotations

from flask import g
from flask_wtf import FlaskForm

from kit.calls.page import view


def attach_error(form: FlaskForm, exc: Exception, fields: dict[str, str] | None = None) -> None:
    """Put the refusal next to the field it names, else at the top of the form.

    `exc.field` names the rule's field; `fields` maps it to the form's own field name where
    they differ, otherwise a form field ending in that name is taken.
    """
    name = getattr(exc, "field", None) or ""
    if fields is not None:
        target = getattr(form, fields.get(name, ""), None)
    else:
        target = next((f for f in form if name and f.name.endswith(name)), None)
    if target is not None:
        target.errors = [*target.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def call_page_again(call_id: int, form_name: str, form: FlaskForm):
    """The call's page with the refused form kept on `g` for its panel to show."""
    setattr(g, form_name, form)
    return view(call_id=call_id), 400
