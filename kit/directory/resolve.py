"""Turning a checked CSV row into a table row: names become ids, and the row it updates.

CSV files name things the way people do (a room by site, building and room; a category's
group by its name; a team leader by user name), while tables hold ids. Each resolver
returns the columns to write, or None after reporting what could not be found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from sqlite_utils import Database

from kit.auth import store as accounts
from kit.auth.roles import TECHNICIAN, parse_roles
from kit.directory import admin_store

Report = Callable[[str, str], None]  # (column, message)
Record = dict[str, Any]


def _same(values: Record) -> Record | None:
    return dict(values)


def _locations(_db: Database, values: Record, _report: Report) -> Record | None:
    record = dict(values)
    if record.get("teaching_space") is None:
        record.pop("teaching_space", None)  # empty cell: keep what is stored (new rooms: no)
    return record


def _equipment(db: Database, values: Record, report: Report) -> Record | None:
    record = {k: v for k, v in values.items() if k not in ("site", "building", "room")}
    place = [values.get(k, "") for k in ("site", "building", "room")]
    if not any(k in values for k in ("site", "building", "room")):
        return record
    if not any(place):
        record["location_id"] = None
        return record
    if not all(place):
        missing = [k for k, v in zip(("site", "building", "room"), place, strict=True) if not v]
        report(missing[0], "Give site, building and room together, or leave all three empty.")
        return None
    location = admin_store.location_by_names(db, *place)
    if location is None:
        report("room", f"No location “{' / '.join(place)}”: add it first, or import locations.")
        return None
    record["location_id"] = location["id"]
    return record


def _account_id(db: Database, username: str, column: str, report: Report) -> int | None:
    row = accounts.find_by_username(db, username)
    if row is None:
        report(column, f"No account has the user name “{username[:80]}”.")
        return None
    return row["id"]


def _groups(db: Database, values: Record, report: Report) -> Record | None:
    record = {k: v for k, v in values.items() if k not in ("team_leader", "members")}
    ok = True
    if "team_leader" in values:
        record["team_leader_id"] = None
        if values["team_leader"]:
            record["team_leader_id"] = _account_id(db, values["team_leader"], "team_leader", report)
            ok = record["team_leader_id"] is not None
    if "members" in values:
        record["_members"] = []
        for username in values["members"]:
            row = accounts.find_by_username(db, username)
            if row is None or TECHNICIAN not in parse_roles(row["roles"]):
                report(
                    "members", f"“{username[:80]}” is not the user name of a technician account."
                )
                ok = False
            else:
                record["_members"].append(row["id"])
    return record if ok else None


def _categories(db: Database, values: Record, report: Report) -> Record | None:
    record = {"name": values["name"], "call_type": values["type"]}
    if values.get("active") is not None:
        record["active"] = values["active"]
    record["group_id"] = admin_store.id_by_name(db, "groups", values["group"])
    if record["group_id"] is None:
        report("group", f"No support group is called “{values['group']}”.")
    record["response_level_id"] = admin_store.id_by_name(
        db, "response-levels", values["response_level"]
    )
    if record["response_level_id"] is None:
        report("response_level", f"No response level is called “{values['response_level']}”.")
    return record if record["group_id"] and record["response_level_id"] else None


def _levels(_db: Database, values: Record, report: Report) -> Record | None:
    if values["resolve_hours"] < values["respond_hours"]:
        report("resolve_hours", "Resolving cannot be due before responding.")
        return None
    return dict(values)


RESOLVERS: dict[str, Callable[[Database, Record, Report], Record | None]] = {
    "people": lambda _db, values, _report: _same(values),
    "locations": _locations,
    "equipment": _equipment,
    "groups": _groups,
    "categories": _categories,
    "response-levels": _levels,
}


def find_existing(
    db: Database, kind: str, record: Record, report: Report
) -> Record | None | Literal[False]:
    """The row this CSV row updates, None to create one, False after reporting ambiguity.

    People match by email. A row without an email matches by name; a row whose email is
    new matches by name only a person with no email yet, so two John Smiths stay two.
    """
    if kind != "people":
        return admin_store.find_existing(db, kind, record)
    if not record.get("email"):
        record.pop("email", None)  # an empty cell never clears a stored email
    else:
        by_email = admin_store.find_existing(db, "people", record)
        if by_email is not None:
            return by_email
    named = admin_store.people_named(db, record["name"])
    if record.get("email"):
        named = [p for p in named if not p["email"]]
    if len(named) > 1:
        report(
            "name",
            f"{len(named)} people are called “{record['name']}”: add their email "
            "so the row says which one.",
        )
        return False
    return named[0] if named else None


def label(kind: str, row: Record) -> str:
    """What the preview calls the row."""
    if kind == "locations":
        return f"{row['site']} – {row['building']} – {row['room']}"
    if kind == "equipment":
        return f"{row['asset_tag']} ({row.get('type', '')})"
    return str(row["name"])
