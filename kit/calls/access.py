"""Which calls a person may see: the one place that decides it.

A technician sees only calls the desk has routed to them or to one of their groups; any
other call is a 404 exactly like a call that does not exist. Every view that takes a call
id goes through `get_call_or_404`, and every list through `visibility`.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import store


def visibility(user: User) -> list[tuple[str, list[Any]]]:
    """Extra WHERE clauses limiting a list of calls to what `user` may see."""
    if user.sees_all_calls:
        return []
    if not user.can("queue.view"):
        return [("0", [])]
    groups = sorted(user.group_ids)
    marks = ",".join("?" for _ in groups) or "NULL"
    return [
        (
            f"calls.routed_at IS NOT NULL AND (calls.assignee_id = ? OR "
            f"(calls.assignee_id IS NULL AND calls.group_id IN ({marks})))",
            [user.id, *groups],
        )
    ]


def may_see(user: User, call: dict[str, Any]) -> bool:
    if user.sees_all_calls:
        return True
    if not user.can("call.open") or not call.get("routed_at"):
        return False
    if call["assignee_id"] is not None:
        return call["assignee_id"] == user.id
    return call["group_id"] in user.group_ids


def get_call_or_404(db: Database, call_id: int, user: User) -> dict[str, Any]:
    call = store.get_call(db, call_id)
    if call is None or not may_see(user, call):
        abort(404)
    return call
