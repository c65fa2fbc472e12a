"""Hot swaps: a replacement machine put in a teaching room so lessons go on while the
faulty one is repaired. Each stays on the open hot swaps list until it is returned.
Import these from `kit.calls.workflow`.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import store
from kit.calls.workflow_base import WorkflowError, load, require, required_text, uid
from kit.db import write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc


def record_hot_swap(
    db: Database,
    call_id: int,
    *,
    replacement_asset: str,
    faulty_asset: str = "",
    taken_by: str = "",
    user: User | None,
    at: datetime,
    note: str = "",
    location_id: int | None = None,
) -> int:
    """A replacement machine was put in the room so teaching can go on; the faulty one went
    with `taken_by`. The swap stays on the open hot swaps list until it is returned."""
    replacement = required_text(
        replacement_asset, "Give the asset tag of the replacement machine.", "replacement_asset"
    )
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if not lc.is_open(call["status"]):
            raise WorkflowError("Record a hot swap on an open call.")
        location_id = location_id or call["location_id"]
        location = directory.get_location(db, location_id)
        if location is None:
            raise WorkflowError(
                "The call has no room: set its location before recording a hot swap.",
                field="replacement_asset",
            )
        swap = lstore.add_hot_swap(
            db,
            call_id,
            location_id=location_id,
            replacement=replacement,
            faulty=faulty_asset.strip(),
            taken_by=taken_by.strip(),
            note=note.strip(),
            user_id=uid(user),
            at=at,
        )
        text = (
            f"Hot swap {replacement} put in {directory.location_label(location)}"
            + (f" in place of {faulty_asset.strip()}" if faulty_asset.strip() else "")
            + (f"; faulty machine taken by {taken_by.strip()}" if taken_by.strip() else "")
            + (f"\n{note.strip()}" if note.strip() else "")
        )
        store.add_event(db, call_id, user_id=uid(user), at=at, kind="hot_swap", text=text)
    return swap


def return_hot_swap(
    db: Database, call_id: int, *, hot_swap_id: int, user: User | None, at: datetime, note: str = ""
) -> None:
    """The faulty machine is fixed and back in the room; the hot swap is back with the desk."""
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        swap = lstore.get_hot_swap(db, hot_swap_id)
        if swap is None or swap["call_id"] != call_id:
            raise WorkflowError("That hot swap is not recorded on this call.")
        if swap["returned_at"]:
            raise WorkflowError(f"Hot swap {swap['replacement_asset']} was already returned.")
        lstore.mark_returned(db, hot_swap_id, at)
        text = f"Hot swap {swap['replacement_asset']} returned" + (
            f": {note.strip()}" if note.strip() else ""
        )
        store.add_event(db, call_id, user_id=uid(user), at=at, kind="hot_swap_returned", text=text)
