"""Accounts: the admin creates them, sets their roles and passwords, disables them.

Only an admin changes roles. The last active admin cannot remove their own admin role or
disable themselves, so the kit always has someone who can manage it. A role or password
change, or disabling, ends that account's other sessions (the store bumps its
session_version); an admin changing their own account keeps the session they are using.
"""

from __future__ import annotations

import sqlite3

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from kit.auth import lockout_store as lockout
from kit.auth import store
from kit.auth.roles import ADMIN, ROLE_LABELS, ROLES, parse_roles
from kit.db import get_db, now, stamp, write_lock
from kit.directory.forms import MultiCheckboxField
from kit.directory.kinds import EMAIL_PATTERN
from kit.directory.store import list_groups
from kit.rules import logins
from kit.security import login_user, requires

bp = Blueprint("accounts", __name__, url_prefix="/admin/accounts")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description="At least 10 characters.",
        validators=[
            DataRequired("Type a password."),
            Length(min=10, max=200, message="Use at least 10 characters."),
        ],
    )


def _confirm() -> PasswordField:
    return PasswordField(
        "Password again", validators=[EqualTo("password", message="The two passwords differ.")]
    )


class AccountForm(FlaskForm):
    """Name, email and roles: what an admin may change on an existing account."""

    name = StringField(
        "Full name",
        filters=[_strip],
        validators=[DataRequired("Type their full name."), Length(max=120)],
    )
    email = StringField(
        "Email",
        filters=[_strip],
        validators=[
            Optional(),
            Regexp(EMAIL_PATTERN, message="That is not an email address."),
            Length(max=200),
        ],
    )
    roles = MultiCheckboxField(
        "Roles",
        choices=[(r, ROLE_LABELS[r]) for r in ROLES],
    )
    groups = MultiCheckboxField(
        "Support groups",
        coerce=int,
        description="A technician sees only the calls routed to their support groups.",
    )

    def validate_roles(self, field: MultiCheckboxField) -> None:
        # Not DataRequired: it would mark every box `required` for the browser.
        if not field.data:
            raise ValidationError("Tick at least one role.")

    def validate_groups(self, field: MultiCheckboxField) -> None:
        roles = getattr(self, "roles", None)
        if roles is not None and "technician" in (roles.data or []) and not field.data:
            raise ValidationError(
                "Tick a support group: a technician in no group can never see a call."
            )


def _group_choices(form: AccountForm) -> AccountForm:
    form.groups.choices = [
        (gr["id"], f"{gr['name']} (tier {gr['tier']})") for gr in list_groups(get_db())
    ]
    return form


class NewAccountForm(AccountForm):
    username = StringField(
        "User name",
        filters=[_strip],
        description="What they type to log in.",
        validators=[
            DataRequired("Type a user name."),
            Length(max=80),
            Regexp(
                r"^[A-Za-z0-9._@-]+$",
                message="Use letters, digits and . _ @ - only, without spaces.",
            ),
        ],
    )
    password = password_field("Initial password")
    confirm = _confirm()


class SetPasswordForm(FlaskForm):
    password = password_field("New password")
    confirm = _confirm()


def _account_or_404(user_id: int) -> dict:
    return store.get_user_row(get_db(), user_id) or abort(404)


def _last_admin_refusal(
    db, user_id: int, *, roles: set[str] | None = None, active: bool | None = None
) -> str | None:
    """Why the change is refused when it would leave no active admin; None if it may go ahead."""
    row = store.get_user_row(db, user_id)
    current = parse_roles(row["roles"])
    was_admin = bool(row["active"]) and ADMIN in current
    stays = (row["active"] if active is None else active) and ADMIN in (
        current if roles is None else roles
    )
    if not was_admin or stays or store.active_admin_count(db) > 1:
        return None
    who = "You are" if user_id == g.user.id else f"{row['name']} is"
    what = "disabled" if active is False else "without the administrator role"
    return (
        f"{who} the last active administrator and cannot be {what}: nobody could then "
        "manage the kit. Make another account an administrator first."
    )


def _keep_own_session(user_id: int) -> None:
    """The store ended every session of the account; renew the one making the change."""
    if user_id == g.user.id:
        login_user(store.get_user_row(get_db(), user_id))


@bp.get("/")
@requires("admin")
def index():
    db = get_db()
    locks = lockout.locked_accounts(db, now())
    groups = store.groups_by_user(db)
    users = [
        dict(
            u,
            role_names=[ROLE_LABELS[r] for r in ROLES if r in parse_roles(u["roles"])],
            locked_until=locks.get(logins.account_key(u["username"])),
            group_names=[name for _id, name in groups.get(u["id"], [])],
        )
        for u in store.list_users(db)
    ]
    return render_template("accounts/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@requires("admin")
def new():
    form = _group_choices(NewAccountForm())
    if form.validate_on_submit() and _create(form):
        flash(f"Account “{form.username.data}” created. Give them the password in person.")
        return redirect(url_for(".index"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/form.html", form=form, account=None), status


def _create(form: NewAccountForm) -> bool:
    """Create the account; a user name already taken (in any case) is a field error."""
    db = get_db()
    if store.find_by_username(db, form.username.data) is None:
        try:
            user_id = store.create_user(
                db,
                username=form.username.data,
                name=form.name.data,
                password=form.password.data,
                roles=set(form.roles.data),
                email=form.email.data or "",
                created_at=stamp(),
            )
            store.set_groups(db, user_id, set(form.groups.data or []))
            return True
        except sqlite3.IntegrityError:  # created at the same moment elsewhere
            pass
    form.username.errors.append("That user name is taken: choose another.")
    return False


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@requires("admin")
def edit(user_id: int):
    row = _account_or_404(user_id)
    groups = [group_id for group_id, _name in store.groups_by_user(get_db()).get(user_id, [])]
    form = _group_choices(
        AccountForm(
            data={
                "name": row["name"],
                "email": row["email"],
                "roles": sorted(parse_roles(row["roles"])),
                "groups": groups,
            }
        )
    )
    if form.validate_on_submit():
        db = get_db()
        roles = set(form.roles.data)
        with write_lock(db):  # check the admin count and change roles as one step
            refusal = _last_admin_refusal(db, user_id, roles=roles)
            if refusal is None:
                store.update_details(db, user_id, name=form.name.data, email=form.email.data)
                store.set_groups(db, user_id, set(form.groups.data or []))
                if roles != parse_roles(row["roles"]):
                    store.set_roles(db, user_id, roles)
        if refusal:
            form.roles.errors.append(refusal)
        else:
            _keep_own_session(user_id)
            flash(f"Saved {form.name.data}'s account. A role change logs them out elsewhere.")
            return redirect(
                url_for(".index")
                if ADMIN in roles or user_id != g.user.id
                else url_for("home.index")
            )
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/form.html", form=form, account=row), status


@bp.route("/<id:user_id>/password", methods=["GET", "POST"])
@requires("admin")
def password(user_id: int):
    row = _account_or_404(user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        store.set_password(get_db(), user_id, form.password.data)
        _keep_own_session(user_id)
        flash(f"New password set for {row['name']}. Their other sessions have been logged out.")
        return redirect(url_for(".index"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form, account=row), status


@bp.post("/<id:user_id>/disable")
@requires("admin")
def disable(user_id: int):
    """Disabled accounts cannot log in and are logged out; calls keep their name."""
    row = _account_or_404(user_id)
    db = get_db()
    with write_lock(db):
        refusal = _last_admin_refusal(db, user_id, active=False)
        if refusal is None:
            store.set_active(db, user_id, False)
    flash(refusal or f"{row['name']}'s account is disabled and logged out everywhere.")
    return redirect(url_for(".index"))


@bp.post("/<id:user_id>/enable")
@requires("admin")
def enable(user_id: int):
    row = _account_or_404(user_id)
    store.set_active(get_db(), user_id, True)
    flash(f"{row['name']}'s account is enabled again.")
    return redirect(url_for(".index"))


@bp.post("/<id:user_id>/unlock")
@requires("admin")
def unlock(user_id: int):
    """Lift a lock left by failed logins (the person proved who they are another way)."""
    row = _account_or_404(user_id)
    lockout.clear(get_db(), lockout.account(row["username"]))
    flash(f"{row['name']}'s account is unlocked: they can log in now.")
    return redirect(url_for(".index"))
