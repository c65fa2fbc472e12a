"""The SQL behind the admin's reference-data pages and the CSV importer.

Rows are found by their natural key ignoring case (asset tag, site + building + room,
names), so "Room 1" and "room 1" never become two rooms. A row that calls or other rows
still use is never deleted: `delete` says what uses it instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from kit.directory.kinds import KINDS

# kind: (SELECT ... FROM ..., columns the text filter searches, ORDER BY). Constants only:
# the text a person types is always a bound parameter.
_LISTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "people": (
        "SELECT * FROM people p",
        ("p.name", "p.email", "p.phone", "p.department"),
        "p.name, p.id",
    ),
    "locations": (
        "SELECT * FROM locations l",
        ("l.site", "l.building", "l.room"),
        "l.site, l.building, l.room",
    ),
    "equipment": (
        "SELECT e.*, l.site || ' – ' || l.building || ' – ' || l.room AS location "
        "FROM equipment e LEFT JOIN locations l ON l.id = e.location_id",
        ("e.asset_tag", "e.type", "e.make", "e.model", "e.serial", "l.room"),
        "e.asset_tag",
    ),
    "groups": (
        "SELECT g.*, u.name AS team_leader, (SELECT count(*) FROM group_members m "
        "WHERE m.group_id = g.id) AS members FROM support_groups g "
        "LEFT JOIN users u ON u.id = g.team_leader_id",
        ("g.name",),
        "g.tier, g.name",
    ),
    "categories": (
        "SELECT c.*, g.name AS group_name, r.name AS level_name FROM categories c "
        "JOIN support_groups g ON g.id = c.group_id "
        "JOIN response_levels r ON r.id = c.response_level_id",
        ("c.name",),
        "c.active DESC, c.name",
    ),
    "response-levels": ("SELECT * FROM response_levels r", ("r.name",), "r.rank, r.id"),
}

# What may refer to a row of each kind: (table, column, what one and several are called).
_CALLS = ("call", "calls")
_USED_BY: dict[str, tuple[tuple[str, str, tuple[str, str]], ...]] = {
    "people": (("calls", "caller_id", _CALLS),),
    "locations": (
        ("calls", "location_id", _CALLS),
        ("equipment", "location_id", ("equipment item", "equipment items")),
    ),
    "equipment": (("calls", "equipment_id", _CALLS),),
    "groups": (
        ("calls", "group_id", _CALLS),
        ("categories", "group_id", ("category", "categories")),
    ),
    "categories": (("calls", "category_id", _CALLS),),
    "response-levels": (
        ("calls", "response_level_id", _CALLS),
        ("categories", "response_level_id", ("category", "categories")),
    ),
}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def page(
    db: Database, kind: str, *, text: str = "", number: int = 1, size: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of a kind's rows for the admin list, and how many rows match in all."""
    select, searched, order = _LISTS[kind]
    where, args = "", []
    if text.strip():
        where = " WHERE " + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in searched)
        args = [_like(text.strip())] * len(searched)
    total = db.execute(f"SELECT count(*) FROM ({select}{where})", args).fetchone()[0]
    found = db.query(
        f"{select}{where} ORDER BY {order} LIMIT ? OFFSET ?", [*args, size, (number - 1) * size]
    )
    return list(found), total


def counts(db: Database) -> dict[str, int]:
    return {slug: db[kind.table].count for slug, kind in KINDS.items()}


def get(db: Database, kind: str, row_id: int) -> dict[str, Any] | None:
    return next(db[KINDS[kind].table].rows_where("id = ?", [row_id]), None)


def insert(db: Database, kind: str, values: dict[str, Any]) -> int:
    return db[KINDS[kind].table].insert(values).last_pk


def insert_plain(db: Database, kind: str, values: dict[str, Any]) -> int:
    """`insert` for an import's checked values (text, numbers, None) as one plain INSERT:
    sqlite-utils' insert looks the table up and builds its statement for every row, most
    of a 30,000-row import's time. The columns are the kind's own (`kit.directory.columns`)."""
    if not values or not all(isinstance(v, str | int | float | None) for v in values.values()):
        return insert(db, kind, values)
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" for _ in values)
    sql = f'INSERT INTO "{KINDS[kind].table}" ({columns}) VALUES ({marks})'
    return db.execute(sql, list(values.values())).lastrowid


def update(db: Database, kind: str, row_id: int, values: dict[str, Any]) -> None:
    if values:
        db[KINDS[kind].table].update(row_id, values)


def find_existing(db: Database, kind: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """The row with the same natural key as `values`, ignoring case (people: by email)."""
    table = db[KINDS[kind].table]
    if kind == "people":
        if not values.get("email"):
            return None
        return next(table.rows_where("email = ? COLLATE NOCASE", [values["email"]]), None)
    if kind == "locations":
        where = (
            "site = ? COLLATE NOCASE AND building = ? COLLATE NOCASE AND room = ? COLLATE NOCASE"
        )
        args = [values["site"], values["building"], values["room"]]
    elif kind == "equipment":
        where, args = "asset_tag = ? COLLATE NOCASE", [values["asset_tag"]]
    else:
        where, args = "name = ? COLLATE NOCASE", [values["name"]]
    return next(table.rows_where(where, args), None)


def people_named(db: Database, name: str) -> list[dict[str, Any]]:
    return list(db["people"].rows_where("name = ? COLLATE NOCASE", [name.strip()]))


def location_by_names(db: Database, site: str, building: str, room: str) -> dict[str, Any] | None:
    return find_existing(db, "locations", {"site": site, "building": building, "room": room})


def id_by_name(db: Database, kind: str, name: str) -> int | None:
    row = find_existing(db, kind, {"name": name})
    return row["id"] if row else None


def uses(db: Database, kind: str, row_id: int) -> list[str]:
    """What still refers to the row, in words ("3 calls", "1 category"); empty if nothing."""
    found = []
    for table, column, (one, several) in _USED_BY[kind]:
        n = db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [row_id]).fetchone()[0]
        if n:
            found.append(f"{n} {one if n == 1 else several}")
    return found


def delete(db: Database, kind: str, row_id: int) -> list[str]:
    """Delete the row unless something uses it; returns what uses it (empty when deleted)."""
    used = uses(db, kind, row_id)
    if used:
        return used
    try:
        with db.atomic():
            if kind == "groups":
                db["group_members"].delete_where("group_id = ?", [row_id])
            db[KINDS[kind].table].delete(row_id)
    except sqlite3.IntegrityError:  # another area's table refers to it
        return ["other records in the kit"]
    return []


def member_ids(db: Database, group_id: int) -> list[int]:
    return [r["user_id"] for r in db["group_members"].rows_where("group_id = ?", [group_id])]


def set_members(db: Database, group_id: int, user_ids: list[int]) -> None:
    """Make exactly these accounts the group's members (one transaction)."""
    with db.atomic():
        db["group_members"].delete_where("group_id = ?", [group_id])
        db["group_members"].insert_all(
            [{"group_id": group_id, "user_id": u} for u in dict.fromkeys(user_ids)]
        )
