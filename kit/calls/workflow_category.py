"""A call's category and its due times.

The category implies the call's type, its group and its response level, and the level its
due times, so changing the category moves all of them (the owner stays only where the new
group allows it). Due times are worked out again when the clock's inputs change: a pause
With Customer, a new calendar. Import these from `kit.calls.workflow`.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import notify, store
from kit.calls.workflow_base import WorkflowError, due_values, load, require, uid
from kit.db import write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc
from kit.rules.categories import implied_by
from kit.rules.clock import WorkingCalendar


def _recompute(
    db: Database, call: dict, cal: WorkingCalendar, user: User | None, at: datetime
) -> None:
    level = directory.get_response_level(db, call["response_level_id"])
    store.update_call(
        db, call["id"], due_values(db, call, level, cal, at), user_id=uid(user), at=at, kind="due"
    )


def recompute_due(db: Database, call_id: int, cal: WorkingCalendar, at: datetime) -> None:
    """Due times again from the response level, leaving out time spent With Customer."""
    with write_lock(db):
        _recompute(db, load(db, call_id), cal, None, at)


def change_category(
    db: Database,
    call_id: int,
    *,
    category_id: int,
    user: User | None,
    at: datetime,
    cal: WorkingCalendar,
) -> None:
    """Change the category, and with it the type, group, response level and due times.

    The owner stays while the call is still at the desk, or if they are in the new group;
    otherwise the desk person changing it owns it until they pass it on again (a call past
    the desk check always has an owner). A new group is told. Only the desk may move a
    routed call to another group this way: a technician returns it to the desk instead.
    """
    with write_lock(db):
        call = load(db, call_id)
        require(user, "call.work", call)
        if not lc.is_open(call["status"]):
            raise WorkflowError("Only an open call's category can be changed.")
        category = directory.get_category(db, category_id)
        if category is None or not category["active"]:
            raise WorkflowError("Choose one of the categories in use.", field="category_id")
        if category_id == call["category_id"]:
            raise WorkflowError("The call already has that category.", field="category_id")
        level = directory.get_response_level(db, category["response_level_id"])
        imp = implied_by(category, level)
        values = {
            "category_id": category_id,
            "call_type": imp.call_type,
            "type_rank": imp.type_rank,
            "group_id": imp.group_id,
            "response_level_id": imp.response_level_id,
            **due_values(db, call, level, cal, at),
        }
        moved = imp.group_id != call["group_id"]
        if moved and call["group_id"] is not None and user and not user.can("call.assign"):
            # A technician moves a call between tiers only by re-assigning it with a reason.
            raise WorkflowError(
                "That category belongs to another group: return the call to the desk with "
                "the reason instead; only the desk passes calls on.",
                field="category_id",
            )
        if (
            moved
            and call["routed_at"]
            and call["assignee_id"]
            and not lstore.is_member(db, imp.group_id, call["assignee_id"])
        ):
            values["assignee_id"] = uid(user)
        store.update_call(db, call_id, values, user_id=uid(user), at=at, kind="category")
        if moved:
            notify.send(
                db,
                "reassigned",
                load(db, call_id),
                at=at,
                author=user,
                to=lstore.group_contacts(db, imp.group_id),
                reason=f"The category was changed to {category['name']}.",
            )
