"""The customer's status page, opened by the secret link, and what they can do there.

No login: holding the link is the permission, limited to this one call and to the steps
ROLES.md gives a customer (reply, confirm the fix, say it is not fixed within the reopen
window, say it fixed itself). A wrong or revoked link is the ordinary 404 page. Every step
is rate limited per link and address.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm

from kit import settings
from kit.attachments import limits
from kit.attachments import store as attachments
from kit.attachments.forms import AttachForm
from kit.auth.forms import ActionForm
from kit.calls import store as calls
from kit.calls import workflow
from kit.customer import links
from kit.customer import store as customer
from kit.customer.blueprint import bp, token_and_address
from kit.customer.forms import FixedItselfForm, NotFixedForm, ReplyForm
from kit.db import get_db, now
from kit.rules import lifecycle as lc
from kit.security import limiter

TOKEN = "<string(minlength=20,maxlength=100):token>"
CHANGED = (
    "Your call changed while you were looking at it (the service desk may have just "
    "updated it). Here is how it stands now."
)

limit_steps = limiter.shared_limit(
    "20 per hour",
    scope="customer-link",
    key_func=token_and_address,
    error_message="Too many messages from this link in an hour. Wait a while, or phone the "
    "service desk.",
)


def _call_or_404(token: str) -> dict[str, Any]:
    call = links.find_call(get_db(), token)
    if call is None:
        abort(404)
    return call


def _may_reopen(db, call: dict[str, Any]) -> bool:
    window = settings.get(db, "reopen_window_days")
    since = call["resolved_at"] or call["closed_at"]
    return lc.can_reopen(call["status"], since, now(), window)


def _page(token: str, call: dict[str, Any], status: int = 200, **forms: FlaskForm):
    db = get_db()
    values = settings.get_all(db)
    forms.setdefault("reply_form", ReplyForm(submission_key=uuid.uuid4().hex))
    forms.setdefault("not_fixed_form", NotFixedForm())
    forms.setdefault("fixed_form", FixedItselfForm())
    forms.setdefault("attach_form", AttachForm())
    return render_template(
        "customer/status.html",
        token=token,
        call=customer.public_call(call),
        confirmation=customer.confirmation(db, call),
        messages=customer.customer_messages(db, call["id"]),
        files=attachments.customer_files(db, call["id"]),
        public_limits=limits.for_public(db),
        is_open=lc.is_open(call["status"]),
        may_reopen=_may_reopen(db, call),
        desk_phone=values["desk_phone"],
        desk_email=values["desk_email"],
        action=ActionForm(),
        **forms,
    ), status


@bp.get(f"/{TOKEN}")
def status(token: str):
    return _page(token, _call_or_404(token))


def _back(token: str):
    return redirect(url_for("customer.status", token=token))


@bp.post(f"/{TOKEN}/reply")
@limit_steps
def reply(token: str):
    """A reply to a call With Customer brings it Back from Customer; otherwise it is a note."""
    call = _call_or_404(token)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _page(token, call, 400, reply_form=form)
    text = customer.FROM_CUSTOMER + form.text.data.strip()
    db = get_db()
    key = f"reply:{form.submission_key.data}" if form.submission_key.data else None
    try:
        if calls.event_for_submission(db, key):
            pass  # sent again after a lost answer: already passed on, once
        elif call["status"] == lc.WITH_CUSTOMER:
            workflow.back_from_customer(
                db,
                call["id"],
                note=text,
                user=None,
                at=now(),
                customer_visible=True,
                submission_key=key,
            )
        else:
            workflow.add_note(
                db,
                call["id"],
                text=text,
                user=None,
                at=now(),
                customer_visible=True,
                submission_key=key,
            )
    except ValueError:  # TransitionError or WorkflowError: the call moved meanwhile
        flash(CHANGED)
        return _back(token)
    flash("Thank you. Your reply has been passed to the service desk.")
    return _back(token)


@bp.post(f"/{TOKEN}/confirm")
@limit_steps
def confirm(token: str):
    call = _call_or_404(token)
    if ActionForm().validate_on_submit():
        if customer.confirm_fix(get_db(), call["id"], now()):
            flash("Thank you for confirming that your problem is fixed.")
        else:
            flash(CHANGED)
    return _back(token)


@bp.post(f"/{TOKEN}/not-fixed")
@limit_steps
def not_fixed(token: str):
    """Reopen within the school's window; after it, the desk must log a new call."""
    call = _call_or_404(token)
    db = get_db()
    form = NotFixedForm()
    if not form.validate_on_submit():
        return _page(token, call, 400, not_fixed_form=form)
    if not _may_reopen(db, call):
        flash(
            "Your call was closed too long ago to reopen it here. Please contact the service "
            "desk, who will log a new call and link it to this one."
        )
        return _back(token)
    try:
        workflow.reopen(
            db,
            call["id"],
            reason=customer.FROM_CUSTOMER + form.reason.data.strip(),
            user=None,
            at=now(),
            window_days=settings.get(db, "reopen_window_days"),
        )
    except ValueError:
        flash(CHANGED)
        return _back(token)
    flash("We have reopened your call and will look at it again.")
    return _back(token)


@bp.post(f"/{TOKEN}/fixed-itself")
@limit_steps
def fixed_itself(token: str):
    call = _call_or_404(token)
    form = FixedItselfForm()
    if not form.validate_on_submit():
        return _page(token, call, 400, fixed_form=form)
    note = (form.note.data or "").strip()
    try:
        workflow.fixed_itself(
            get_db(),
            call["id"],
            user=None,
            at=now(),
            note=customer.FROM_CUSTOMER + (note or "It fixed itself."),
        )
    except ValueError:
        flash(CHANGED)
        return _back(token)
    flash("Thank you for letting us know. Your call is closed.")
    return _back(token)
