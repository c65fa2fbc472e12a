"""Reference data: look-ups for the call form, and the admin's pages to edit and import it."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from kit.db import get_db
from kit.directory import store
from kit.security import requires

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.get("/people.json")
@requires("call.log")
def people_json():
    """Staff matching what the desk has typed so far (the caller search)."""
    people = store.search_people(get_db(), request.args.get("q", "")[:80])
    return jsonify([
        {k: p[k] for k in ("id", "name", "email", "phone", "department")} for p in people
    ])


@bp.get("/locations/<id:location_id>/equipment.json")
@requires("call.log")
def location_equipment_json(location_id: int):
    """The equipment in a room, so the desk can pick it instead of reading a label."""
    items = store.equipment_in_location(get_db(), location_id)
    return jsonify([
        {k: e[k] for k in ("id", "asset_tag", "type", "make", "model")} for e in items
    ])
