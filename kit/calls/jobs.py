"""Lists for people working calls: My jobs, the open hot swaps, and a room's open calls.

My jobs is the technician's view: only calls the desk routed to them or to their groups,
open ones, with what is overdue or due soon first and then the procedure's queue order.
How soon each is due is written in words, never shown by colour alone.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, render_template, request, url_for

from kit import settings
from kit.calls import access, intake
from kit.calls import lifecycle_store as lstore
from kit.calls.blueprint import bp
from kit.calls.due import describe_due
from kit.db import get_db, now
from kit.rules.queue import DUE_SOON, OVERDUE, queue_key
from kit.security import requires

URGENCY = {OVERDUE: 0, DUE_SOON: 1}


def _sort_key(job: dict[str, Any]) -> tuple:
    return (URGENCY.get(job["due"]["state"], 2), queue_key(job["due"] | job["call"]))


@bp.get("/mine")
@requires("queue.view")
def mine():
    """The calls routed to me or my groups, most urgent first."""
    db = get_db()
    at, cal = now(), settings.calendar(db)
    calls = lstore.open_calls_where(
        db, [lstore.routed_to(g.user.id, g.user.group_ids), *access.visibility(g.user)]
    )
    jobs = []
    for call in calls:
        third_party_late = bool(call["third_party_due"]) and call["third_party_due"] < str(at)
        jobs.append(
            {"call": call, "due": describe_due(call, at, cal), "third_party_late": third_party_late}
        )
    jobs.sort(key=_sort_key)
    return render_template("calls/mine.html", jobs=jobs, now=at)


@bp.get("/hot-swaps")
@requires("hot_swaps.view")
def hot_swaps():
    """Replacement machines still out in rooms, so none is forgotten."""
    return render_template("calls/hot_swaps.html", swaps=lstore.open_hot_swaps(get_db()), now=now())


@bp.get("/open-in-location.json")
@requires("call.log")
def open_in_location_json():
    """The room's open calls, shown as soon as the desk picks the room (before a duplicate)."""
    db = get_db()
    location_id = intake.parse_id(request.args.get("location_id"))
    calls = intake.open_calls_for(db, location_id, g.user)
    return jsonify(
        [
            {
                "id": c["id"],
                "ref": c["ref"],
                "summary": c["summary"],
                "status": c["status"],
                "logged_at": c["logged_at"][:16],
                "assignee": c["assignee"] or "",
                "url": url_for("calls.view", call_id=c["id"]),
                "note_url": url_for("calls.act_note", call_id=c["id"]),
            }
            for c in calls
        ]
    )
