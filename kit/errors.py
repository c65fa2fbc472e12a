"""Error pages: every refusal or failure gets a page in plain words and the right status.

"Not yours" and "does not exist" share the same 404 page, so a technician cannot learn
that a call exists by its number.

A write that fails because the database is locked past the busy timeout, or the disk is
full, is a 503 in plain words, and what the person typed is never lost: the log-a-call
form catches it and comes back filled in (`unsaved_message`); any other form gets a page
listing what was typed with a "Send again" button that posts it unchanged (its CSRF token
and one-time submission key included, so a repeat cannot save anything twice).
"""

from __future__ import annotations

import errno
import sqlite3

from flask import Blueprint, render_template, render_template_string, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, ValidationError

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "Your account is not allowed to do that. Ask an administrator if you need it.",
    404: "There is nothing here. The address may be wrong, or the page is not yours to see.",
    405: "That action cannot be done this way.",
    413: (
        "What you sent is larger than this page accepts at once, so nothing was kept. "
        "Go back and send fewer or smaller files: the page says its limits. A phone photo "
        "can be sent on its own."
    ),
    429: "Too many attempts in a short time. Wait a few minutes and try again.",
    503: "The kit is busy saving other work. Nothing was saved: go back and submit again.",
}

BUSY = "The kit is busy saving other work, so this was not saved yet. Send it again."
DISK_FULL = (
    "The kit could not save this: its disk is full or cannot be written. "
    "Tell the person who looks after the kit; what you typed is kept here."
)
# Form fields never written back into a page (the rest is echoed, escaped, to be resent):
# the password forms' fields, and anything named like a password or secret.
_SECRET_FIELDS = {"current", "new", "confirm"}
_HIDDEN_FIELDS = ("csrf_token", "submission_key", "base_revision")


class IdConverter(BaseConverter):
    """Row ids: digits within SQLite's integer range, anything else is a 404, not a 500."""

    regex = r"\d{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > 2**63 - 1:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def _page(code: int, message: str | None = None):
    return render_template("error.html", code=code, message=message or MESSAGES.get(code, "")), code


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if exc.code in (301, 302, 303, 307, 308):
        return exc
    return _page(exc.code or 500)


@bp.app_errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    return _page(
        400, "This form had expired or came from elsewhere. Reload the page and try again."
    )


def unsaved_message(exc: sqlite3.OperationalError) -> str | None:
    """What to tell the person when a write failed for a reason that is not theirs:
    the database locked past the busy timeout, or a full (or failing) disk; None for any
    other error, which is a bug and stays a 500."""
    text = str(exc).lower()
    if "full" in text or "disk" in text:
        return DISK_FULL
    if "locked" in text or "busy" in text:
        return BUSY
    return None


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_FIELDS or "password" in lowered or "secret" in lowered


_UNSAVED_PAGE = """{% extends "base.html" %}
{% block title %}Not saved{% endblock %}
{% block content %}
<h1>Not saved</h1>
<p class="error" role="alert">{{ message }}</p>
{% if typed %}
<h2>What you typed</h2>
<dl class="typed">{% for name, value in typed %}<dt>{{ name|replace('_', ' ')|capitalize }}</dt><dd>{{ value }}</dd>{% endfor %}</dl>
{% endif %}
{% if resend %}
<form method="post" action="{{ action }}">
  {% for name, value in resend %}<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
  <button type="submit" class="button primary">Send again</button>
</form>
{% endif %}
<p><a href="{{ url_for('home.index') }}">Back to the start page</a></p>
{% endblock %}"""


@bp.app_errorhandler(sqlite3.OperationalError)
def database_busy(exc: sqlite3.OperationalError):
    """A locked or full database: a 503 that keeps what was typed, ready to send again."""
    message = unsaved_message(exc)
    if message is None:
        raise exc
    return _unsaved_page(message)


@bp.app_errorhandler(OSError)
def disk_full(exc: OSError):
    """A file that could not be written for want of room (an upload, an index): the same
    503 as a full database, never a 500."""
    if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        raise exc
    return _unsaved_page(DISK_FULL)


def _unsaved_page(message: str):
    resend = []
    if request.method == "POST":
        resend = [
            (name, value) for name, value in request.form.items(multi=True) if not _is_secret(name)
        ]
    typed = [(n, v) for n, v in resend if v.strip() and n not in _HIDDEN_FIELDS]
    action = request.full_path if request.query_string else request.path
    page = render_template_string(
        _UNSAVED_PAGE, message=message, typed=typed, resend=resend, action=action
    )
    return page, 503
