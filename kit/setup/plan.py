"""The set-up wizard's steps, in order, and where the admin has got to in them.

Apart from the wizard's views (`kit.setup.wizard`) because both those views and what each
step shows and saves (`kit.setup.wizard_steps`) need them, and the start page asks how far
set-up got: they all import this module, and it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, g, redirect, url_for

from kit import settings
from kit.db import get_db, stamp
from kit.setup.specs import SPECS


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


def next_step(db) -> Step:
    """The step after the furthest one saved or skipped (the first on a new kit)."""
    reached = settings.get(db, "setup_step")
    index = STEP_NAMES.index(reached) + 1 if reached in STEP_NAMES else 0
    return STEPS[min(index, len(STEPS) - 1)]


def is_finished(db) -> bool:
    """Set-up is finished once its last step is saved; until then the admin's start page
    leads back into the wizard."""
    return settings.get(db, "setup_step") == STEP_NAMES[-1]


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
