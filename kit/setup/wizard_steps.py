"""What each set-up wizard step shows and saves.

Settings steps save through the same form code as the settings page. The other steps
reuse other areas' pages instead of copying them: response levels are edited in the
directory, imports go through the directory's CSV preview, accounts are made with the
accounts store, and the letter to users comes from the leaders' area when it is installed.
"""

from __future__ import annotations

import sqlite3

from flask import current_app, flash, redirect, render_template, url_for
from werkzeug.routing import BuildError
from wtforms import SelectField

from kit import settings
from kit.auth import store as accounts
from kit.auth.accounts import NewAccountForm
from kit.auth.forms import ActionForm
from kit.auth.roles import ROLE_LABELS, parse_roles
from kit.db import get_db, stamp
from kit.directory import admin_store
from kit.directory import store as directory
from kit.setup import logo as school_logo
from kit.setup import plan
from kit.setup.forms import LogoForm, current_form, edit_settings
from kit.setup.routes import save_logo

IMPORT_KINDS = ("people", "locations", "equipment")


class WizardAccountForm(NewAccountForm):
    groups = None  # the wizard offers one group, as a list to pick from
    group_id = SelectField(
        "Support group",
        coerce=int,
        default=0,
        description="Technicians see only the calls passed to their group.",
    )


def show(step: plan.Step):
    handler = {
        "levels": _levels,
        "import": _imports,
        "accounts": _accounts,
        "mail": _mail,
        "done": _done,
    }.get(step.name, _settings_step)
    return handler(step)


def _render(step: plan.Step, status: int = 200, **context):
    back, forward = plan.neighbours(step)
    number = plan.STEP_NAMES.index(step.name) + 1
    return render_template(
        "setup/wizard.html",
        step=step,
        steps=plan.progress(step),
        number=number,
        total=len(plan.STEPS),
        back=back,
        forward=forward,
        nav_form=ActionForm(),
        **context,
    ), status


def _settings_step(step: plan.Step):
    """A step that edits settings; the first one also takes the logo."""
    db = get_db()
    specs = plan.specs_of(step)
    logo_form = LogoForm() if step.name == "school" else None
    context = {
        "sections": [("", specs)],
        "logo_form": logo_form,
        "has_logo": school_logo.logo_path(current_app.instance_path).is_file(),
    }
    if logo_form is not None and logo_form.is_submitted() and logo_form.logo.data:
        if not (logo_form.validate() and save_logo(logo_form)):
            return _render(step, 400, form=current_form(db, specs), **context)
    form, changed = edit_settings(db, specs)
    if changed is not None:
        return plan.advance(step, "Saved." if changed else "")
    _ask_for_the_name(form)
    return _render(step, 400 if form.is_submitted() else 200, form=form, **context)


def _ask_for_the_name(form) -> None:
    """A school still called by the kit's placeholder name is asked for its own: the box
    starts empty, so "Save and continue" cannot keep "Our School" by accident."""
    field = form._fields.get("school_name")
    if field is None or form.is_submitted() or field.data != settings.DEFAULTS["school_name"]:
        return
    field.data = ""
    field.render_kw = {**(field.render_kw or {}), "placeholder": "e.g. Northfield Community School"}


def _levels(step: plan.Step):
    return _render(step, levels=directory.list_response_levels(get_db()))


def _imports(step: plan.Step):
    counts = admin_store.counts(get_db())
    return _render(step, kinds=[(kind, counts[kind]) for kind in IMPORT_KINDS])


def _account_form(db) -> WizardAccountForm:
    form = WizardAccountForm()
    form.group_id.choices = [(0, "— None —")] + [
        (gr["id"], f"{gr['name']} (tier {gr['tier']})") for gr in directory.list_groups(db)
    ]
    return form


def _accounts(step: plan.Step):
    """Create one account at a time; the list underneath shows who has one so far."""
    db = get_db()
    form = _account_form(db)
    if form.validate_on_submit() and _create_account(db, form):
        flash(f"Account “{form.username.data}” created. Give them the password in person.")
        return redirect(url_for(".step", name=step.name))
    people = [
        dict(u, role_names=[ROLE_LABELS[r] for r in parse_roles(u["roles"])])
        for u in accounts.list_users(db)
    ]
    return _render(step, 400 if form.is_submitted() else 200, form=form, people=people)


def _create_account(db, form: WizardAccountForm) -> bool:
    if accounts.find_by_username(db, form.username.data):
        form.username.errors.append("That user name is taken: choose another.")
        return False
    try:
        user_id = accounts.create_user(
            db,
            username=form.username.data,
            name=form.name.data,
            password=form.password.data,
            roles=set(form.roles.data),
            email=form.email.data or "",
            created_at=stamp(),
        )
    except sqlite3.IntegrityError:  # the same name typed at the same moment elsewhere
        form.username.errors.append("That user name is taken: choose another.")
        return False
    if form.group_id.data:
        accounts.add_to_group(db, user_id, form.group_id.data)
    return True


def _link(endpoint: str, **values) -> str | None:
    """The URL of another area's page, or None when that area is not installed."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _mail(step: plan.Step):
    """What mail in and out are set to, and the way to the admin's mail page."""
    from kit.mailin import config as mail_config

    values = mail_config.for_app(current_app)
    return _render(
        step,
        mail_in=values["IMAP_HOST"],
        mail_out=values["SMTP_HOST"],
        mail_page=_link("mailin.setup"),
    )


def _done(step: plan.Step):
    return _render(
        step,
        letter_pdf=_link("leaders.document_pdf", kind="letter"),
        letter_edit=_link("leaders.edit", kind="letter"),
        log_call=_link("calls.new"),
        settings_page=_link("setup.settings"),
    )
