"""A customer's private link to their call: random, stored hashed, revocable.

The token is `secrets.token_urlsafe(24)`: 192 random bits, so links cannot be guessed or
counted through. Only its SHA-256 is stored; the token itself exists in the URL given to
the customer and nowhere else, which is why the desk can show a new link only once.
A call may have several live links (each message to the customer may carry one); revoking
ends all of them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit import public_address
from kit.calls import store
from kit.db import insert, stamp

PREFIX = "/my-call/"
TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(db: Database, call_id: int, at: datetime) -> str:
    """Make a new link for the call and return its path ("/my-call/<token>")."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    insert(
        db,
        "customer_links",
        {"call_id": call_id, "token_hash": _hash(token), "created_at": stamp(at)},
    )
    return PREFIX + token


def find_call(db: Database, token: str) -> dict[str, Any] | None:
    """The call a live token opens, or None (unknown, revoked, malformed or voided call)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    row = db.execute(
        "SELECT call_id FROM customer_links WHERE token_hash = ? AND revoked_at IS NULL",
        [_hash(token)],
    ).fetchone()
    if row is None:
        return None
    call = store.get_call(db, row[0])
    if call is None or call["voided"]:
        return None
    return call


def revoke(db: Database, call_id: int, at: datetime) -> int:
    """End every live link of the call (a link sent to the wrong person); returns how many."""
    cursor = db.execute(
        "UPDATE customer_links SET revoked_at = ? WHERE call_id = ? AND revoked_at IS NULL",
        [stamp(at), call_id],
    )
    return cursor.rowcount


def latest_link(db: Database, call_id: int) -> dict[str, Any] | None:
    """When the newest live link was made, and how many are live (never the token)."""
    row = db.execute(
        "SELECT MAX(created_at) AS created_at, COUNT(*) AS live FROM customer_links "
        "WHERE call_id = ? AND revoked_at IS NULL",
        [call_id],
    ).fetchone()
    return dict(row) if row and row["live"] else None


def absolute(path: str) -> str:
    """The full address for a mail: the school's public address (see `kit.public_address`)."""
    return public_address.for_mail(path)
