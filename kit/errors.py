"""Error pages: every refusal or failure gets a page in plain words and the right status.

"Not yours" and "does not exist" share the same 404 page, so a technician cannot learn
that a call exists by its number.
"""

from __future__ import annotations

import sqlite3

from flask import Blueprint, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, ValidationError

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "Your account is not allowed to do that. Ask an administrator if you need it.",
    404: "There is nothing here. The address may be wrong, or the page is not yours to see.",
    405: "That action cannot be done this way.",
    413: "That file is too large.",
    429: "Too many attempts in a short time. Wait a few minutes and try again.",
    503: "The kit is busy saving other work. Nothing was saved: go back and submit again.",
}


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


@bp.app_errorhandler(sqlite3.OperationalError)
def database_busy(exc: sqlite3.OperationalError):
    """A locked or full database is a temporary failure the person can retry."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text or "disk" in text or "full" in text:
        return _page(503)
    raise exc
