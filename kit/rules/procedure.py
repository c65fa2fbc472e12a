"""The procedure's rules for a call between the desk and closure, without Flask or SQL.

The framework's life cycle asks more of a call than its statuses: the desk checks the details
make sense before anything else happens (step 2), a call the knowledge base can fix is fixed
in school when that is the school's policy (step 3), only the desk passes work to a
technician (step 4), every open call past the desk check has an owner (step 7), and the user
is told how the call ended before it is closed (step 6). Each rule here answers "may this
happen now?" with None, or with the reason it may not, in words for the person at the desk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

#: How a call came in. Every channel ends in the same call log; the first is the default.
CHANNELS = (
    "Phone",
    "In person",
    "Email",
    "Web form",
    "Paper sheet in the tray",
    "Log book",
    "Answerphone",
    "Other",
)
#: Older names of channels, as calls logged before the list grew may hold them.
CHANNEL_ALIASES = {"face to face": "In person", "walk-up": "In person", "voicemail": "Answerphone"}

#: How the user was told the call's outcome: the ways a person can choose.
INFORMED_HOW = {
    "email": "By email (the resolution summary is sent)",
    "phone": "By phone",
    "in person": "In person",
    "printed notice": "A printed notice, handed or sent to them",
}
#: Recorded by the kit itself, never chosen: the user told us, or the no-contact close.
INFORMED_BY_USER = "the user told the desk it fixed itself"
INFORMED_NO_CONTACT = "the no-contact closing message"
NOT_REACHED = "not reached: no further contact from the user"

#: The web form's answer to "Is something broken, or do you need something?".
REQUEST_ANSWER = "request"


def channel_named(text: str) -> str | None:
    """The channel a person typed (any case, or an older name), or None if it is none."""
    cleaned = (text or "").strip().lower()
    found = next((c for c in CHANNELS if c.lower() == cleaned), None)
    return found or CHANNEL_ALIASES.get(cleaned)


#: Words that mark a report as a fault, whatever else it asks for.
FAULT_WORDS = re.compile(
    r"\b(not working|(does|do|is|are|wo|ca|did)n[’']?t|cannot|broken|error|fault|faulty|stopped|"
    r"crash(ed|es)?|frozen|freezes|failed|fails|no signal|no sound|problem|fix(ed)?)\b",
    re.IGNORECASE,
)
#: Words that mark it as asking for something new.
REQUEST_WORDS = re.compile(
    r"\b(request(ing)?|please (install|set up|add|order|book|create)|(could|can|may) (i|we) "
    r"(have|get|borrow|book)|(i|we) (would like|need) (a|an|some|access)|new (account|login|"
    r"laptop|starter|member of staff)|set up (a|an)|access to)\b",
    re.IGNORECASE,
)


def reported_type(answer: str | None, words: str = "") -> str:
    """The type of a call reported from outside the desk (web form, mail, upload): a fault
    is an Incident, a request a Request; the desk's check and category confirm it.

    The person's own answer to "broken, or do you need something?" decides when given; else
    their words do: a Request only when they ask for something and report no fault. With
    neither (no answer, no telling words) it is an Incident, as the framework treats a report.
    """
    said = (answer or "").strip().lower()
    if said:
        return "Request" if REQUEST_ANSWER in said else "Incident"
    asks = REQUEST_WORDS.search(words or "") is not None
    return "Request" if asks and FAULT_WORDS.search(words or "") is None else "Incident"


def pass_on_refusal(
    call: Mapping[str, Any], *, policy: str, solving_articles: list[str], reason: str
) -> str | None:
    """Why the desk may not pass this call to a technician now, or None.

    The desk check comes first; then, under the "apply in school" policy, a call an article
    fixes is resolved at the desk unless the desk says why it must go to a technician.
    """
    if not call.get("desk_checked_at"):
        return (
            f"Check call {call['ref']} first: tick that the details are understood, with "
            "the one-line summary, before it is passed on."
        )
    if policy == "apply_in_school" and solving_articles and not reason.strip():
        titles = "; ".join(f"“{t}”" for t in solving_articles)
        return (
            f"The knowledge base fixes this call ({titles}) and the school's policy is to "
            "apply the fix in school: resolve it at the desk, or write why it must go to a "
            "technician."
        )
    return None


def resolve_refusal(call: Mapping[str, Any]) -> str | None:
    """A call is resolved by its owner's side: one with no owner cannot be resolved."""
    if call.get("assignee_id") is None:
        return (
            f"Call {call['ref']} has no owner. The desk owns a call from its desk check; "
            "check it or pass it on first, so someone answers for it."
        )
    return None


def close_refusal(call: Mapping[str, Any]) -> str | None:
    """A call closes only once the user has been told, and how is recorded."""
    if not call.get("user_informed_at"):
        return (
            f"Record how the user was told before closing call {call['ref']}: by email, "
            "phone, in person or a printed notice."
        )
    return None


def informed_refusal(how: str, caller_email: str) -> str | None:
    """Why this way of telling the user cannot be recorded, or None."""
    if how not in INFORMED_HOW:
        return "Choose how the user was told: email, phone, in person or a printed notice."
    if how == "email" and not (caller_email or "").strip():
        return (
            "The caller has no email address: phone them, tell them in person, or print "
            "the notice for them."
        )
    return None


def exception_reasons(call: Mapping[str, Any], overdue_followups: list[date]) -> list[str]:
    """What is wrong with an open call for the exceptions report ("owner at all times").

    A call still waiting for its desk check is the desk's next job, not an exception.
    """
    reasons = []
    if call.get("desk_checked_at") and call.get("assignee_id") is None:
        reasons.append("No owner")
    if overdue_followups:
        first = min(overdue_followups)
        reasons.append(f"Follow-up overdue since {first:%a %d %b %Y}")
    return reasons
