"""The customer area's blueprint, its headers, and the keys its rate limits count by.

Pages under /my-call carry a secret in their address, so they must not leak it: no
Referer to any other site, never stored by a shared cache, never indexed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, request
from flask_limiter.util import get_remote_address

bp = Blueprint("customer", __name__, url_prefix="/my-call")


@bp.after_request
def private_headers(response: Any) -> Any:
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def token_and_address() -> str:
    """Rate-limit key for a status page: this link from this address (the token hashed,
    so the limiter's storage holds no usable link)."""
    token = (request.view_args or {}).get("token", "")
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    return f"{get_remote_address()}|{digest}"
