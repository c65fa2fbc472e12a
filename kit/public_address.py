"""The school's public address for the kit: what is printed and what links in mail point to.

The admin sets it on the settings page (`public_url`, an http(s) address such as
https://helpdesk.school.example). The letter to users, the charter and the QR codes on
sheets use it and nothing else: a sheet printed from the server room must not send staff
to `127.0.0.1`. Links in mail use it too; until it is set they fall back to the
configured `BASE_URL`, then to the address the request came in on, so a new school's
first mails still work (the settings page asks for it).
"""

from __future__ import annotations

from flask import current_app, has_app_context, has_request_context, request

from kit import settings
from kit.db import get_db


def configured() -> str:
    """The public address without a trailing slash, or "" when the admin has not set it."""
    if not has_app_context():
        return ""
    value = settings.get(get_db(), "public_url") or current_app.config.get("BASE_URL") or ""
    return value.rstrip("/")


def printed(path: str) -> str:
    """The full address to print for a path of the kit, or "" when there is none to print."""
    base = configured()
    return base + path if base else ""


def for_mail(path: str) -> str:
    """The full address for a link in a mail: the public address, else this request's."""
    base = configured()
    if not base and has_request_context():
        base = request.url_root.rstrip("/")
    return base + path
