"""Held mail at /mail/held (desk and admin): read it, log it as a call, or discard it; and
the one-click reopen a caller's reply by mail offers on a resolved call's page.

Logging held mail opens the ordinary log-a-call form filled from the mail, with a one-time
key made from the mail's Message-ID: the call is logged once, and the mail leaves the list.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from sqlite_utils import Database

from kit import settings
from kit.auth.forms import ActionForm
from kit.auth.roles import User
from kit.calls import access, intake, workflow
from kit.calls import store as calls
from kit.calls.blueprint import CALL_PAGE_EXTRAS, NEW_CALL_PREFILLS
from kit.db import get_db, now
from kit.mailin import attachments, store
from kit.mailin.blueprint import bp
from kit.mailin.forms import DiscardForm
from kit.mailin.parse import Unreadable, parse
from kit.rules import lifecycle as lc
from kit.rules.mail import summary_from
from kit.security import requires

MAX_DETAILS = 5000  # the log-a-call form's own limit


def _held_or_404(mail_id: int) -> dict[str, Any]:
    found = store.get(get_db(), mail_id)
    if found is None or found["outcome"] not in ("held", "failed"):
        abort(404)
    return found


@bp.get("/held")
@requires("call.log")
def held():
    db = get_db()
    return render_template(
        "mailin/held.html", mails=store.held(db), last=store.last_run(db), ok=store.last_success(db)
    )


@bp.get("/held/<id:mail_id>")
@requires("call.log")
def held_mail(mail_id: int):
    return render_template(
        "mailin/held_mail.html", mail=_held_or_404(mail_id), form=DiscardForm(), action=ActionForm()
    )


@bp.post("/held/<id:mail_id>/discard")
@requires("call.log")
def discard(mail_id: int):
    mail = _held_or_404(mail_id)
    form = DiscardForm()
    if not form.validate_on_submit():
        return render_template(
            "mailin/held_mail.html", mail=mail, form=form, action=ActionForm()
        ), 400
    if store.settle(get_db(), mail_id, "discarded", user_id=g.user.id, at=now()):
        flash("The mail was discarded. It stays in the desk's mailbox; nothing was sent.")
    else:
        flash("Someone has already dealt with that mail.")
    return redirect(url_for("mailin.held"))


@bp.get("/held/<id:mail_id>/raw")
@requires("admin")
def raw(mail_id: int):
    """The mail as the server held it, for the admin to open in a mail program."""
    mail = _held_or_404(mail_id)
    body = bytes(mail["raw"] or b"")
    if not body:
        abort(404)
    return Response(
        body,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="held-mail-{mail_id}.eml"'},
    )


def prefill_from_held_mail(form: Any, db: Database, args: Any) -> None:
    """`/calls/new?mail=N` starts the form from held mail N (still held)."""
    mail = store.get(db, intake.parse_id(args.get("mail")) or 0)
    if mail is None or mail["state"] != "held":
        return
    form.caller_name.data = (mail["sender_name"] or mail["sender"])[:120]
    form.caller_email.data = mail["sender"][:200]
    form.channel.data = "Email"
    form.summary.data = summary_from(mail["subject"], mail["text"])
    form.details.data = (mail["text"] or "")[:MAX_DETAILS]
    form.submission_key.data = held_key(mail["message_id"])


NEW_CALL_PREFILLS.append(prefill_from_held_mail)


def held_key(message_id: str) -> str:
    """The log-a-call form's one-time key for a held mail: 32 hex characters, as the form
    wants, the same each time, so logging the same mail twice logs one call."""
    return hashlib.sha256(f"held mail {message_id}".encode()).hexdigest()[:32]


def mark_logged(db: Database, call_id: int, *, at, cal) -> None:
    """Held mail logged through the form leaves the held list, pointing at its call, and
    the files it carried are kept with the call (under the mail limits; what is not kept
    is named in the call's history). The copy of the mail is then no longer needed."""
    key, by = store.submission_of(db, call_id)
    if not key or by is None:  # held mail is logged by a person, never by the fetch itself
        return
    for mail in store.held(db, limit=10_000):
        if held_key(mail["message_id"]) == key:
            if store.settle(db, mail["id"], "logged", user_id=by, at=at, call_id=call_id):
                _bring_files(db, mail["id"], call_id, at)
            return


def _bring_files(db: Database, mail_id: int, call_id: int, at) -> None:
    raw = store.raw_of(db, mail_id)
    if not raw:
        return
    try:
        files = parse(raw).attachments
    except Unreadable:
        files = []  # a mail that could not be read was logged from what the desk typed
    if files:
        attachments.keep(db, current_app.instance_path, call_id, files, at)
    store.forget_raw(db, mail_id)


calls.AFTER_LOGGING.append(mark_logged)


def reopen_panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """For a resolved call's page: the caller's replies by mail within the reopen window."""
    if lc.is_open(call["status"]) or not user.can("call.reopen"):
        return {}
    since = call["resolved_at"] or call["closed_at"]
    if not lc.can_reopen(call["status"], since, now(), settings.get(db, "reopen_window_days")):
        return {}
    offers = store.reopen_offers(db, call["id"])
    return {"mail_reopen": offers} if offers else {}


CALL_PAGE_EXTRAS.append(reopen_panel)


@bp.post("/reopen/<id:call_id>")
@requires("call.reopen")
def reopen(call_id: int):
    """Reopen a resolved call in one click, with the caller's mail as the reason."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    offers = store.reopen_offers(db, call_id)
    if ActionForm().validate_on_submit() and offers:
        latest = offers[-1]
        reason = f"The caller replied by mail on {latest['read_at'][:16]}:\n\n{latest['text']}"
        try:
            workflow.reopen(
                db,
                call_id,
                reason=reason[:2000],
                user=g.user,
                at=now(),
                window_days=settings.get(db, "reopen_window_days"),
            )
        except ValueError as exc:
            flash(str(exc))
        else:
            store.close_reopen_offers(db, call_id)
            flash(f"Call {call['ref']} is reopened.")
    return redirect(url_for("calls.view", call_id=call_id))


# The admin's mail page registers on this blueprint (imported last: it imports `bp`).
from kit.mailin import setup_routes  # noqa: E402,F401
