"""The attachments area's blueprint, and the request size its upload pages accept.

The kit refuses any request over `MAX_CONTENT_LENGTH` (4 MB), which keeps ordinary forms
cheap. The pages that take files accept up to their limits instead (files per form times
the largest file, from the school's settings), decided before the CSRF check reads the
form; anything larger is the kit's 413 page.
"""

from __future__ import annotations

from flask import Blueprint, request

from kit.attachments import limits
from kit.db import get_db

bp = Blueprint("attachments", __name__)

# endpoint -> whose limits apply (staff pages, or the customer's form and reply page)
UPLOAD_ENDPOINTS: dict[str, str] = {}


def takes_files(endpoint: str, who: str) -> None:
    UPLOAD_ENDPOINTS[endpoint] = who


def larger_requests_for_uploads() -> None:
    who = UPLOAD_ENDPOINTS.get(request.endpoint or "")
    if who and request.method == "POST":
        db = get_db()
        chosen = limits.for_public(db) if who == "public" else limits.for_staff(db)
        request.max_content_length = chosen.request_bytes


@bp.record_once
def _first(state) -> None:
    # First of all request hooks: CSRFProtect reads the form in its own hook.
    state.app.before_request_funcs.setdefault(None, []).insert(0, larger_requests_for_uploads)
