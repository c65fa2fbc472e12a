"""The SQL behind the admin's outbox pages: the list, one message, retries and templates.

Queueing lives in `kit.mail.outbox` and sending in `kit.mail.smtp`; this module only reads
what they wrote, puts a failed message back in the queue, and restores default wording.
"""

from __future__ import annotations

from typing import Any

from jinja2 import TemplateSyntaxError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from sqlite_utils import Database

from kit.mail.outbox import DEFAULT_TEMPLATES

STATUSES = ("pending", "sending", "sent", "failed")

_check_env = ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=True)

# What a trial render gets: every name any default template uses, with harmless values.
SAMPLE_CONTEXT: dict[str, Any] = {
    "call": {
        "ref": "26-0001",
        "summary": "Projector shows no picture",
        "caller_name": "Ann",
        "details": "Details",
        "respond_by": "2026-11-23 10:30",
        "status": "Logged",
    },
    "author": "Sam Desk",
    "text": "Text",
    "link": "https://desk.example/calls/1",
    "customer_link": "https://desk.example/my-call/xyz",
    "assignee": "Tom Tech",
    "group": "Service Delivery",
    "location": "Main – A – 12",
    "reason": "Reason",
    "days": 6,
}


def list_messages(
    db: Database, *, status: str = "", page: int = 1, page_size: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of the outbox, newest first, and how many messages match in all."""
    where, args = ("o.status = ?", [status]) if status in STATUSES else ("1", [])
    total = db.execute(f"SELECT COUNT(*) FROM outbox o WHERE {where}", args).fetchone()[0]
    rows = db.execute(
        "SELECT o.*, calls.ref FROM outbox o LEFT JOIN calls ON calls.id = o.call_id "
        f"WHERE {where} ORDER BY o.id DESC LIMIT ? OFFSET ?",
        [*args, page_size, (max(page, 1) - 1) * page_size],
    ).fetchall()
    return [dict(r) for r in rows], total


def counts(db: Database) -> dict[str, int]:
    found = dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
    return {status: found.get(status, 0) for status in STATUSES}


def get_message(db: Database, message_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT o.*, calls.ref FROM outbox o LEFT JOIN calls ON calls.id = o.call_id "
        "WHERE o.id = ?",
        [message_id],
    ).fetchone()
    return dict(row) if row else None


def retry(db: Database, message_id: int) -> bool:
    """Put a failed message back in the queue with fresh attempts (after fixing the cause)."""
    cursor = db.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0 WHERE id = ? AND status = 'failed'",
        [message_id],
    )
    return cursor.rowcount == 1


def edited_templates(db: Database) -> dict[str, dict[str, Any]]:
    """The templates the school has reworded, with who did it and when."""
    rows = db.execute(
        "SELECT t.*, u.name AS updated_by_name FROM mail_templates t "
        "LEFT JOIN users u ON u.id = t.updated_by"
    ).fetchall()
    return {r["key"]: dict(r) for r in rows}


def reset_template(db: Database, key: str) -> None:
    """Go back to the kit's own wording for this message."""
    db.execute("DELETE FROM mail_templates WHERE key = ?", [key])


def template_names(key: str) -> list[str]:
    """The names the default wording of `key` uses: what an admin may put in {{ }}."""
    _label, subject, body = DEFAULT_TEMPLATES[key]
    parsed = _check_env.parse(subject + "\n" + body)
    return sorted(find_undeclared_variables(parsed))


def template_error(text: str) -> str | None:
    """Why this wording cannot be used, in words an admin can act on; None when it is fine.

    Parsing catches syntax errors; a trial render with sample values also catches what the
    sandbox refuses only when rendering (reaching into Python objects), which would
    otherwise break the action that queues the message.
    """
    try:
        _check_env.from_string(text).render(SAMPLE_CONTEXT)
    except TemplateSyntaxError as exc:
        return (
            f"This wording has a mistake on line {exc.lineno}: {(exc.message or '').rstrip('.')}."
        )
    except SecurityError:
        return "This wording tries to reach something a message may not use."
    except Exception as exc:  # noqa: BLE001 — any other failure of user-written text
        return f"This wording cannot be filled in: {str(exc).rstrip('.')}."
    return None
