"""The SQL for accounts: users, their roles, their groups, and their sessions."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from kit import refcache
from kit.auth.roles import User, format_roles, parse_roles

# Checked for unknown user names so a missing account takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def create_user(
    db: Database,
    *,
    username: str,
    name: str,
    password: str,
    roles: set[str] | frozenset[str],
    email: str = "",
    created_at: str = "",
) -> int:
    """Create an account and return its id (user names are unique, ignoring case)."""
    return (
        db["users"]
        .insert(
            {
                "username": username.strip(),
                "name": name.strip(),
                "email": email.strip(),
                "password_hash": generate_password_hash(password),
                "roles": format_roles(roles),
                "active": 1,
                "session_version": 0,
                "created_at": created_at,
            }
        )
        .last_pk
    )


def find_by_username(db: Database, username: str) -> dict[str, Any] | None:
    return next(db["users"].rows_where("username = ? COLLATE NOCASE", [username.strip()]), None)


def _accounts(db: Database) -> tuple[dict[int, dict[str, Any]], dict[int, frozenset[int]]]:
    """Every account by id (in name order) and each one's groups, read once per change to
    the accounts or groups (kit.refcache): the logged-in user costs no SQL per request, and
    a logout, password or role change bumps the version, so the next request sees it."""

    def load() -> tuple[dict[int, dict[str, Any]], dict[int, frozenset[int]]]:
        users = {r["id"]: dict(r) for r in db.execute("SELECT * FROM users ORDER BY name")}
        members: dict[int, set[int]] = {}
        for user_id, group_id in db.execute("SELECT user_id, group_id FROM group_members"):
            members.setdefault(user_id, set()).add(group_id)
        return users, {k: frozenset(v) for k, v in members.items()}

    return refcache.cached(db, "accounts", load)


def get_user_row(db: Database, user_id: int) -> dict[str, Any] | None:
    row = _accounts(db)[0].get(user_id)
    return dict(row) if row is not None else None


def authenticate(db: Database, username: str, password: str) -> dict[str, Any] | None:
    """The account row when the password matches an active account, else None."""
    row = find_by_username(db, username)
    if row is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row["password_hash"], password) or not row["active"]:
        return None
    return row


def load_user(db: Database, row: dict[str, Any]) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        name=row["name"],
        email=row["email"] or "",
        roles=parse_roles(row["roles"]),
        group_ids=_accounts(db)[1].get(row["id"], frozenset()),
    )


def set_password(db: Database, user_id: int, password: str) -> None:
    """Change a password and end the user's other sessions."""
    db.execute(
        "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
        [generate_password_hash(password), user_id],
    )


def end_sessions(db: Database, user_id: int) -> None:
    """Invalidate every session cookie issued to this user so far."""
    db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])


def set_roles(db: Database, user_id: int, roles: set[str] | frozenset[str]) -> None:
    db.execute(
        "UPDATE users SET roles = ?, session_version = session_version + 1 WHERE id = ?",
        [format_roles(roles), user_id],
    )


def set_active(db: Database, user_id: int, active: bool) -> None:
    db.execute(
        "UPDATE users SET active = ?, session_version = session_version + 1 WHERE id = ?",
        [int(active), user_id],
    )


def update_details(db: Database, user_id: int, *, name: str, email: str) -> None:
    """Change the name and email shown for an account (sessions carry on: nothing to end)."""
    db["users"].update(user_id, {"name": name.strip(), "email": email.strip()})


def list_users(db: Database) -> list[dict[str, Any]]:
    return [dict(row) for row in _accounts(db)[0].values()]


def users_with_role(db: Database, role: str) -> list[dict[str, Any]]:
    return [u for u in list_users(db) if u["active"] and role in parse_roles(u["roles"])]


def active_admin_count(db: Database) -> int:
    return sum(1 for u in list_users(db) if u["active"] and "admin" in parse_roles(u["roles"]))


def add_to_group(db: Database, user_id: int, group_id: int) -> None:
    db["group_members"].insert({"group_id": group_id, "user_id": user_id}, ignore=True)


def set_groups(db: Database, user_id: int, group_ids: set[int]) -> None:
    """Make the account a member of exactly these support groups (a technician sees the
    calls routed to them); read afresh on every request, so no session needs ending."""
    with db.atomic():
        db.execute("DELETE FROM group_members WHERE user_id = ?", [user_id])
        for group_id in sorted(group_ids):
            add_to_group(db, user_id, group_id)


def groups_by_user(db: Database) -> dict[int, list[tuple[int, str]]]:
    """Each account's support groups as (id, name), by tier then name."""
    result: dict[int, list[tuple[int, str]]] = {}
    for user_id, group_id, name in db.execute(
        "SELECT m.user_id, g.id, g.name FROM group_members m "
        "JOIN support_groups g ON g.id = m.group_id ORDER BY g.tier, g.name"
    ):
        result.setdefault(user_id, []).append((group_id, name))
    return result
