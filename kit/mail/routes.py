"""The admin's outbox: what the kit sent or would send, "send now", and the messages' wording.

With no mail server configured the outbox is where a school sees what would have gone, so
the list says plainly whether sending is set up.
"""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from jinja2 import TemplateSyntaxError

from kit.auth.forms import ActionForm
from kit.db import get_db, now
from kit.mail import outbox, smtp, store
from kit.mail.forms import OutboxFilterForm, TemplateForm
from kit.mailin import config as mail_config
from kit.security import requires

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")

PAGE_SIZE = 50


@bp.get("/", endpoint="outbox")
@requires("admin")
def outbox_list():
    form = OutboxFilterForm(request.args)
    if request.args and not form.validate():
        abort(400)
    db = get_db()
    page = max(form.page.data or 1, 1)
    messages, total = store.list_messages(
        db, status=form.status.data or "", page=page, page_size=PAGE_SIZE
    )
    return render_template(
        "mail/outbox.html",
        form=form,
        messages=messages,
        total=total,
        page=page,
        pages=max(math.ceil(total / PAGE_SIZE), 1),
        counts=store.counts(db),
        smtp_host=mail_config.for_app(current_app)["SMTP_HOST"],
        action=ActionForm(),
        labels={k: v[0] for k, v in outbox.DEFAULT_TEMPLATES.items()},
    )


@bp.get("/<id:message_id>")
@requires("admin")
def message(message_id: int):
    found = store.get_message(get_db(), message_id)
    if found is None:
        abort(404)
    label = outbox.DEFAULT_TEMPLATES.get(found["kind"], (found["kind"],))[0]
    return render_template("mail/message.html", message=found, label=label, action=ActionForm())


@bp.post("/send")
@requires("admin")
def send_now():
    """Try every waiting message once, now, instead of waiting for the daily job."""
    if ActionForm().validate_on_submit():
        values = {**current_app.config, **mail_config.for_app(current_app)}
        report = smtp.send_pending(get_db(), values, now())
        flash(report.summary)
    return redirect(url_for("mail.outbox"))


@bp.post("/<id:message_id>/retry")
@requires("admin")
def retry(message_id: int):
    db = get_db()
    if store.get_message(db, message_id) is None:
        abort(404)
    if ActionForm().validate_on_submit():
        if store.retry(db, message_id):
            flash("The message is waiting to be sent again.")
        else:
            flash("Only a message that failed can be tried again.")
    return redirect(url_for("mail.message", message_id=message_id))


@bp.get("/templates")
@requires("admin")
def templates():
    return render_template(
        "mail/templates.html",
        defaults=outbox.DEFAULT_TEMPLATES,
        edited=store.edited_templates(get_db()),
    )


def _known_key(key: str) -> str:
    if key not in outbox.DEFAULT_TEMPLATES:
        abort(404)
    return key


@bp.route("/templates/<key>", methods=["GET", "POST"])
@requires("admin")
def edit_template(key: str):
    db = get_db()
    key = _known_key(key)
    form = TemplateForm()
    if request.method == "GET":
        form.subject.data, form.body.data = outbox.template(db, key)
    if form.validate_on_submit() and _wording_is_usable(form):
        try:
            outbox.save_template(
                db, key, form.subject.data, form.body.data, user_id=g.user.id, at=now()
            )
        except TemplateSyntaxError as exc:  # the authoritative check, should ours miss one
            form.body.errors.append(
                f"This wording has a mistake: {(exc.message or '').rstrip('.')}."
            )
        else:
            flash(f"Saved the wording of “{outbox.DEFAULT_TEMPLATES[key][0]}”.")
            return redirect(url_for("mail.templates"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "mail/template_edit.html",
        form=form,
        key=key,
        label=outbox.DEFAULT_TEMPLATES[key][0],
        names=store.template_names(key),
        edited=store.edited_templates(db).get(key),
        action=ActionForm(),
    ), status


def _wording_is_usable(form: TemplateForm) -> bool:
    """Put the reason next to the subject or message that cannot be used; True if both can."""
    for field in (form.subject, form.body):
        error = store.template_error(field.data)
        if error:
            field.errors.append(error)
    return not (form.subject.errors or form.body.errors)


@bp.post("/templates/<key>/reset")
@requires("admin")
def reset_template(key: str):
    key = _known_key(key)
    if ActionForm().validate_on_submit():
        store.reset_template(get_db(), key)
        flash(f"“{outbox.DEFAULT_TEMPLATES[key][0]}” is back to the kit's own wording.")
    return redirect(url_for("mail.templates"))
