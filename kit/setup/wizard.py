"""The set-up wizard: from a fresh install to a school's own kit, one step at a time.

While the kit has no accounts at all, every page sends the visitor here, and the first
step creates the first administrator: the only write anyone may make without logging in,
refused (404) as soon as any account exists. The remaining steps are for that admin:
each can be saved, skipped or revisited, and the furthest step reached is kept in the
`setup_step` setting so the wizard resumes where it was left.
"""

from __future__ import annotations

from dataclasses import dataclass

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

from kit import settings
from kit.auth import store as accounts
from kit.auth.accounts import NewAccountForm, password_field
from kit.auth.forms import ActionForm
from kit.db import get_db, stamp, write_lock
from kit.security import login_user, requires
from kit.setup import help as page_help
from kit.setup import store
from kit.setup.specs import SPECS

bp = Blueprint("wizard", __name__, url_prefix="/setup")
bp.add_app_template_global(lambda endpoint, roles: page_help.help_for(endpoint, roles), "help_for")

_OPEN_WHILE_EMPTY = {"static", "wizard.start", "wizard.account"}


@dataclass(frozen=True)
class Step:
    name: str  # in the URL and stored in `setup_step`
    title: str
    keys: tuple[str, ...] = ()  # the settings this step edits, if any
    intro: str = ""


STEPS = (
    Step(
        "school",
        "School name and logo",
        ("school_name",),
        "The name appears on every page, sheet and letter; the logo on printed sheets.",
    ),
    Step(
        "sites",
        "Sites",
        ("sites",),
        "List the sites or campuses. You add the rooms in each later, with a CSV import.",
    ),
    Step(
        "desk",
        "Desk contact",
        ("desk_phone", "desk_email", "desk_hours", "public_url"),
        "How staff reach the service desk and the kit's web address. This goes on the "
        "letter to users.",
    ),
    Step(
        "hours",
        "Working days and hours",
        ("working_days", "day_start", "day_end"),
        "Response times count only in working time: a call due in 4 hours that is logged "
        "at 16:00 on a Friday is due on Monday morning.",
    ),
    Step(
        "holidays",
        "Public holidays",
        ("holiday_country", "holiday_subdivision"),
        "Public holidays in your country and region do not count as working time.",
    ),
    Step(
        "terms",
        "Term dates and school holidays",
        ("terms", "school_holidays"),
        "This year's terms, and the holidays and closure days when the desk is shut.",
    ),
    Step(
        "levels",
        "Response levels",
        intro="How soon calls must be answered and resolved, in working hours. The kit "
        "starts with four levels; keep them or change them.",
    ),
    Step(
        "import",
        "Staff, rooms and equipment",
        intro="Bring in the lists you already keep in spreadsheets. Each import shows a "
        "preview before anything is saved; come back here afterwards.",
    ),
    Step(
        "accounts",
        "Accounts",
        intro="Create an account for each person who works with the kit: the desk, the "
        "technicians, the ICT coordinator and school leaders.",
    ),
    Step(
        "mail",
        "Mail in and out",
        intro="Staff already email the ICT address. Let the kit read that mailbox, so each "
        "mail becomes a call and replies land on their calls, and send its messages.",
    ),
    Step(
        "done",
        "Finish",
        intro="The kit is ready. Print the letter to users so staff know how to reach the desk.",
    ),
)
STEP_NAMES = tuple(s.name for s in STEPS)


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
    return redirect(url_for(".step", name=next_step(get_db()).name))


def next_step(db) -> Step:
    """The step after the furthest one saved or skipped (the first on a new kit)."""
    reached = settings.get(db, "setup_step")
    index = STEP_NAMES.index(reached) + 1 if reached in STEP_NAMES else 0
    return STEPS[min(index, len(STEPS) - 1)]


def is_finished(db) -> bool:
    """Set-up is finished once its last step is saved; until then the admin's start page
    leads back into the wizard."""
    return settings.get(db, "setup_step") == STEP_NAMES[-1]


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
        return redirect(url_for(".step", name=STEPS[0].name))
    status = 400 if form.is_submitted() else 200
    return render_template("setup/account.html", form=form), status


@bp.route("/<name>", methods=["GET", "POST"])
@requires("admin")
def step(name: str):
    if name not in STEP_NAMES:
        abort(404)
    current = STEPS[STEP_NAMES.index(name)]
    if request.method == "POST" and request.form.get("nav") in ("skip", "next"):
        if not ActionForm().validate_on_submit():
            abort(400)
        return advance(current)
    from kit.setup import wizard_steps

    return wizard_steps.show(current)


def advance(current: Step, saved: str = ""):
    """Remember the furthest step reached and go on to the next one (home after the last)."""
    db = get_db()
    reached = settings.get(db, "setup_step")
    if reached not in STEP_NAMES or STEP_NAMES.index(reached) < STEP_NAMES.index(current.name):
        settings.put(db, "setup_step", current.name, user_id=g.user.id, at=stamp())
    if saved:
        flash(saved)
    if current.name == STEP_NAMES[-1]:
        flash("Set-up is finished. You can change any of it later under Settings.")
        return redirect(url_for("home.index"))
    return redirect(url_for(".step", name=STEP_NAMES[STEP_NAMES.index(current.name) + 1]))


def progress(current: Step) -> list[dict]:
    """The steps for the progress list: title, link, and whether done or the current one."""
    reached = settings.get(get_db(), "setup_step")
    done_upto = STEP_NAMES.index(reached) if reached in STEP_NAMES else -1
    return [
        {
            "title": s.title,
            "url": url_for(".step", name=s.name),
            "current": s == current,
            "done": i <= done_upto,
        }
        for i, s in enumerate(STEPS)
    ]


def neighbours(current: Step) -> tuple[str | None, str | None]:
    """The URLs of the previous and next steps (None at either end)."""
    i = STEP_NAMES.index(current.name)
    before = url_for(".step", name=STEP_NAMES[i - 1]) if i else None
    after = url_for(".step", name=STEP_NAMES[i + 1]) if i + 1 < len(STEPS) else None
    return before, after


def specs_of(current: Step):
    return [SPECS[k] for k in current.keys]
