"""A call's files on its page: add, list, open, remove.

Adding (desk, coordinator, the technician the call is routed to, admin) and opening go
through `access.get_call_or_404` like every view of a call, so a file is exactly as
private as its call: anyone who may not open the call gets the same 404 as for a file
that does not exist. Files are served with the type detected from their bytes,
`nosniff`, and `Content-Disposition: attachment` for everything but pictures and PDFs.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, url_for

from kit.attachments import api, customer_routes, limits, removal
from kit.attachments import store as astore
from kit.attachments.blueprint import bp, takes_files
from kit.attachments.forms import AttachForm, RemoveForm, uploads
from kit.attachments.sending import send_attachment, send_thumbnail
from kit.auth.roles import User
from kit.calls import access
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.calls.refusals import call_page_again
from kit.db import get_db, now
from kit.security import requires

# The customer's pages (their web form and status link) add their file views too.
JOINED = (customer_routes,)
PHOTO_MIMES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def panel(db, call: dict[str, Any], user: User) -> dict[str, Any]:
    """The call page's Files panel (templates/attachments/_call_panel.html)."""
    staff = limits.for_staff(db)
    return {
        "attachments": {
            "rows": astore.for_call(db, call["id"]),
            "can_add": user.can("call.attach") and not call["voided"],
            "can_remove": user.can("call.attachment_remove"),
            "form": g.get("attachment_form") or AttachForm(),
            "remove_form": g.get("attachment_remove_form") or RemoveForm(),
            "removing": g.get("attachment_removing"),
            "limits": staff,
            "size": limits.size_text,
        }
    }


CALL_PAGE_EXTRAS.append(panel)


@bp.post("/calls/<id:call_id>/attachments")
@requires("call.attach")
def add(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = AttachForm()
    staff = limits.for_staff(db)
    if form.validate_on_submit():
        chosen = uploads(form.file, staff.file_bytes)
        if not chosen:
            form.file.errors = ["Choose a file to add."]
        else:
            try:
                added = api.add_files(
                    db,
                    current_app.instance_path,
                    call["id"],
                    chosen,
                    added_by=g.user.id,
                    source=api.CALL_PAGE,
                    limits=staff,
                    at=now(),
                    all_or_nothing=True,
                )
            except api.Refused as exc:
                added = api.Added([], [str(exc)])
            if added.saved:
                names = ", ".join(r["name"] for r in added.saved)
                flash(f"Added {names} to call {call['ref']}.")
                return redirect(url_for("calls.view", call_id=call_id) + "#files-h")
            form.file.errors = added.refusals
    return call_page_again(call_id, "attachment_form", form)


takes_files("attachments.add", "staff")
takes_files("calls.new", "staff")


@bp.post("/calls/<id:call_id>/attachments/<id:n>/remove")
@requires("call.attachment_remove")
def remove(call_id: int, n: int):
    db = get_db()
    access.get_call_or_404(db, call_id, g.user)
    row = _kept_or_404(db, call_id, n)
    form = RemoveForm()
    if form.validate_on_submit():
        try:
            removal.remove(db, call_id, n, user_id=g.user.id, reason=form.reason.data, at=now())
        except api.Refused as exc:
            form.reason.errors = [str(exc)]
        else:
            flash(f"Removed {row['name']}. It stays in the call's history.")
            return redirect(url_for("calls.view", call_id=call_id) + "#files-h")
    g.attachment_removing = n
    return call_page_again(call_id, "attachment_remove_form", form)


@bp.get("/calls/<id:call_id>/attachments/<id:n>")
@requires("call.open")
def download(call_id: int, n: int):
    db = get_db()
    access.get_call_or_404(db, call_id, g.user)
    return send_attachment(_kept_or_404(db, call_id, n))


@bp.get("/calls/<id:call_id>/attachments/<id:n>/thumbnail")
@requires("call.open")
def thumbnail(call_id: int, n: int):
    db = get_db()
    access.get_call_or_404(db, call_id, g.user)
    return send_thumbnail(_kept_or_404(db, call_id, n))


def _kept_or_404(db, call_id: int, n: int) -> dict[str, Any]:
    row = astore.get(db, call_id, n)
    if row is None or row["removed_at"] or row["purged_at"]:
        abort(404)
    return row
