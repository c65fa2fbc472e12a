"""Messages about a call, queued in the outbox with the context every template may use.

Templates (kit.mail.outbox) see `call` (the call's fields with its names: group_name,
assignee, category...), `location`, `link` (the call's page for staff), `author`, and what
each action adds (`text`, `reason`, `group`, `assignee`, `customer_link`). The author is
never sent their own notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import has_request_context, url_for
from sqlite_utils import Database

from kit import public_address
from kit.auth.roles import User
from kit.mail import outbox


def staff_link(call_id: int) -> str:
    """The call's page at the school's public address (see `kit.public_address`)."""
    if has_request_context():
        return public_address.for_mail(url_for("calls.view", call_id=call_id))
    return public_address.for_mail(f"/calls/{call_id}")


def location_label(call: dict[str, Any]) -> str:
    if not call.get("room"):
        return "—"
    return f"{call['site']} – {call['building']} – {call['room']}"


def send(
    db: Database,
    key: str,
    call: dict[str, Any],
    *,
    to: Iterable[str],
    at: datetime,
    author: User | None = None,
    cc: Iterable[str] = (),
    in_reply_to: str = "",
    **context: Any,
) -> int | None:
    """Queue message `key` about `call`; returns the outbox id, or None if no one to tell.
    `in_reply_to` is the Message-ID of the mail this message answers, if any."""
    own = author.email if author else ""
    to = [a for a in to if a and a != own]
    cc = [a for a in cc if a and a != own]
    if not to and cc:
        to, cc = cc, []
    values = {
        "call": call,
        "location": location_label(call),
        "link": staff_link(call["id"]),
        "author": author.name if author else "The service desk",
        "assignee": call.get("assignee") or "",
        "group": call.get("group_name") or "",
        "text": "",
        "reason": "",
        "customer_link": "",
    } | context
    return outbox.queue(
        db,
        key,
        to=to,
        cc=cc,
        context=values,
        at=at,
        call_id=call["id"],
        in_reply_to=in_reply_to,
        call_ref=call.get("ref") or "",
    )
