"""The desk's side of customer links: issue a new one from the call's page, or revoke them.

The kit keeps only a hash of each link, so a link can be shown once, when it is made; the
call's page says whether the customer has a live link, never what it is. Issuing and
revoking are written to the call's history.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from sqlite_utils import Database

from kit.auth.forms import ActionForm
from kit.auth.roles import User
from kit.calls import access, notify
from kit.calls import store as calls
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.customer import links
from kit.customer.blueprint import bp
from kit.db import get_db, now, write_lock
from kit.security import requires


def customer_link_panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """For the call's page: whether the customer has a live link, and who may make one."""
    return {
        "customer_link": {
            "latest": links.latest_link(db, call["id"]),
            "can_issue": user.can("call.work"),
            "has_email": bool(call["caller_email"]),
        }
    }


CALL_PAGE_EXTRAS.append(customer_link_panel)


@bp.post("/issue/<id:call_id>")
@requires("call.work")
def issue(call_id: int):
    """Make a new link, show it once, and mail it to the caller if they have an address."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("calls.view", call_id=call_id))
    at = now()
    with write_lock(db):
        path = links.issue_link(db, call_id, at)
        calls.add_event(
            db,
            call_id,
            user_id=g.user.id,
            at=at,
            kind="customer_link",
            text="A new status link was made for the customer.",
        )
    url = links.absolute(path)
    mailed = notify.send(
        db, "logged", call, to=[call["caller_email"]], at=at, author=g.user, customer_link=url
    )
    return render_template("customer/issued.html", call=call, url=url, mailed=mailed)


@bp.post("/revoke/<id:call_id>")
@requires("call.work")
def revoke(call_id: int):
    """End every link of the call, for a link sent to the wrong person."""
    db = get_db()
    access.get_call_or_404(db, call_id, g.user)
    if ActionForm().validate_on_submit():
        at = now()
        with write_lock(db):
            count = links.revoke(db, call_id, at)
            if count:
                calls.add_event(
                    db,
                    call_id,
                    user_id=g.user.id,
                    at=at,
                    kind="customer_link",
                    text="The customer's status links were revoked.",
                )
        flash(
            f"{count} link{'' if count == 1 else 's'} revoked."
            if count
            else "The customer had no live link."
        )
    return redirect(url_for("calls.view", call_id=call_id))
