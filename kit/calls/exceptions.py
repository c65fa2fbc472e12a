"""The exceptions report: "owner at all times", checked. It lists open calls past the desk
check with no owner, and open calls whose follow-up date has passed; on a healthy school it
is empty. For the desk, who fix what it lists, and the leaders and admin, who watch it.
"""

from __future__ import annotations

from flask import g, render_template

from kit.calls import access
from kit.calls import procedure_store as pstore
from kit.calls.blueprint import bp
from kit.db import get_db, now
from kit.rules import procedure as rules
from kit.security import requires


@bp.get("/exceptions")
@requires("calls.exceptions")
def exceptions():
    db = get_db()
    today = now().date()
    overdue = pstore.overdue_followups(db, today)
    found = pstore.exception_candidates(db, sorted(overdue), access.visibility(g.user))
    rows = [
        {"call": c, "reasons": rules.exception_reasons(c, overdue.get(c["id"], []))} for c in found
    ]
    rows = [r for r in rows if r["reasons"]]
    return render_template("calls/exceptions.html", rows=rows, today=today)
