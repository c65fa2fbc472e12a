"""Words shown for a call's fields and history entries (one place, the procedure's words)."""

from __future__ import annotations

FIELD_LABELS = {
    "channel": "Came in by",
    "caller_name": "Caller",
    "location_id": "Location",
    "equipment_id": "Equipment",
    "category_id": "Category",
    "call_type": "Type",
    "group_id": "Group",
    "response_level_id": "Response level",
    "assignee_id": "Owner",
    "status": "Status",
    "summary": "Summary",
    "details": "Details",
    "respond_by": "Response due",
    "resolve_by": "Resolution due",
}

EVENT_LABELS = {
    "logged": "Call logged",
    "changed": "Details changed",
    "note": "Note",
    "status": "Status changed",
    "assigned": "Assigned",
    "reassigned": "Re-assigned to another group",
}

# Fields holding ids, and the table and column that name them, for the history.
ID_FIELDS = {
    "location_id": ("locations", "site || ' – ' || building || ' – ' || room"),
    "equipment_id": ("equipment", "asset_tag"),
    "category_id": ("categories", "name"),
    "group_id": ("support_groups", "name"),
    "response_level_id": ("response_levels", "name"),
    "assignee_id": ("users", "name"),
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind.replace("_", " ").capitalize())


def show_value(value: object, _field: str = "") -> str:
    if value is None or value == "":
        return "—"
    return str(value)
