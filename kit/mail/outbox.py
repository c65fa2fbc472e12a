"""Queue a message from an editable template into the outbox.

Templates are edited by admins in the app, so they are rendered in Jinja's sandbox: a
template can use the call's fields, never reach Python objects or the file system.
Nothing is sent here; `kit.mail.smtp` sends what is pending when SMTP is configured, and
with no SMTP the outbox shows what would have gone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from flask import current_app, has_app_context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlite_utils import Database

from kit import refcache
from kit.db import insert, stamp
from kit.rules.mail import call_ref_in

DEFAULT_SENDER = "servicedesk@school.example"

# A stored time ("2026-11-23 12:00:00") reads to the minute in a message: "2026-11-23 12:00".
_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _to_the_minute(value: Any) -> Any:
    if isinstance(value, str) and _STORED_TIME.fullmatch(value):
        return value[:16]
    return value


_env = ImmutableSandboxedEnvironment(
    autoescape=False, keep_trailing_newline=True, finalize=_to_the_minute
)

# key: (label, subject, body). The procedure's own words where it gives them.
DEFAULT_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "note": (
        "A note was added to a call",
        "Call {{ call.ref }}: new note",
        "{{ author }} added a note to call {{ call.ref }} ({{ call.summary }}):\n\n{{ text }}\n\n"
        "Open the call: {{ link }}\n",
    ),
    "assigned": (
        "A call was assigned",
        "Call {{ call.ref }} assigned to {{ assignee or group }}",
        "Call {{ call.ref }} ({{ call.summary }}) has been passed to {{ assignee or group }}.\n\n"
        "Caller: {{ call.caller_name }}\nLocation: {{ location }}\nResponse due: "
        "{{ call.respond_by }}\n\n{{ call.details }}\n\nOpen the call: {{ link }}\n",
    ),
    "reassigned": (
        "A call was re-assigned to another group",
        "Call {{ call.ref }} re-assigned to {{ group }}",
        "Call {{ call.ref }} ({{ call.summary }}) has been re-assigned to {{ group }}.\n\n"
        "Reason: {{ reason }}\n\nDetails:\n{{ call.details }}\n\nOpen the call: {{ link }}\n",
    ),
    "with_customer": (
        "We need information from the customer (With Customer)",
        "Your IT call {{ call.ref }}: we need more information",
        "Dear {{ call.caller_name }},\n\nTo carry on with your call {{ call.ref }} "
        "({{ call.summary }}) we need the following from you:\n\n{{ text }}\n\n"
        "Please reply using this link: {{ customer_link }}\nor phone the service desk. "
        "If we do not hear from you within 5 working days, your call will be closed.\n",
    ),
    "back_from_customer": (
        "The customer got back in touch",
        "Call {{ call.ref }} is back from the customer",
        "The customer has been in touch about call {{ call.ref }} ({{ call.summary }}):\n\n"
        "{{ text }}\n\nOpen the call: {{ link }}\n",
    ),
    "with_customer_reminder": (
        "Daily reminder: a call has been With Customer for too long",
        "Reminder: call {{ call.ref }} has been With Customer for {{ days }} working days",
        "Call {{ call.ref }} ({{ call.summary }}) has been waiting for the customer for {{ days }} "
        "working days. Contact the customer, or close the call with one click: {{ link }}\n",
    ),
    "no_contact_close": (
        "Closing a call after no contact from the customer",
        "Your IT call {{ call.ref }} has been closed",
        "You have previously been notified by the service desk that we needed more information "
        "from you. This email advised that if we did not hear from you within 5 working days, "
        "your incident will be closed automatically. As we have not received further contact "
        "within the 5 days your incident will now be closed.\n\nPlease contact the service desk "
        "if you require assistance with this incident.\n",
    ),
    "resolved": (
        "The call was resolved (sent to the customer)",
        "Your IT call {{ call.ref }} has been resolved",
        "Dear {{ call.caller_name }},\n\n{{ text }}\n\nIf it is not fixed, tell us here: "
        "{{ customer_link }}\n",
    ),
    "reopened": (
        "A call was reopened (the same issue is not fixed)",
        "Call {{ call.ref }} has been reopened",
        "Call {{ call.ref }} ({{ call.summary }}) has been reopened: the customer reports the "
        "same issue is not fixed.\n\nReason: {{ reason }}\n\nOpen the call: {{ link }}\n",
    ),
    "logged": (
        "The call was logged (sent to the customer)",
        "Your IT call {{ call.ref }} has been logged",
        "Dear {{ call.caller_name }},\n\nWe have logged your call {{ call.ref }}: "
        "{{ call.summary }}.\nYou can follow it here: {{ customer_link }}\n",
    ),
    "staff_survey": (
        "A survey of all users: each person's invitation with their own link",
        "{{ title }}: how is ICT support working for you?",
        "Dear {{ name }},\n\nThe school asks everyone who uses its computers how ICT support "
        "is working for them. There are {{ questions }} short questions; your answers are not "
        "linked to your name.\n\nAnswer here (your own link, please do not forward it): "
        "{{ link }}\n\nAnswers are taken until {{ closes_on }}. Thank you.\n",
    ),
    "followup_reminder": (
        "Daily reminder: a follow-up date on a call has come",
        "Follow up call {{ call.ref }} ({{ due_on }})",
        "A follow-up on call {{ call.ref }} ({{ call.summary }}) is due on {{ due_on }}.\n\n"
        "Why: {{ text }}\n\nOpen the call: {{ link }}\n",
    ),
}


def template(db: Database, key: str) -> tuple[str, str]:
    """(subject, body) for a message kind: the school's edited text or the default (the
    edited ones read once per change, kit.refcache)."""
    edited = refcache.cached(
        db,
        "mail_templates",
        lambda: {
            r[0]: (r[1], r[2]) for r in db.execute("SELECT key, subject, body FROM mail_templates")
        },
    )
    if key in edited:
        return edited[key]
    _label, subject, body = DEFAULT_TEMPLATES[key]
    return subject, body


@functools.lru_cache(maxsize=64)
def _compiled(source: str):
    """A template compiled once per wording (a school edits its wording rarely)."""
    return _env.from_string(source)


def render(db: Database, key: str, context: dict[str, Any]) -> tuple[str, str]:
    subject, body = template(db, key)
    return (
        _compiled(subject).render(context).strip().replace("\n", " "),
        _compiled(body).render(context),
    )


def queue(
    db: Database,
    key: str,
    *,
    to: Iterable[str],
    context: dict[str, Any],
    at: datetime,
    call_id: int | None = None,
    cc: Iterable[str] = (),
    dedupe_key: str | None = None,
    in_reply_to: str = "",
    call_ref: str = "",
) -> int | None:
    """Write a message to the outbox; returns its id, or None when there is no one to send to
    or a message with the same dedupe key was already queued.

    A message about a call carries `[Call <ref>]` in its subject, so a reply finds the call
    whatever the school's wording; each message gets its Message-ID now, kept with it, so a
    reply naming it in In-Reply-To or References finds the call too. `in_reply_to` is the
    Message-ID of a mail this message answers (an acknowledgement); `call_ref`, the call's
    reference when the caller has it already.
    """
    recipients = sorted({a.strip() for a in to if a and a.strip()})
    if not recipients:
        return None
    if (
        dedupe_key
        and db.execute("SELECT 1 FROM outbox WHERE dedupe_key = ?", [dedupe_key]).fetchone()
    ):
        return None
    subject, body = render(db, key, context)
    subject = with_call_tag(db, subject, call_id, call_ref)
    row = {
        "created_at": stamp(at),
        "kind": key,
        "call_id": call_id,
        "to_addr": ", ".join(recipients),
        "cc": ", ".join(sorted({a for a in cc if a and a not in recipients})),
        "subject": subject,
        "body": body,
        "status": "pending",
        "dedupe_key": dedupe_key,
        "message_id": new_message_id(),
        "in_reply_to": in_reply_to,
    }
    return insert(db, "outbox", row)


def with_call_tag(db: Database, subject: str, call_id: int | None, ref: str = "") -> str:
    """The subject with `[Call <ref>]` at its end, unless the school's wording has it."""
    if call_id is None:
        return subject
    if not ref:
        row = db.execute("SELECT ref FROM calls WHERE id = ?", [call_id]).fetchone()
        if row is None:
            return subject
        ref = row[0]
    if call_ref_in(subject) == ref:
        return subject
    return f"{subject} [Call {ref}]"


def new_message_id() -> str:
    """A Message-ID at the desk's own domain (MAIL_FROM), unique to this message."""
    sender = current_app.config.get("MAIL_FROM") if has_app_context() else None
    domain = (sender or DEFAULT_SENDER).rpartition("@")[2] or None
    return make_msgid(idstring="kit", domain=domain)


def attach(
    db: Database,
    outbox_id: int,
    filename: str,
    content: bytes,
    content_type: str = "application/pdf",
) -> int:
    """Send a file with a queued message (the job sheet of an email hand-off)."""
    row = {
        "outbox_id": outbox_id,
        "filename": filename,
        "content_type": content_type,
        "content": content,
    }
    return db["outbox_attachments"].insert(row).last_pk


def attachments(db: Database, outbox_id: int) -> list[dict[str, Any]]:
    """The files sent with a message: (filename, content_type, content) rows, oldest first."""
    if not db["outbox_attachments"].exists():
        return []
    return list(db["outbox_attachments"].rows_where("outbox_id = ?", [outbox_id], order_by="id"))


def save_template(
    db: Database, key: str, subject: str, body: str, *, user_id: int, at: datetime
) -> None:
    """Store the school's wording; refuses text the sandbox cannot parse."""
    _env.from_string(subject)
    _env.from_string(body)
    db["mail_templates"].upsert(
        {
            "key": key,
            "subject": subject,
            "body": body,
            "updated_at": stamp(at),
            "updated_by": user_id,
        },
        pk="key",
    )
