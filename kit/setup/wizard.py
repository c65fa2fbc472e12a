"""The set-up wizard: from a fresh install to a school's own kit, one step at a time.

While the kit has no accounts at all, every page sends the visitor here, and the first
step creates the first administrator: the only write anyone may make without logging in,
refused (404) as soon as any account exists. The remaining steps are for that admin:
each can be saved, skipped or revisited, and the furthest step reached is kept in the
`setup_step` setting so the wizard resumes where it was left.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from kit.auth import store as accounts
from kit.auth.accounts import NewAccountForm, password_field
from kit.auth.forms import ActionForm
from kit.db import get_db, stamp, write_lock
from kit.security import login_user, requires
from kit.setup import help as page_help
from kit.setup import plan, store, wizard_steps

bp = Blueprint("wizard", __name__, url_prefix="/setup")
bp.add_app_template_global(lambda endpoint, roles: page_help.help_for(endpoint, roles), "help_for")

_OPEN_WHILE_EMPTY = {"static", "favicon", "wizard.start", "wizard.account"}


class FirstAdminForm(NewAccountForm):
    """The first account: always an administrator, so no roles to tick."""

    roles = None
    groups = None
    password = password_field("Your password")


@bp.before_app_request
def wait_for_first_admin():
    """Until someone has an account, every page leads to the wizard's first step."""
    if request.endpoint in _OPEN_WHILE_EMPTY or current_app.extensions.get("kit.has_users"):
        return None
    if store.has_users(get_db()):
        current_app.extensions["kit.has_users"] = True  # accounts are never deleted
        return None
    return redirect(url_for("wizard.start"))


@bp.get("/")
def start():
    """The wizard's front door: the first account on an empty kit, else where the admin was."""
    if not store.has_users(get_db()):
        return redirect(url_for(".account"))
    return _resume()


@requires("admin")
def _resume():
    return redirect(url_for(".step", name=plan.next_step(get_db()).name))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """Create the first administrator; a 404 once any account exists."""
    db = get_db()
    if store.has_users(db):
        abort(404)
    form = FirstAdminForm()
    if form.validate_on_submit():
        with write_lock(db):  # two people finishing this form at once make one admin
            if store.has_users(db):
                abort(404)
            user_id = accounts.create_user(
                db,
                username=form.username.data,
                name=form.name.data,
                roles={"admin"},
                password=form.password.data,
                email=form.email.data or "",
                created_at=stamp(),
            )
        login_user(accounts.get_user_row(db, user_id))
        flash(
            f"Welcome, {form.name.data}. You are the kit's administrator. Now tell the "
            "kit about your school."
        )
        return redirect(url_for(".step", name=plan.STEPS[0].name))
    status = 400 if form.is_submitted() else 200
    return render_template("setup/account.html", form=form), status


@bp.route("/<name>", methods=["GET", "POST"])
@requires("admin")
def step(name: str):
    if name not in plan.STEP_NAMES:
        abort(404)
    current = plan.STEPS[plan.STEP_NAMES.index(name)]
    if request.method == "POST" and request.form.get("nav") in ("skip", "next"):
        if not ActionForm().validate_on_submit():
            abort(400)
        return plan.advance(current)
    return wizard_steps.show(current)
