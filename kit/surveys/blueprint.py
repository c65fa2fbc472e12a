"""The surveys area's blueprint: route modules import it, and `routes.py` imports them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def private_headers(response: Any) -> Any:
    """An answer page's address carries its link's secret: no Referer, no cache, no index."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
