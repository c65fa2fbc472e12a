"""A call's history as people read it: its events in order, with every id a change names
(category, group, owner, room...) replaced by the name, read in one statement.

The history is written by `kit.calls.store` (`log_call`, `add_event`, `update_call`) in the
same transaction as the change it records; nothing here writes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from kit.calls.labels import ID_FIELDS


def history(db: Database, call_id: int) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT e.*, u.name AS user_name FROM call_events e LEFT JOIN users u ON u.id = e.user_id "
        "WHERE e.call_id = ? ORDER BY e.id",
        [call_id],
    ).fetchall()
    events = [dict(r) | {"changes": json.loads(r["changes"] or "{}")} for r in rows]
    names = _names(db, [e["changes"] for e in events])
    for event in events:
        event["changes"] = _named(event["changes"], names)
    return events


def _names(db: Database, changes: list[dict[str, list[Any]]]) -> dict[tuple[str, Any], Any]:
    """The name of every row a history's changes name by id, read in one statement (not
    one per id: a call re-categorised and reassigned often would make dozens)."""
    wanted: dict[str, set[Any]] = {}
    for change in changes:
        for name, values in change.items():
            if name in ID_FIELDS:
                wanted.setdefault(name, set()).update(v for v in values if v is not None)
    parts, args = [], []
    for name, ids in sorted(wanted.items()):
        table, label = ID_FIELDS[name]  # both from labels.ID_FIELDS, never typed
        marks = ", ".join("?" * len(ids))
        parts.append(f"SELECT ?, id, {label} FROM {table} WHERE id IN ({marks})")
        args += [name, *sorted(ids, key=str)]
    if not parts:
        return {}
    rows = db.execute(" UNION ALL ".join(parts), args).fetchall()
    return {(row[0], row[1]): row[2] for row in rows}


def _as_id(value: Any) -> Any:
    """An id as the database returns it (a history written as text "4" names row 4)."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _named(changes: dict[str, list[Any]], names: dict[tuple[str, Any], Any]) -> dict[str, list]:
    """Ids in a history entry replaced by the names people know them by."""
    named = {}
    for name, values in changes.items():
        if name in ID_FIELDS:
            values = [v if v is None else names.get((name, _as_id(v)), f"#{v}") for v in values]
        named[name] = values
    return named
