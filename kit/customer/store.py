"""What a customer may see of their call, and the one change only they make: confirming.

The status page is built from `public_call` and `customer_messages` only, which copy the
customer-facing fields by name: a field added to calls later, the call's details (where
re-assignment reasons are written) and the names of technicians never reach the page
unless added here on purpose.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls import store
from kit.calls.procedure_schema import WEB_FAULT_CATEGORY
from kit.db import write_lock
from kit.directory import store as directory
from kit.rules import lifecycle as lc

# Calls from the web form land here for the desk to triage (then recategorise).
TRIAGE_CATEGORY = "Information or advice"

# Replies from the status page start with this, so the desk reads who wrote them in the
# call's history and the page can show them as the customer's own.
FROM_CUSTOMER = "From the customer, through their status page:\n"

PUBLIC_FIELDS = (
    "id",
    "ref",
    "summary",
    "status",
    "logged_at",
    "resolved_at",
    "closed_at",
    "resolution_summary",
    "resolution_details",
    "customer_confirmed",
    "with_customer_since",
)

# What each status means for the person waiting, in their words.
STATUS_WORDS = {
    lc.LOGGED: "We have your call. The service desk will look at it soon.",
    lc.ASSIGNED: "Your call has been passed to the right people to deal with it.",
    lc.IN_PROGRESS: "Someone is working on your call.",
    lc.WITH_CUSTOMER: "We are waiting for information from you. Please reply below.",
    lc.BACK_FROM_CUSTOMER: "Thank you for your reply. We are working on your call again.",
    lc.WITH_THIRD_PARTY: "We are waiting for someone else (a supplier or another team) to do "
    "their part.",
    lc.RESOLVED: "We think your problem is fixed. Please tell us below whether it is.",
    lc.CLOSED: "Your call is closed.",
    lc.REOPENED: "Your call has been reopened and will be looked at again.",
}


CONFIRMED_WORDS = "Your problem is fixed. Thank you."


def when(value: str | None) -> str:
    """A stored time as a person reads it: "Mon 23 Nov 2026, 09:30"."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


def public_call(call: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the customer may see, plus the status and dates in plain words."""
    shown = {name: call.get(name) for name in PUBLIC_FIELDS}
    shown["dates"] = [
        (label, when(call[name]))
        for label, name in (
            ("Reported", "logged_at"),
            ("Waiting for you since", "with_customer_since"),
            ("Resolved", "resolved_at"),
            ("Closed", "closed_at"),
        )
        if call.get(name)
    ]
    details = shown["resolution_details"] or ""
    shown["resolution_details"] = details.removeprefix(FROM_CUSTOMER)  # "It fixed itself"
    shown["status_words"] = (
        CONFIRMED_WORDS
        if call["status"] == lc.RESOLVED and call.get("customer_confirmed")
        else STATUS_WORDS.get(call["status"], "")
    )
    return shown


def confirmation(db: Database, call: dict[str, Any]) -> dict[str, str] | None:
    """Who confirmed the fix and when, in the customer's words; None when nobody has.

    The customer confirms on their status page (a `customer_confirmed` event); or whoever
    resolved the call ticked "the customer confirmed" (they were told by phone or in
    person), recorded by the `resolved` event. The latest of the two says which it was."""
    if not call.get("customer_confirmed"):
        return None
    row = db.execute(
        "SELECT kind, at FROM call_events WHERE call_id = ? "
        "AND kind IN ('customer_confirmed', 'resolved') ORDER BY id DESC LIMIT 1",
        [call["id"]],
    ).fetchone()
    if row is None:
        return None
    if row["kind"] == "customer_confirmed":
        return {"words": f"You confirmed on this page that it is fixed, on {when(row['at'])}."}
    return {
        "words": "The service desk recorded that you confirmed it is fixed (for example by "
        f"phone or in person) when they resolved the call, on {when(row['at'])}."
    }


def customer_messages(db: Database, call_id: int) -> list[dict[str, Any]]:
    """Notes marked for the customer and the customer's own replies, oldest first.

    Staff entries are signed "The service desk", never with the person's name.
    """
    rows = db.execute(
        "SELECT at, kind, text, user_id FROM call_events WHERE call_id = ? AND text != '' "
        "AND (customer_visible = 1 OR (user_id IS NULL AND substr(text, 1, ?) = ?)) "
        "ORDER BY id",
        [call_id, len(FROM_CUSTOMER), FROM_CUSTOMER],
    ).fetchall()
    messages = []
    for row in rows:
        mine = row["user_id"] is None and row["text"].startswith(FROM_CUSTOMER)
        text = row["text"][len(FROM_CUSTOMER) :] if mine else row["text"]
        messages.append({"at": when(row["at"]), "from_customer": mine, "text": text})
    return messages


def confirm_fix(db: Database, call_id: int, at: datetime) -> bool:
    """Record that the customer says the fix works; False when the call is not resolved
    (or closed) any more, for example because it was reopened meanwhile."""
    with write_lock(db):
        call = store.get_call(db, call_id)
        if call is None or call["status"] not in lc.CLOSED_STATUSES:
            return False
        if call["customer_confirmed"]:
            return True
        store.update_call(
            db,
            call_id,
            {"customer_confirmed": 1},
            user_id=None,
            at=at,
            kind="customer_confirmed",
            text="The customer confirmed the fix on their status page.",
        )
    return True


def triage_category_id(db: Database, call_type: str = "Request") -> int:
    """The category an outside call (web form, mail) starts in, by its type: a fault
    ("Incident") in "Fault reported on the web form", a request in "Information or advice",
    where the school kept them; else the first category in use of that type at the Service
    Desk's tier, else of that type, else any in use."""
    name = WEB_FAULT_CATEGORY[0] if call_type == "Incident" else TRIAGE_CATEGORY
    named = directory.category_by_name(db, name)
    if named and named["active"]:
        return named["id"]
    categories = directory.list_categories(db)
    same_type = [c for c in categories if c["call_type"] == call_type]
    first_tier = [c for c in same_type if c["tier"] == 1]
    return (first_tier or same_type or categories)[0]["id"]
