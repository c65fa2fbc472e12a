"""The settings page: everything the wizard asked, changeable afterwards by an admin.

One form for all settings, grouped as the page shows them, a separate upload for the
school logo, and the record of the latest changes: who changed which setting, from what
to what, and when.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    send_file,
    url_for,
)

from kit import settings as school_settings
from kit.auth.forms import ActionForm
from kit.db import get_db, stamp
from kit.security import requires
from kit.setup import logo as school_logo
from kit.setup import store
from kit.setup.forms import LogoForm, add_error, current_form, edit_settings
from kit.setup.specs import SECTIONS, describe, label, page_specs

bp = Blueprint("setup", __name__, url_prefix="/admin/settings")


def _page(form, logo_form, status: int = 200):
    db = get_db()
    specs = page_specs()
    sections = [(name, [s for s in specs if s.section == name]) for name in SECTIONS]
    return render_template(
        "setup/settings.html",
        form=form,
        logo_form=logo_form,
        sections=[(name, found) for name, found in sections if found],
        log=store.log_entries(db),
        describe=describe,
        label=label,
        has_logo=school_logo.logo_path(current_app.instance_path).is_file(),
    ), status


@bp.route("/", methods=["GET", "POST"])
@requires("admin")
def settings():
    form, changed = edit_settings(get_db(), page_specs())
    if changed is not None:
        names = ", ".join(label(k) for k in changed)
        flash(f"Saved: {names}." if changed else "Nothing was changed.")
        return redirect(url_for(".settings"))
    return _page(form, LogoForm(), 400 if form.is_submitted() else 200)


def save_logo(form: LogoForm) -> bool:
    """Store the uploaded logo and record it; False after putting the reason on the field.

    Shared with the wizard's first step.
    """
    upload = form.logo.data
    if not upload:
        add_error(form.logo, "Choose a PNG or JPEG file to upload.")
        return False
    try:
        about = school_logo.store_logo(
            upload.read(school_logo.MAX_BYTES + 1), current_app.instance_path
        )
    except ValueError as exc:
        add_error(form.logo, str(exc))
        return False
    school_settings.put(get_db(), "logo", about, user_id=g.user.id, at=stamp())
    return True


@bp.post("/logo")
@requires("admin")
def logo():
    form = LogoForm()
    if form.validate_on_submit() and save_logo(form):
        flash("The new logo is saved. Printed sheets use it from now on.")
        return redirect(url_for(".settings"))
    return _page(current_form(get_db(), page_specs(), from_request=False), form, 400)


@bp.post("/logo/remove")
@requires("admin")
def remove_logo():
    if ActionForm().validate_on_submit() and school_logo.remove_logo(current_app.instance_path):
        school_settings.put(get_db(), "logo", "", user_id=g.user.id, at=stamp())
        flash("The logo is removed. Printed sheets show the school's name only.")
    return redirect(url_for(".settings"))


@bp.get("/logo.png")
@requires("admin")
def logo_image():
    path = school_logo.logo_path(current_app.instance_path)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=0)
