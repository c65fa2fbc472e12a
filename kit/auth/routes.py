"""Log in, log out, change password."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from kit.auth import lockout_store as lockout
from kit.auth import store
from kit.auth.forms import ActionForm, LoginForm, PasswordForm
from kit.db import get_db, now
from kit.rules import logins
from kit.security import login_required, login_user, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Failed logins lock the account (however its name is typed) and, far later, the
    network address; a locked login is refused before any password is checked."""
    form = LoginForm()
    if form.validate_on_submit():
        db, at = get_db(), now()
        keys = {
            lockout.account(form.username.data): current_app.config["LOGIN_ATTEMPTS"],
            lockout.address(request.remote_addr): current_app.config["LOGIN_ADDRESS_ATTEMPTS"],
        }
        lock = lockout.active_lock(db, list(keys), at)
        if lock is not None:
            return _locked(form, *lock, at)
        row = store.authenticate(db, form.username.data, form.password.data)
        if row is None:
            lockout.record_failure(db, keys, at, _window())
            form.password.errors.append("That user name and password do not match an account.")
            return render_template("auth/login.html", form=form), 400
        lockout.clear(db, lockout.account(form.username.data))
        login_user(row)
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _locked(form: LoginForm, key: str, until: datetime, at: datetime):
    """429 with when to try again, in words and in `Retry-After`."""
    seconds = logins.seconds_left(until, at)
    html = render_template(
        "auth/login.html",
        form=form,
        locked_until=until,
        locked_minutes=math.ceil(seconds / 60),
        locked_account=key.startswith("account:"),
    )
    return html, 429, {"Retry-After": str(seconds)}


@bp.post("/logout")
@login_required
def logout():
    if ActionForm().validate_on_submit():
        store.end_sessions(get_db(), g.user.id)
        session.clear()
        flash("You are logged out.")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_db()
        if store.authenticate(db, g.user.username, form.current.data) is None:
            form.current.errors.append("That is not your current password.")
        else:
            store.set_password(db, g.user.id, form.new.data)
            login_user(store.get_user_row(db, g.user.id))
            flash("Your password is changed. Other sessions have been logged out.")
            return redirect(url_for("home.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
