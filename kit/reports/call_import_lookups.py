"""The directory as a past-call import sees it: each distinct name is looked up once.

Apart from checking a row (`kit.reports.call_import_rows`) because it is about the cost
of an import, not its rules: a school's call log names the same few dozen rooms, people
and categories thousands of times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from kit.auth import store as accounts
from kit.directory import admin_store
from kit.directory import store as directory
from kit.rules.categories import Implications, implied_by


class Lookups:
    """The directory as one import sees it: each distinct name is looked up once.

    A school's call log names the same few dozen rooms, people and categories thousands of
    times; asking the database once per row was most of a 10,000-row import's time. The
    look-ups are the directory's own functions, so a name matches exactly as elsewhere.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.categories: dict[str, int] = {}
        for category in directory.list_categories(db, active_only=False):
            self.categories.setdefault(category["name"].lower(), category["id"])
        self._seen: dict[tuple, Any] = {}

    def _once(self, find: Callable[..., Any], *args: str) -> Any:
        key = (find, args)
        if key not in self._seen:
            self._seen[key] = find(self.db, *args)
        return self._seen[key]

    def location(self, site: str, building: str, room: str) -> dict[str, Any] | None:
        return self._once(admin_store.location_by_names, site, building, room)

    def equipment(self, asset_tag: str) -> dict[str, Any] | None:
        return self._once(directory.equipment_by_tag, asset_tag)

    def account(self, username: str) -> dict[str, Any] | None:
        return self._once(accounts.find_by_username, username)

    def person(self, name: str) -> dict[str, Any] | None:
        return self._once(_person, name)

    def implied(self, category_id: int) -> Implications:
        """What the category implies (type, group, level), as for a new call."""
        key = ("implied", category_id)
        if key not in self._seen:
            category = directory.get_category(self.db, category_id)
            level = directory.get_response_level(self.db, category["response_level_id"])
            self._seen[key] = implied_by(category, level)
        return self._seen[key]

    def has_resolution_column(self) -> bool:
        """Whether the lifecycle area added its columns (asked once per import)."""
        if "resolution" not in self._seen:
            sql = "SELECT 1 FROM pragma_table_info('calls') WHERE name = 'resolution_summary'"
            self._seen["resolution"] = self.db.execute(sql).fetchone() is not None
        return self._seen["resolution"]


def _person(db: Database, name: str) -> dict[str, Any] | None:
    """The staff directory's entry for the caller when exactly one person has that name."""
    found = list(db["people"].rows_where("name = ? COLLATE NOCASE", [name], limit=2))
    return found[0] if len(found) == 1 else None
