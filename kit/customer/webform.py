"""The web form: anyone in school reports a problem without phoning ("Web form" channel).

It asks the framework's questions in plain words, logs a call the desk then triages (status
Logged; a fault is an Incident in "Fault reported on the web form", a request is
"Information or advice", both the Service Desk's until the desk checks them), and takes the
person straight
to their call's status page, whose address is their link; the link is also mailed to them.
Open to anyone unless the school turns the `web_form_public` setting off, in which case it
needs a login. Rate limited per address: five calls an hour, thirty attempts.
"""

from __future__ import annotations

import re
import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from kit import settings
from kit.attachments import api as attachments
from kit.attachments import intake as attached
from kit.attachments import limits
from kit.attachments.blueprint import takes_files
from kit.calls import store
from kit.customer import intake, links
from kit.customer.blueprint import bp
from kit.customer.forms import web_call_form_class
from kit.db import get_db, now
from kit.directory import store as directory
from kit.printing import questions
from kit.security import limiter

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
BOT_MESSAGE = "Your problem could not be sent. Please phone or email the service desk instead."


def _only_successes(response) -> bool:
    return response.status_code == 302


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@limiter.limit(
    "5 per hour",
    methods=["POST"],
    deduct_when=_only_successes,
    error_message="You have reported several problems in the last hour. Please "
    "phone or email the service desk if you need to report more.",
)
def new():
    db = get_db()
    if g.user is None and not settings.get(db, "web_form_public"):
        return redirect(url_for("auth.login", next=request.path))
    form = web_call_form_class()()
    form.location_id.choices = [(0, "— No room, or not sure —")] + [
        (loc["id"], directory.location_label(loc)) for loc in directory.list_locations(db)
    ]
    if request.method == "GET":
        form.submission_key.data = uuid.uuid4().hex
    bot_error = ""
    if form.validate_on_submit():
        if form.website.data:
            bot_error = BOT_MESSAGE
        elif _contactable(form):
            prepared = attached.checked(form.file, limits.for_public(db))
            if prepared is not None:
                return _log_and_show(db, form, prepared)
    status = 400 if form.is_submitted() else 200
    return render_template("customer/new.html", form=form, bot_error=bot_error), status


takes_files("customer.new", "public")


def _contactable(form: FlaskForm) -> bool:
    if (form.email.data or "").strip() or (form.phone.data or "").strip():
        return True
    form.email.errors.append(
        "Give an email address or a phone number, so the service desk can contact you."
    )
    return False


def _log_and_show(db, form: FlaskForm, prepared: list | None = None):
    """Log the call (once, whatever the retries) with its checked files, then show the
    person their status page."""
    raw_key = form.submission_key.data or ""
    key = "web:" + (raw_key if KEY_PATTERN.fullmatch(raw_key) else uuid.uuid4().hex)
    new_call = store.NewCall(
        caller_name=form.caller_name.data.strip(),
        channel="Web form",
        category_id=0,  # the triage category
        summary=form.summary.data.strip(),
        answers=questions.answers_from(form),
        occurred_at=form.occurred_at.data.isoformat(sep=" ") if form.occurred_at.data else None,
        caller_email=(form.email.data or "").strip(),
        caller_phone=(form.phone.data or "").strip(),
        location_id=form.location_id.data or None,
        submission_key=key,
    )
    logged = intake.log_outside_call(db, new_call, at=now())
    if not logged.repeated:
        attached.keep(
            db,
            logged.call_id,
            prepared or [],
            added_by=None,
            source=attachments.WEB_FORM,
            limits=limits.for_public(db),
        )
    flash(
        f"Thank you. Your call {logged.ref} is logged: quote it if you contact the service "
        "desk. This page is your private link to follow it; bookmark it"
        + (", and we have emailed it to you." if new_call.caller_email else ".")
    )
    return redirect(url_for("customer.status", token=logged.path.removeprefix(links.PREFIX)))
