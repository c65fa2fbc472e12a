"""The knowledge base's blueprint and the hook other areas fill in on its search page.

It lives apart from the views so that the modules adding views or commands to it (writing
and publishing, the call page's panel, `kit kb ...`) import it, and `kit.kb.routes` imports
them: imports flow one way.
"""

from __future__ import annotations

from flask import Blueprint

from kit.kb import index

bp = Blueprint("kb", __name__, url_prefix="/kb", cli_group="kb")
bp.teardown_app_request(index.close_searcher)

# Other areas add to the search page: functions (db, query text, user) -> template context
# (the problems area's known errors).
SEARCH_EXTRAS: list = []
