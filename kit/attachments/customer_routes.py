"""The customer's files, through their status link: the ones they sent, and sending more.

Holding the link is the permission, as for the rest of the status page; the customer sees
only the files that came from them (the web form, their replies, their mail), never the
staff's. Sending is limited like the page's other steps, and takes up to three pictures
or PDFs under the public limits.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from kit.attachments import api, limits
from kit.attachments import store as astore
from kit.attachments.blueprint import takes_files
from kit.attachments.forms import AttachForm
from kit.attachments.intake import checked, keep
from kit.attachments.sending import send_attachment, send_thumbnail
from kit.customer import links
from kit.customer.blueprint import bp
from kit.customer.status import TOKEN, _page, limit_steps
from kit.db import get_db


def _call_or_404(token: str):
    call = links.find_call(get_db(), token)
    if call is None:
        abort(404)
    return call


def _customer_file_or_404(call_id: int, n: int):
    row = astore.get(get_db(), call_id, n)
    if row is None or not row["customer_visible"] or row["removed_at"] or row["purged_at"]:
        abort(404)
    return row


@bp.post(f"/{TOKEN}/attachments")
@limit_steps
def add_attachments(token: str):
    call = _call_or_404(token)
    db = get_db()
    form = AttachForm()
    public = limits.for_public(db)
    if form.validate_on_submit():
        prepared = checked(form.file, public)
        if prepared == []:
            form.file.errors = ["Choose a photo or PDF to send."]
        elif prepared:
            try:
                refusals = keep(
                    db, call["id"], prepared, added_by=None, source=api.REPLY, limits=public
                )
            except api.Refused as exc:
                refusals = [str(exc)]
            if not refusals:
                flash("Thank you. Your files have been passed to the service desk.")
                return redirect(url_for("customer.status", token=token) + "#files")
            form.file.errors = refusals
    return _page(token, call, 400, attach_form=form)


takes_files("customer.add_attachments", "public")


@bp.get(f"/{TOKEN}/attachments/<id:n>")
def attachment(token: str, n: int):
    call = _call_or_404(token)
    return send_attachment(_customer_file_or_404(call["id"], n), private=True)


@bp.get(f"/{TOKEN}/attachments/<id:n>/thumbnail")
def attachment_thumbnail(token: str, n: int):
    call = _call_or_404(token)
    return send_thumbnail(_customer_file_or_404(call["id"], n), private=True)
