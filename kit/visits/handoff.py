"""Passing a call to a technician, the framework's three ways: by email with the job sheet
attached, by phone with a note of what was agreed, or left for the technician's next visit.

The assignment itself is the lifecycle's `workflow.assign` (status, history, the owner's
notice); this module checks the way chosen can work before assigning, then records how the
call was passed on. For an email hand-off the job sheet PDF is attached to the notice
`assign` queued for the technician, so they get one message, not two.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import lifecycle_store as lstore
from kit.calls import workflow as wf
from kit.kb import queries as kb_queries
from kit.mail import outbox
from kit.rules.clock import WorkingCalendar
from kit.visits import store

METHODS = {
    "email": "By email, with the job sheet attached",
    "phone": "By phone, with a note of what was agreed",
    "visit": "Left for the technician's next visit",
}

# (db, call, technician) -> the job sheet PDF for the technician
SheetMaker = Callable[[Database, dict[str, Any], User], bytes]


def _group_for(db: Database, call: dict[str, Any], tech: dict[str, Any]) -> int:
    """The call stays with its escalate-to group when the technician is in it; otherwise it
    goes to the technician's own group (the first, by tier)."""
    if lstore.is_member(db, call["group_id"], tech["id"]):
        return call["group_id"]
    row = db.execute(
        "SELECT g.id FROM support_groups g JOIN group_members m ON m.group_id = g.id "
        "WHERE m.user_id = ? ORDER BY g.tier, g.name LIMIT 1",
        [tech["id"]],
    ).fetchone()
    if row is None:
        raise wf.WorkflowError(
            f"{tech['name']} is in no support group: add them to one in the directory first.",
            field="technician_id",
        )
    return row[0]


def check(
    db: Database,
    *,
    method: str,
    tech: dict[str, Any] | None,
    note: str,
    cal: WorkingCalendar,
    today: date,
) -> date | None:
    """Refuse a hand-off that cannot work, in words; returns the visit day for a visit."""
    if method not in METHODS:
        raise wf.WorkflowError("Choose how the call is passed on.", field="method")
    if tech is None:
        raise wf.WorkflowError("Choose a technician.", field="technician_id")
    if method == "phone" and not note.strip():
        raise wf.WorkflowError("Write what was agreed on the phone.", field="note")
    if method == "email" and not (tech["email"] or "").strip():
        raise wf.WorkflowError(
            f"{tech['name']} has no email address: phone them, or leave the call for their visit.",
            field="method",
        )
    if method != "visit":
        return None
    visit = store.next_visit(db, tech["id"], cal, today)
    if visit is None:
        raise wf.WorkflowError(
            f"{tech['name']} has no visit days set: set them on the visit "
            "days page, or pass the call on by email or phone.",
            field="method",
        )
    return visit


def _describe(
    method: str,
    tech: dict[str, Any],
    visit: date | None,
    note: str,
    articles: list[str],
    attached: bool,
) -> str:
    if method == "email":
        words = f"Passed to {tech['name']} by email" + (
            " with the job sheet attached." if attached else " (no message: you own the call)."
        )
    elif method == "phone":
        words = f"Passed to {tech['name']} by phone."
    else:
        words = f"Left for {tech['name']}'s next visit on {visit:%A %d %B %Y}."
    if note.strip():
        words += f"\nAgreed: {note.strip()}"
    if articles:
        words += "\nKnowledge base articles linked to the call: " + "; ".join(articles)
    return words


def _new_notice(db: Database, call_id: int, after_id: int) -> int | None:
    """The "assigned" notice `workflow.assign` has just queued for this call, if any."""
    row = db.execute(
        "SELECT MAX(id) FROM outbox WHERE call_id = ? AND kind = 'assigned' AND id > ?",
        [call_id, after_id],
    ).fetchone()
    return row[0]


def pass_on(
    db: Database,
    call: dict[str, Any],
    *,
    method: str,
    technician_id: int | None,
    note: str,
    user: User,
    at: datetime,
    cal: WorkingCalendar,
    make_sheet: SheetMaker,
    reason: str = "",
) -> str:
    """Assign the call to the technician and record how it was passed on; returns that in
    words. Raises `workflow.WorkflowError` (or TransitionError) with the reason."""
    tech = store.technician(db, technician_id) if technician_id else None
    visit = check(db, method=method, tech=tech, note=note, cal=cal, today=at.date())
    group_id = _group_for(db, call, tech)
    last_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0]
    wf.assign(
        db, call["id"], group_id=group_id, assignee_id=tech["id"], user=user, at=at, reason=reason
    )
    outbox_id = None
    if method == "email":
        outbox_id = _new_notice(db, call["id"], last_id)
        if outbox_id is not None:
            sheet = make_sheet(db, wf.load(db, call["id"]), store.as_user(db, tech["id"]))
            outbox.attach(db, outbox_id, f"{call['ref']}-job-sheet.pdf", sheet)
    articles = [link["title"] for link in kb_queries.call_links(db, call["id"])]
    text = _describe(method, tech, visit, note, articles, outbox_id is not None)
    if reason.strip():
        text += f"\nWhy a technician is needed: {reason.strip()}"
    store.record_handoff(
        db,
        call["id"],
        method=method,
        technician_id=tech["id"],
        visit_on=visit,
        note=note.strip(),
        outbox_id=outbox_id,
        text=text,
        user_id=user.id,
        at=at,
        group_id=group_id,
        reason=reason,
    )
    return text
