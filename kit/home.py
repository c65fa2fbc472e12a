"""The first screen after login: the day's work for the person's role."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from kit.calls import access, store
from kit.db import get_db, now
from kit.security import login_required

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    db = get_db()
    calls: list[dict] = []
    total = 0
    if g.user.can("queue.view"):
        calls, total = store.search_calls(
            db, store.CallFilter(status="open", extra=access.visibility(g.user)), page_size=25
        )
    return render_template("home.html", calls=calls, total=total, now=now())
