"""The first screen after login: the day's work for the person's role."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from kit import settings
from kit.calls import access, log_store, today
from kit.db import get_db, now
from kit.followups.store import due as due_followups
from kit.security import login_required

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    db = get_db()
    calls: list[dict] = []
    total = 0
    if g.user.can("queue.view"):
        calls, total = log_store.search_calls(
            db, log_store.CallFilter(status="open", extra=access.visibility(g.user)), page_size=25
        )
    piles, followups = [], []
    if g.user.can("call.log"):  # the desk's day: triage, due, chase, third parties
        moment = now()
        cal = settings.calendar(db, years=range(moment.year - 1, moment.year + 2))
        piles = today.todays_work(db, now=moment, cal=cal, extra=access.visibility(g.user))
        followups = due_followups(db, moment.date(), access.visibility(g.user))
    return render_template(
        "home.html",
        calls=calls,
        total=total,
        now=now(),
        piles=piles,
        followups=followups,
        setup=_setup_left(db),
    )


def _setup_left(db) -> dict | None:
    """For an admin while set-up is unfinished: the step to resume at and how far it got."""
    if not g.user.can("admin"):
        return None
    try:
        from kit.setup import plan
    except ImportError:  # a kit without the set-up area
        return None
    if plan.is_finished(db):
        return None
    step = plan.next_step(db)
    return {
        "step": step,
        "number": plan.STEP_NAMES.index(step.name) + 1,
        "total": len(plan.STEPS),
        "steps": plan.STEPS,
    }
