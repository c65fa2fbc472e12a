"""A call's page: the call, its history, how soon it is due, and the panels other areas add.

Its own module because every panel that refuses a form shows this page again (400) with
the form as typed, so they import it, and nothing here imports them.
"""

from __future__ import annotations

from flask import g, render_template

from kit.calls import access, due, history_store
from kit.calls.blueprint import CALL_PAGE_EXTRAS, bp
from kit.db import get_db, now
from kit.security import requires


@bp.get("/<id:call_id>")
@requires("call.open")
def view(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    extras: dict = {}
    for extra in CALL_PAGE_EXTRAS:
        extras.update(extra(db, call, g.user))
    response_due, resolve_due = due.page_states(call, now())
    return render_template(
        "calls/view.html",
        call=call,
        history=history_store.history(db, call_id),
        due=response_due,
        resolve_due=resolve_due,
        now=now(),
        **extras,
    )
