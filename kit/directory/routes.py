"""Reference data: look-ups for the call form, and the admin's pages to edit and import it.

The six kinds (people, locations, equipment, support groups, categories, response levels)
share one set of pages, described by `kit.directory.kinds`: a list, an add/edit form and a
CSV upload with a preview before anything is written (that one in
`kit.directory.import_routes`).
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm

from kit.auth import store as accounts
from kit.auth.roles import TECHNICIAN, parse_roles
from kit.db import get_db
from kit.directory import admin_store, import_routes, store
from kit.directory.blueprint import back_link, bp, kind_or_404
from kit.directory.forms import FORMS, column_values, form_data
from kit.directory.kinds import KINDS, Kind
from kit.security import requires

# The modules whose views join this blueprint (each imports kit.directory.blueprint).
JOINED = (import_routes,)


@bp.get("/people.json")
@requires("call.log")
def people_json():
    """Staff matching what the desk has typed so far (the caller search)."""
    people = store.search_people(get_db(), request.args.get("q", "")[:80])
    return jsonify(
        [{k: p[k] for k in ("id", "name", "email", "phone", "department")} for p in people]
    )


@bp.get("/locations/<id:location_id>/equipment.json")
@requires("call.log")
def location_equipment_json(location_id: int):
    """The equipment in a room, so the desk can pick it instead of reading a label."""
    items = store.equipment_in_location(get_db(), location_id)
    return jsonify([{k: e[k] for k in ("id", "asset_tag", "type", "make", "model")} for e in items])


@bp.get("/")
@requires("admin")
def index():
    """Every kind with how many there are, so a new school sees what is still empty."""
    return render_template(
        "directory/index.html", kinds=KINDS.values(), counts=admin_store.counts(get_db())
    )


@bp.get("/<kind>/")
@requires("admin")
def list_rows(kind: str):
    spec = kind_or_404(kind)
    text = request.args.get("q", "")[:100] if spec.searchable else ""
    number = min(max(request.args.get("page", 1, type=int), 1), 10**6)
    size = current_app.config.get("PAGE_SIZE") or 50
    rows, total = admin_store.page(get_db(), kind, text=text, number=number, size=size)
    return render_template(
        "directory/list.html",
        kind=spec,
        rows=rows,
        total=total,
        page=number,
        pages=max(math.ceil(total / size), 1),
        q=text,
    )


@bp.route("/<kind>/new", methods=["GET", "POST"])
@requires("admin")
def new(kind: str):
    spec = kind_or_404(kind)
    return _form_page(spec, FORMS[kind](), None)


@bp.route("/<kind>/<id:row_id>/edit", methods=["GET", "POST"])
@requires("admin")
def edit(kind: str, row_id: int):
    spec = kind_or_404(kind)
    db = get_db()
    row = admin_store.get(db, kind, row_id) or abort(404)
    data = form_data(row)
    if kind == "groups":
        data["members"] = admin_store.member_ids(db, row_id)
    return _form_page(spec, FORMS[kind](data=data), row)


def _form_page(spec: Kind, form: FlaskForm, row: dict[str, Any] | None):
    """Show the form; on a good POST save and go back to the list, else 400 with reasons."""
    db = get_db()
    _fill_choices(db, spec.slug, form, row)
    valid = form.validate_on_submit()
    # A duplicate is reported together with any other mistake, not after fixing them.
    unique = form.is_submitted() and _unique(db, spec, form, row)
    if valid and unique and _save(db, spec, form, row):
        flash(f"Saved {spec.one} “{_name(spec, column_values(form))}”.")
        return redirect(back_link(spec)[0])
    used = admin_store.uses(db, spec.slug, row["id"]) if row else []
    status = 400 if form.is_submitted() else 200
    page = render_template(
        "directory/form.html", kind=spec, form=form, row=row, used=used, back=back_link(spec)
    )
    return page, status


def _fill_choices(db, kind: str, form: FlaskForm, row: dict[str, Any] | None) -> None:
    """Choices from the database; a current choice stays listed even if since retired."""
    if kind == "equipment":
        form.location_id.choices = [(0, "— Not in a room —")] + [
            (loc["id"], store.location_label(loc)) for loc in store.list_locations(db)
        ]
    elif kind == "groups":
        users = accounts.list_users(db)
        leader = row["team_leader_id"] if row else None
        members = set(admin_store.member_ids(db, row["id"])) if row else set()
        form.team_leader_id.choices = [(0, "— None —")] + [
            (u["id"], u["name"]) for u in users if u["active"] or u["id"] == leader
        ]
        form.members.choices = [
            (u["id"], f"{u['name']} ({u['username']})")
            for u in users
            if u["id"] in members or (u["active"] and TECHNICIAN in parse_roles(u["roles"]))
        ]
    elif kind == "categories":
        form.group_id.choices = [(0, "— Choose a group —")] + [
            (g["id"], f"{g['name']} (tier {g['tier']})") for g in store.list_groups(db)
        ]
        form.response_level_id.choices = [(0, "— Choose a level —")] + [
            (lv["id"], lv["name"]) for lv in store.list_response_levels(db)
        ]


def _unique(db, spec: Kind, form: FlaskForm, row: dict[str, Any] | None) -> bool:
    """False after putting "already exists" next to the field that makes the row unique."""
    key_field = form[spec.key_field]
    if key_field.errors or not key_field.data:
        return not key_field.errors
    clash = admin_store.find_existing(db, spec.slug, column_values(form))
    if clash and (row is None or clash["id"] != row["id"]):
        key_field.errors.append(_clash_message(spec, clash))
        return False
    return True


def _save(db, spec: Kind, form: FlaskForm, row: dict[str, Any] | None) -> bool:
    """Save the row (and a group's members); a duplicate slipping past `_unique` is a field error."""
    values = column_values(form)
    key_field = form[spec.key_field]
    try:
        with db.atomic():
            if row:
                admin_store.update(db, spec.slug, row["id"], values)
            row_id = row["id"] if row else admin_store.insert(db, spec.slug, values)
            if spec.slug == "groups":
                admin_store.set_members(db, row_id, form.members.data or [])
    except sqlite3.IntegrityError:  # a duplicate typed at the same moment elsewhere
        key_field.errors.append(
            f"Another {spec.one} already has this {key_field.label.text.lower()}."
        )
        return False
    return True


def _clash_message(spec: Kind, clash: dict[str, Any]) -> str:
    if spec.slug == "locations":
        return f"This room is already listed: {store.location_label(clash)}."
    if spec.slug == "equipment":
        return f"Another item already has asset tag “{clash['asset_tag']}”: tags are unique."
    if spec.slug == "people":
        return f"{clash['name']} already has this email."
    return f"Another {spec.one} is already called “{clash['name']}”."


def _name(spec: Kind, row: dict[str, Any]) -> str:
    if spec.slug == "locations":
        return store.location_label(row)
    return row["asset_tag"] if spec.slug == "equipment" else row["name"]


@bp.post("/<kind>/<id:row_id>/delete")
@requires("admin")
def delete(kind: str, row_id: int):
    """Delete a row nothing uses; a row calls still use stays, with the reason."""
    spec = kind_or_404(kind)
    db = get_db()
    row = admin_store.get(db, kind, row_id) or abort(404)
    used = admin_store.delete(db, kind, row_id)
    if not used:
        flash(f"Deleted {spec.one} “{_name(spec, row)}”.")
        return redirect(url_for(".list_rows", kind=kind))
    advice = " Untick “Active” to retire it instead." if kind == "categories" else ""
    flash(f"“{_name(spec, row)}” cannot be deleted: {' and '.join(used)} still use it.{advice}")
    return redirect(url_for(".edit", kind=kind, row_id=row_id))
