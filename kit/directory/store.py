"""The SQL for the school's reference data, as the rest of the kit reads it.

Editing and CSV import live in `kit.directory.admin_store`; this module holds the look-ups
the desk needs while logging a call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from kit import refcache


def location_label(row: dict[str, Any]) -> str:
    return f"{row['site']} – {row['building']} – {row['room']}"


def _copies(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def list_locations(db: Database) -> list[dict[str, Any]]:
    return _copies(
        refcache.cached(
            db,
            "locations",
            lambda: [
                dict(r) for r in db.execute("SELECT * FROM locations ORDER BY site, building, room")
            ],
        )
    )


def get_location(db: Database, location_id: int | None) -> dict[str, Any] | None:
    if not location_id:
        return None
    return next(db["locations"].rows_where("id = ?", [location_id]), None)


def list_categories(db: Database, *, active_only: bool = True) -> list[dict[str, Any]]:
    """Categories with what each implies (type, group, response level), for the call form."""
    where = "WHERE c.active = 1" if active_only else ""
    return _copies(
        refcache.cached(
            db,
            f"categories:{where}",
            lambda: [
                dict(r)
                for r in db.execute(
                    "SELECT c.*, g.name AS group_name, g.tier, l.name AS level_name, "
                    "l.respond_hours, l.resolve_hours FROM categories c "
                    "JOIN support_groups g ON g.id = c.group_id "
                    f"JOIN response_levels l ON l.id = c.response_level_id {where} "
                    "ORDER BY c.name"
                ).fetchall()
            ],
        )
    )


def _one(cursor) -> dict[str, Any] | None:
    row = cursor.fetchone()
    return dict(row) if row else None


def _cached_rows(db: Database, table: str) -> dict[Any, dict[str, Any]] | None:
    """A small reference table's rows by id where the cache serves (every call logged looks
    up its category and response level), else None: ask the database for the one row."""
    return refcache.cached(
        db,
        f"rows:{table}",  # table: a name from this module, never from input
        lambda: {r["id"]: dict(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY id")},
        otherwise=lambda: None,
    )


def _by_id(db: Database, table: str, row_id: Any) -> dict[str, Any] | None:
    rows = _cached_rows(db, table)
    if rows is None:
        return _one(db.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id]))
    found = rows.get(int(row_id) if isinstance(row_id, str) and row_id.isdigit() else row_id)
    return dict(found) if found else None


def get_category(db: Database, category_id: int | None) -> dict[str, Any] | None:
    if not category_id:
        return None
    return _by_id(db, "categories", category_id)


def category_by_name(db: Database, name: str) -> dict[str, Any] | None:
    rows = _cached_rows(db, "categories")
    if rows is None:
        sql = "SELECT * FROM categories WHERE name = ? ORDER BY id LIMIT 1"
        return _one(db.execute(sql, [name]))
    found = next((r for r in rows.values() if r["name"] == name), None)  # rows in id order
    return dict(found) if found else None


def get_response_level(db: Database, level_id: int) -> dict[str, Any] | None:
    return _by_id(db, "response_levels", level_id)


def list_response_levels(db: Database) -> list[dict[str, Any]]:
    return _copies(
        refcache.cached(
            db,
            "response_levels",
            lambda: [
                dict(r) for r in db.execute("SELECT * FROM response_levels ORDER BY rank, id")
            ],
        )
    )


def list_groups(db: Database) -> list[dict[str, Any]]:
    return _copies(
        refcache.cached(
            db,
            "groups",
            lambda: [
                dict(r)
                for r in db.execute(
                    "SELECT g.*, u.name AS team_leader FROM support_groups g "
                    "LEFT JOIN users u ON u.id = g.team_leader_id ORDER BY g.tier, g.name"
                ).fetchall()
            ],
        )
    )


def get_group(db: Database, group_id: int | None) -> dict[str, Any] | None:
    if not group_id:
        return None
    return next(db["support_groups"].rows_where("id = ?", [group_id]), None)


def group_members(db: Database, group_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.execute(
            "SELECT u.id, u.name, u.email FROM users u JOIN group_members m ON m.user_id = u.id "
            "WHERE m.group_id = ? AND u.active = 1 ORDER BY u.name",
            [group_id],
        ).fetchall()
    ]


def search_people(db: Database, text: str, limit: int = 10) -> list[dict[str, Any]]:
    """Staff whose name, email or department starts a word with what was typed."""
    text = (text or "").strip()
    if not text:
        return []
    like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        db["people"].rows_where(
            "name LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' "
            "OR department LIKE ? ESCAPE '\\'",
            [f"{like}%", f"% {like}%", f"{like}%", f"{like}%"],
            order_by="name",
            limit=limit,
        )
    )


def people_sharing(
    db: Database, words: Iterable[str], digits: Iterable[str], limit: int = 200
) -> list[dict[str, Any]]:
    """Staff whose name, job title or department contains one of `words`, or whose phone
    contains one of the digit runs: the few worth scoring against a hand-typed caller."""
    clauses, args = [], []
    for word in list(words)[:12]:
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "name LIKE ? ESCAPE '\\' OR role LIKE ? ESCAPE '\\' OR department LIKE ? ESCAPE '\\'"
        )
        args += [like, like, like]
    for run in list(digits)[:4]:
        clauses.append("replace(replace(phone, ' ', ''), '-', '') LIKE ?")
        args.append(f"%{run}%")
    if not clauses:
        return []
    return list(db["people"].rows_where(" OR ".join(clauses), args, order_by="name", limit=limit))


def people_named(db: Database, name: str, limit: int = 2) -> list[dict[str, Any]]:
    """Staff with exactly this name (in any case): one means the caller is known."""
    return list(db["people"].rows_where("name = ? COLLATE NOCASE", [name.strip()], limit=limit))


def get_person(db: Database, person_id: int | None) -> dict[str, Any] | None:
    if not person_id:
        return None
    return next(db["people"].rows_where("id = ?", [person_id]), None)


def add_person(
    db: Database,
    *,
    name: str,
    email: str = "",
    phone: str = "",
    department: str = "",
    role: str = "",
) -> int:
    return (
        db["people"]
        .insert(
            {"name": name, "email": email, "phone": phone, "department": department, "role": role}
        )
        .last_pk
    )


def get_equipment(db: Database, equipment_id: int | None) -> dict[str, Any] | None:
    if not equipment_id:
        return None
    return next(db["equipment"].rows_where("id = ?", [equipment_id]), None)


def equipment_by_tag(db: Database, asset_tag: str) -> dict[str, Any] | None:
    return next(
        db["equipment"].rows_where("asset_tag = ? COLLATE NOCASE", [asset_tag.strip()]), None
    )


def equipment_in_location(db: Database, location_id: int) -> list[dict[str, Any]]:
    return list(db["equipment"].rows_where("location_id = ?", [location_id], order_by="asset_tag"))
