"""What the procedure records beyond a call's status: the desk check, who told the user
and how, the supplier's own reference, and the web form's triage category.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-procedure")

#: Where a fault reported on the web form starts: an Incident the desk then triages.
WEB_FAULT_CATEGORY = ("Fault reported on the web form", "Incident", "Service Desk", "Normal")


@migrations()
def m001_desk_check_user_informed_supplier_ref(db: Database) -> None:
    calls = db["calls"]
    calls.add_column("desk_checked_at", str)  # the desk confirmed the details are understood
    calls.add_column("desk_checked_by", int)
    calls.add_column("user_informed_at", str)  # the user was told the outcome...
    calls.add_column("user_informed_how", str)  # ...by email, phone, in person, printed notice
    calls.add_column("user_informed_by", int)
    db["third_parties"].add_column("reference", str, not_null_default="")
    # Calls logged before the desk check existed were checked by whoever logged them.
    db.execute(
        "UPDATE calls SET desk_checked_at = logged_at, desk_checked_by = logged_by "
        "WHERE logged_by IS NOT NULL"
    )
    # Calls closed before "user informed" existed: the record says what the kit knew.
    db.execute(
        "UPDATE calls SET user_informed_at = COALESCE(resolved_at, closed_at), "
        "user_informed_how = 'not recorded (closed before the kit asked)' "
        "WHERE status IN ('Resolved', 'Closed')"
    )
    db.execute("UPDATE calls SET channel = 'In person' WHERE channel = 'Face to face'")
    name, call_type, group, level = WEB_FAULT_CATEGORY
    group_row = db.execute("SELECT id FROM support_groups WHERE name = ?", [group]).fetchone()
    level_row = db.execute("SELECT id FROM response_levels WHERE name = ?", [level]).fetchone()
    if group_row and level_row:
        db["categories"].insert(
            {
                "name": name,
                "call_type": call_type,
                "group_id": group_row[0],
                "response_level_id": level_row[0],
            },
            ignore=True,
        )
