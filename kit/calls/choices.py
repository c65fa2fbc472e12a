"""The choices the call forms offer, read from the directory and the accounts: the log-a-call
form's rooms and the call log's filters, and the filter form read as a query of calls.

The printed call log filters with the same form as the screen, so it lives here rather than
among the views, where the printing area would have to import the calls area's routes.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from markupsafe import Markup

from kit import refcache
from kit.auth import store as accounts
from kit.auth.roles import User
from kit.calls import access
from kit.calls.forms import CallLogFilterForm
from kit.calls.log_store import CallFilter
from kit.directory import store as directory
from kit.rules.categories import CALL_TYPES
from kit.rules.lifecycle import STATUSES

SORT_LABELS = {
    "queue": "Queue order",
    "ref": "Reference",
    "logged": "Date logged",
    "caller": "Caller",
    "category": "Category",
    "status": "Status",
    "group": "Group",
    "closed": "Date closed",
}


def location_choices(db):
    return [(0, "— Not about a room —")] + [
        (loc["id"], directory.location_label(loc)) for loc in directory.list_locations(db)
    ]


def filter_form(db) -> CallLogFilterForm:
    form = CallLogFilterForm(request.args)
    form.status.choices = [("", "Any status"), ("open", "Open (not resolved or closed)")] + [
        (s, s) for s in STATUSES
    ]
    form.call_type.choices = [("", "Any type")] + [(t, t) for t in CALL_TYPES]
    form.group_id.choices = [(0, "Any group")] + [
        (gr["id"], gr["name"]) for gr in directory.list_groups(db)
    ]
    form.assignee_id.choices = [(0, "Anyone")] + [
        (u["id"], u["name"]) for u in accounts.list_users(db) if u["active"]
    ]
    form.category_id.choices = [(0, "Any category")] + [
        (c["id"], c["name"]) for c in directory.list_categories(db, active_only=False)
    ]
    form.location_id.choices = [(0, "Any location")] + location_choices(db)[1:]
    form.sort.choices = list(SORT_LABELS.items())
    return form


FILTERS_KEPT = 64  # query strings whose rendered filter form is kept, per process


def filters_html(db, form: CallLogFilterForm) -> Markup:
    """The filter form as HTML. Rendering its twelve fields through WTForms and the field
    macro took a sixth of the call log page's CPU, and the same query string with the same
    reference data (the choices) always renders the same form: so it is kept per query
    string and reference data version (kit.refcache), for the FILTERS_KEPT used last. A
    form with errors, or templates reloaded as they are edited, are rendered each time."""

    def render() -> Markup:
        return Markup(render_template("calls/_filters.html", form=form))

    if form.errors or current_app.jinja_env.auto_reload:
        return render()
    key = (request.script_root, tuple(request.args.items(multi=True)))
    return refcache.cached_per_key(db, "call log filters", key, render, FILTERS_KEPT)


def call_filter(
    db, form: CallLogFilterForm, user: User, date_from: date | None, date_to: date | None
) -> CallFilter:
    """The checked filter form as a query of the calls `user` may see, logged from
    `date_from` to `date_to` (inclusive, None for no bound); an asset tag no equipment
    has finds nothing."""
    f = CallFilter(
        status=form.status.data or "",
        call_type=form.call_type.data or "",
        group_id=form.group_id.data,
        assignee_id=form.assignee_id.data,
        category_id=form.category_id.data,
        location_id=form.location_id.data,
        date_from=date_from.isoformat() if date_from else "",
        date_to=date_to.isoformat() if date_to else "",
        text=form.q.data or "",
        extra=access.visibility(user),
    )
    if form.equipment.data:
        item = directory.equipment_by_tag(db, form.equipment.data)
        f.equipment_id = item["id"] if item else -1
    return f
