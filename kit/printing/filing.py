"""A closed call's paper: the file pack (its incident/request sheet, then its diagnostics
sheet, in one PDF) and "mark as filed", which records who put it in the file and when.

Filing is recorded on the call (`filed_at`, `filed_by`) and in its history, and shows on
the call's page, the call log and every sheet printed afterwards.
"""

from __future__ import annotations

from flask import flash, g, redirect, url_for

from kit.calls import access
from kit.calls import store as calls
from kit.db import get_db, now, stamp, write_lock
from kit.printing import forms, sheets
from kit.printing.blueprint import bp
from kit.printing.pdfs import sheet_pdf
from kit.rules import lifecycle as lc
from kit.security import requires


@bp.get("/calls/<id:call_id>/file-pack")
@requires("print.call")
def file_pack(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    if call["status"] != lc.CLOSED:
        flash(f"Call {call['ref']} is not closed yet: its file pack is printed once it is.")
        return redirect(url_for("calls.view", call_id=call_id))
    return sheet_pdf(
        "print/file_pack.html",
        f"{call['ref']}-file-pack.pdf",
        s=sheets.call_sheet(db, call, g.user),
        incident_form=forms.load("incident_request"),
        diagnostics_form=forms.load("diagnostics"),
        forms=forms,
    )


@bp.post("/calls/<id:call_id>/filed")
@requires("call.file")
def mark_filed(call_id: int):
    """Record that the closed call's paper is in the file (once: a second press changes nothing)."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    with write_lock(db):
        call = calls.get_call(db, call_id)
        if call["status"] != lc.CLOSED:
            flash(f"Call {call['ref']} is not closed yet: file it once it is closed.")
        elif call["filed_at"]:
            flash(f"Call {call['ref']} was already filed on {call['filed_at'][:10]}.")
        else:
            at = now()
            calls.update_call(
                db,
                call_id,
                {"filed_at": stamp(at), "filed_by": g.user.id},
                user_id=g.user.id,
                at=at,
                kind="filed",
                text="Paper filed.",
            )
            flash(f"Call {call['ref']} marked as filed.")
    return redirect(url_for("calls.view", call_id=call_id))
