"""What a new school starts with: the procedure's tiers, response levels and categories.

The numbers are working hours on the school's clock. "Teaching Space Technology" is the
procedure's priority incident for Service Delivery with a 1 to 4 hour response.
"""

from __future__ import annotations

from sqlite_utils import Database

TIERS = (
    ("Service Desk", 1),
    ("Service Delivery", 2),
    ("Technology Integration", 3),
)

RESPONSE_LEVELS = (
    # name, respond within (working hours), resolve within, rank (1 = most urgent)
    ("Urgent", 1.0, 4.0, 1),
    ("High", 4.0, 9.0, 2),
    ("Normal", 9.0, 27.0, 3),
    ("Low", 18.0, 45.0, 4),
)

CATEGORIES = (
    ("Teaching Space Technology", "Incident", "Service Delivery", "Urgent"),
    ("Projector or interactive display", "Incident", "Service Delivery", "High"),
    ("Computer or laptop fault", "Incident", "Service Delivery", "Normal"),
    ("Printer or copier", "Incident", "Service Delivery", "Normal"),
    ("Network or Wi-Fi", "Incident", "Technology Integration", "High"),
    ("Email", "Incident", "Technology Integration", "High"),
    ("MIS or school management system", "Incident", "Technology Integration", "High"),
    ("Software fault", "Incident", "Service Delivery", "Normal"),
    ("Password reset or locked account", "Request", "Service Desk", "High"),
    ("Access request", "Request", "Service Desk", "Normal"),
    ("Software installation", "Request", "Service Delivery", "Low"),
    ("New equipment or move", "Request", "Service Delivery", "Low"),
    ("Information or advice", "Request", "Service Desk", "Low"),
    ("Scheduled maintenance", "Maintenance", "Service Delivery", "Low"),
    ("Server, backup or filtering maintenance", "Maintenance", "Technology Integration", "Normal"),
)


def seed_defaults(db: Database) -> None:
    """Insert the defaults; existing rows with the same names are left alone."""
    for name, tier in TIERS:
        db["support_groups"].insert({"name": name, "tier": tier}, ignore=True)
    for name, respond, resolve, rank in RESPONSE_LEVELS:
        db["response_levels"].insert(
            {"name": name, "respond_hours": respond, "resolve_hours": resolve, "rank": rank},
            ignore=True,
        )
    group_ids = {r["name"]: r["id"] for r in db["support_groups"].rows}
    level_ids = {r["name"]: r["id"] for r in db["response_levels"].rows}
    for name, call_type, group, level in CATEGORIES:
        db["categories"].insert(
            {
                "name": name,
                "call_type": call_type,
                "group_id": group_ids[group],
                "response_level_id": level_ids[level],
            },
            ignore=True,
        )
