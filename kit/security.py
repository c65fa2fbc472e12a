"""Request-wide protections: CSRF, security headers, the logged-in user, login limits.

`g.user` is the logged-in `User` or None. A session cookie carries the account's
`session_version`; logging out, a password change or a role change bumps it, so a cookie
copied before then stops working.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from kit.auth import store
from kit.db import get_db

csrf = CSRFProtect()
# Counts live in the instance database (kit.ratelimits), shared by every server process.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    from kit.errors import IdConverter

    app.url_map.converters["id"] = IdConverter
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    import kit.ratelimits  # noqa: F401 (registers the kit-sqlite:// storage)

    app.config.setdefault("RATELIMIT_STORAGE_URI", f"kit-sqlite://{app.config['DATABASE']}")
    limiter.init_app(app)
    app.before_request(refuse_nul_characters)
    app.before_request(load_logged_in_user)
    app.after_request(set_security_headers)


def refuse_nul_characters() -> None:
    """No form or query value holds a NUL: SQLite's text functions stop at one (a title of
    "\\x00" passed Python's checks and failed the database's), and no person types one."""
    for values in (request.args, request.form):
        if any("\x00" in value for _name, items in values.lists() for value in items):
            abort(400)


def load_logged_in_user() -> None:
    g.user = None
    if request.endpoint == "static":
        return  # CSS and JS are the same for everyone: no session read, no database opened
    user_id = session.get("user_id")
    if user_id is None:
        return
    db = get_db()
    row = store.get_user_row(db, user_id)
    if row is None or not row["active"] or row["session_version"] != session.get("sv"):
        session.clear()
        return
    g.user = store.load_user(db, row)


def set_security_headers(response: Any) -> Any:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages show calls and people: a shared computer's browser keeps none after logout.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def login_user(row: dict[str, Any]) -> None:
    """Start a fresh session for the account (never reuse the one from before login)."""
    session.clear()
    session["user_id"] = row["id"]
    session["sv"] = row["session_version"]
    session.permanent = False


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def requires(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log in first, then allow only roles the permission table grants `action` (else 403)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not g.user.can(action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


def safe_next(target: str | None) -> str | None:
    """Only our own paths are followed after login ("/calls/1", never "//evil" or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 or c.isspace() for c in target):
        return None  # browsers drop tabs and newlines: "/\t/evil" would become "//evil"
    return target
