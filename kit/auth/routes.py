"""Log in, log out, change password."""

from __future__ import annotations

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

from kit.auth import store
from kit.auth.forms import ActionForm, LoginForm, PasswordForm
from kit.db import get_db
from kit.security import limiter, login_required, login_user, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_key() -> str:
    return f"{request.remote_addr}|{(request.form.get('username') or '').lower()[:80]}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: f"{current_app.config['LOGIN_ATTEMPTS']} per 15 minutes",
    key_func=_login_key,
    methods=["POST"],
    error_message="Too many attempts. Wait 15 minutes and try again, or ask an administrator.",
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        row = store.authenticate(get_db(), form.username.data, form.password.data)
        if row is None:
            form.password.errors.append("That user name and password do not match an account.")
            return render_template("auth/login.html", form=form), 400
        login_user(row)
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


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
