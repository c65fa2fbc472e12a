"""Helpers for the customer tests: an app with rate limits on, and web form answers."""

from __future__ import annotations

import re

from kit import create_app
from kit.auth import store as accounts
from kit.db import connect


def limited_app(instance_path, clock):
    """An app with rate limits on, as in production, with one account (past the wizard)."""
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": "test",
            "NOW": clock,
            "RATELIMIT_ENABLED": True,
        }
    )
    db = connect(app.config["DATABASE"])
    accounts.create_user(db, username="admin", name="Admin", password="x" * 12, roles={"admin"})
    db.conn.close()
    return app


def form_token(client) -> str:
    """The session's CSRF token, read from the web form (it needs no login)."""
    html = client.get("/my-call/new").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def web_answers(**changes) -> dict[str, str]:
    """A complete, valid web form; keyword arguments replace answers."""
    answers = {
        "caller_name": "Ann Teacher",
        "email": "ann@school.example",
        "phone": "",
        "location_id": "0",
        "summary": "Printer in the staff room jams",
        "equipment": "PRN-004",
        "expected": "A printed page",
        "happened": "It jams on every page",
        "error_message": "Paper jam in tray 2",
        "last_worked": "Yesterday",
        "website": "",
        "submission_key": "a" * 32,
    }
    return answers | changes
