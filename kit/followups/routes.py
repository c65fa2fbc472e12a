"""Follow-up dates on a call's page: add one (any number per open call) and mark it done.

Both look the call up through `access.get_call_or_404`, so a technician sets follow-ups
only on calls routed to them. A refused form shows the call's page again with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, url_for
from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import access
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.calls.refusals import attach_error, call_page_again
from kit.calls.workflow_base import WorkflowError
from kit.db import get_db, now
from kit.followups import store
from kit.followups.forms import FollowupForm
from kit.rules import lifecycle as lc
from kit.security import requires

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")
FORM_FIELDS = {"due_on": "due_on", "comment": "followup_comment"}


def panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """The call's follow-ups for everyone who sees it; the form for those who work it."""
    can_add = user.can("call.work") and not call["voided"] and lc.is_open(call["status"])
    form = g.get("followup_form") or (FollowupForm(formdata=None) if can_add else None)
    return {
        "followups": {
            "rows": store.for_call(db, call["id"]),
            "form": form if can_add else None,
            "failed": "followup_form" in g,
            "can_done": user.can("call.work") and not call["voided"],
            "today": now().date().isoformat(),
        }
    }


CALL_PAGE_EXTRAS.append(panel)


@bp.post("/calls/<id:call_id>")
@requires("call.work")
def add(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = FollowupForm()
    if not form.validate_on_submit():
        return call_page_again(call_id, "followup_form", form)
    try:
        store.add(
            db,
            call["id"],
            due_on=form.due_on.data,
            comment=form.followup_comment.data,
            user_id=g.user.id,
            at=now(),
        )
    except WorkflowError as exc:
        attach_error(form, exc, FORM_FIELDS)
        return call_page_again(call_id, "followup_form", form)
    flash(f"Follow-up set for {form.due_on.data:%A %d %B %Y}.")
    return redirect(url_for("calls.view", call_id=call_id) + "#followups")


@bp.post("/<id:followup_id>/done")
@requires("call.work")
def done(followup_id: int):
    """Mark a follow-up done (the call's page, or the desk's first screen, sent it)."""
    db = get_db()
    row = store.get(db, followup_id)
    if row is None:
        abort(404)
    access.get_call_or_404(db, row["call_id"], g.user)  # CSRFProtect checked the token
    if store.mark_done(db, followup_id, user_id=g.user.id, at=now()):
        flash("Follow-up marked as done.")
    return redirect(url_for("calls.view", call_id=row["call_id"]) + "#followups")
