"""What a call's page shows about passing it on: "knowledge base first" for the desk (matching
articles, earlier calls with similar symptoms, the school's policy), the hand-off form, and
how the call waits now (its visit day as the expected response, flagged when the response
is due before then).

Registered in `CALL_PAGE_EXTRAS`; templates read `handoff` and `kb_first` (they never query).
A call the desk resolves from its page is counted as "resolved at the desk from the
knowledge base" when it qualifies (`AFTER_RESOLVE`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import g
from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import access
from kit.calls import procedure_store as pstore
from kit.calls.action_panel import AFTER_RESOLVE
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.db import now
from kit.rules import lifecycle as lc
from kit.rules import similar, visits
from kit.rules.clock import WorkingCalendar, as_datetime
from kit.visits import store
from kit.visits.forms import HandoffForm
from kit.visits.handoff import METHODS

POLICY_WORDS = {
    "apply_in_school": "The school's policy: when an article has the fix, someone in school "
    "applies it. Mark “Solved by this article” and resolve the call at the "
    "desk; no technician is needed.",
    "give_to_technician": "The school's policy: when an article has the fix, the technician is "
    "given it. Link the article to the call, then pass the call on: the "
    "hand-off names the linked articles.",
}


def next_deadline(call: dict[str, Any]) -> datetime | None:
    """The deadline that counts now: the response until someone responded, then resolution."""
    return as_datetime(call["resolve_by"] if call["responded_at"] else call["respond_by"])


def visit_state(
    db: Database,
    call: dict[str, Any],
    cal: WorkingCalendar,
    today: date,
    handoff: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """For a call left for a visit (`handoff` its latest hand-off): the visit day (the
    expected response) and whether its deadline falls before it ("phone instead")."""
    if (
        handoff is None
        or handoff["method"] != "visit"
        or not lc.is_open(call["status"])
        or handoff["technician_id"] != call["assignee_id"]
    ):
        return None
    visit = store.next_visit(db, handoff["technician_id"], cal, today)
    return {
        "technician": handoff["technician"],
        "visit_on": visit,
        "phone_instead": visits.due_before_visit(next_deadline(call), visit),
    }


def _form(db: Database, call: dict[str, Any]) -> HandoffForm:
    form = g.get("handoff_form") or HandoffForm(formdata=None)
    techs = store.technicians(db)
    form.technician_id.choices = [(0, "— Choose a technician —")] + [
        (t["id"], t["name"] + (f" (visits: {t['pattern']})" if t["pattern"] else "")) for t in techs
    ]
    if "handoff_form" not in g:
        form.method.data = settings.get(db, "handoff_default")
        if call["assignee_id"] in {t["id"] for t in techs}:
            form.technician_id.data = call["assignee_id"]
    return form


def handoff_panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """The hand-off form (desk, open calls) and the latest hand-off (everyone who sees it)."""
    at = now()
    cal = settings.calendar(db, years=range(at.year - 1, at.year + 2))
    can_pass = (
        user.can("call.assign")
        and not call["voided"]
        and any(a.name == "assign" for a in lc.allowed_actions(call["status"]))
    )
    solving = pstore.solving_articles(db, call["id"]) if can_pass else []
    latest = store.latest_handoff(db, call["id"])
    return {
        "handoff": {
            "checked": bool(call["desk_checked_at"]),
            "solving": solving,
            "apply_in_school": settings.get(db, "kb_fix_policy") == "apply_in_school",
            "latest": latest,
            "visit": visit_state(db, call, cal, at.date(), latest),
            "form": _form(db, call) if can_pass else None,
            "methods": METHODS,
            "failed": "handoff_form" in g,
        }
    }


def kb_first_panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """Before a call is passed on, the desk looks for the fix: articles and similar calls."""
    if not user.can("call.assign") or call["routed_at"] or not lc.is_open(call["status"]):
        return {}
    candidates = store.similar_candidates(db, call, access.visibility(user))
    policy = settings.get(db, "kb_fix_policy")
    return {
        "kb_first": {
            "similar": similar.rank(call, candidates),
            "policy": POLICY_WORDS.get(policy, ""),
        }
    }


def count_first_contact_kb(db: Database, call_id: int, user: User | None, at: datetime) -> None:
    """After the resolve form: a desk fix from an article, never routed, is counted."""
    store.mark_first_contact_kb(db, call_id, user=user, at=at)


CALL_PAGE_EXTRAS.extend([handoff_panel, kb_first_panel])
AFTER_RESOLVE.append(count_first_contact_kb)
