"""Words shown for a call's fields and history entries (one place, the procedure's words)."""

from __future__ import annotations

import re

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
    "routed_at": "Passed on",
    "responded_at": "Responded",
    "resolved_at": "Resolved",
    "closed_at": "Closed",
    "resolution_summary": "Resolution summary",
    "resolution_details": "Resolution details",
    "closure_category": "Closure category",
    "customer_confirmed": "Customer confirmed the fix",
    "confirmation_exception": "Resolved without confirmation because",
    "reopen_count": "Times reopened",
    "with_customer_since": "With Customer since",
    "third_party_due": "3rd party expected by",
    "type_rank": "Queue rank",
    "voided": "Voided",
    "first_contact_kb": "Resolved at the desk from the knowledge base",
    "desk_checked_at": "Desk check",
    "desk_checked_by": "Checked at the desk by",
    "user_informed_at": "User told",
    "user_informed_how": "User told how",
    "user_informed_by": "User told by",
}

EVENT_LABELS = {
    "logged": "Call logged",
    "changed": "Details changed",
    "note": "Note",
    "status": "Status changed",
    "assigned": "Assigned",
    "reassigned": "Re-assigned to another group",
    "started": "Work started",
    "with_customer": "With Customer",
    "back_from_customer": "Back from Customer",
    "with_third_party": "With 3rd Party",
    "back_from_third_party": "Back from 3rd Party",
    "time": "Time taken",
    "resolved": "Resolved",
    "closed": "Closed",
    "closed_no_contact": "Closed: no further contact from the customer",
    "reopened": "Reopened",
    "fixed_itself": "Fixed itself",
    "hot_swap": "Hot swap put in",
    "hot_swap_returned": "Hot swap returned",
    "category": "Category changed",
    "due": "Due times recalculated",
    "voided": "Voided",
    "handoff": "Passed on",
    "attachments_added": "Files added",
    "attachment_removed": "File removed",
    "attachments_purged": "Files deleted (retention)",
    "followup": "Follow-up date set",
    "followup_done": "Followed up",
    "problem": "Problem",
    "priority": "Response level raised",
    "first_contact_kb": "Resolved at the desk from the knowledge base",
    "desk_check": "Desk check: details understood",
    "returned_to_desk": "Returned to the desk",
    "user_informed": "User told",
}

# Fields holding ids, and the table and column that name them, for the history.
ID_FIELDS = {
    "location_id": ("locations", "site || ' – ' || building || ' – ' || room"),
    "equipment_id": ("equipment", "asset_tag"),
    "category_id": ("categories", "name"),
    "group_id": ("support_groups", "name"),
    "response_level_id": ("response_levels", "name"),
    "assignee_id": ("users", "name"),
    "desk_checked_by": ("users", "name"),
    "user_informed_by": ("users", "name"),
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind.replace("_", " ").capitalize())


YES_NO_FIELDS = frozenset({"customer_confirmed", "voided", "first_contact_kb"})


_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}):\d{2}(?:\.\d+)?")


def show_value(value: object, _field: str = "") -> str:
    """A history value as the page shows it: times to the minute, as everywhere else."""
    if value is None or value == "":
        return "—"
    if _field in YES_NO_FIELDS:
        return "Yes" if value else "No"
    text = str(value)
    stamp = _STAMP.fullmatch(text)
    return f"{stamp[1]} {stamp[2]}" if stamp else text
