"""The admin's mail page (/mail/setup): mail in and mail out, and a test for each.

What is saved here goes to `instance/mail.json` (kit.mailin.config), readable only by the
kit's own user; a secret is never sent back to the browser, only whether one is saved.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for

from kit.auth.forms import ActionForm
from kit.db import get_db
from kit.mailin import checks, config, store
from kit.mailin.blueprint import bp
from kit.mailin.forms import MailSetupForm
from kit.security import requires

# form field -> setting
FIELDS = {
    "imap_host": "IMAP_HOST",
    "imap_port": "IMAP_PORT",
    "imap_security": "IMAP_SECURITY",
    "imap_username": "IMAP_USERNAME",
    "imap_password": "IMAP_PASSWORD",
    "imap_folder": "IMAP_FOLDER",
    "imap_done_folder": "IMAP_DONE_FOLDER",
    "imap_poll_seconds": "IMAP_POLL_SECONDS",
    "smtp_host": "SMTP_HOST",
    "smtp_port": "SMTP_PORT",
    "smtp_starttls": "SMTP_STARTTLS",
    "smtp_username": "SMTP_USERNAME",
    "smtp_password": "SMTP_PASSWORD",
    "mail_from": "MAIL_FROM",
    "mail_oauth_tenant": "MAIL_OAUTH_TENANT",
    "mail_oauth_client_id": "MAIL_OAUTH_CLIENT_ID",
    "mail_oauth_client_secret": "MAIL_OAUTH_CLIENT_SECRET",
}


def _values() -> dict:
    return {**current_app.config, **config.for_app(current_app)}


def _page(form: MailSetupForm, status: int = 200, result: tuple[str, bool, str] | None = None):
    values = config.for_app(current_app)
    return render_template(
        "mailin/setup.html",
        form=form,
        action=ActionForm(),
        secrets={key: config.masked(values.get(key)) for key in config.SECRETS},
        oauth=config.uses_oauth(values),
        values=values,
        status_line=store.mail_in_status(get_db()) if values["IMAP_HOST"] else "",
        result=result,
    ), status


@bp.route("/setup", methods=["GET", "POST"])
@requires("admin")
def setup():
    form = MailSetupForm()
    if not form.is_submitted():
        values = config.for_app(current_app)
        for name, key in FIELDS.items():
            if key not in config.SECRETS:
                form[name].data = values[key]
        return _page(form)
    if not form.validate():
        return _page(form, 400)
    saved = config.read_saved(current_app.instance_path)
    for name, key in FIELDS.items():
        value = form[name].data
        if key in config.SECRETS:
            if form.clear_secrets.data:
                saved[key] = ""
            elif value:
                saved[key] = value
            continue
        saved[key] = value.strip() if isinstance(value, str) else value
    config.write_saved(current_app.instance_path, saved)
    flash("Mail settings saved. Use the buttons below to test each direction.")
    return redirect(url_for("mailin.setup"))


@bp.post("/setup/test-in")
@requires("admin")
def test_in():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("mailin.setup"))
    worked, words = checks.check_mail_in(_values())
    return _page(_filled_form(), result=("Mail in", worked, words))


@bp.post("/setup/test-out")
@requires("admin")
def test_out():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("mailin.setup"))
    worked, words = checks.check_mail_out(_values())
    return _page(_filled_form(), result=("Mail out", worked, words))


def _filled_form() -> MailSetupForm:
    form = MailSetupForm(formdata=None)
    values = config.for_app(current_app)
    for name, key in FIELDS.items():
        if key not in config.SECRETS:
            form[name].data = values[key]
    return form
