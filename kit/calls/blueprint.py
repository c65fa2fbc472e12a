"""The calls area's blueprint and the hooks other areas fill in.

It lives apart from the views so that every module adding views or panels to the calls
area imports it, and `kit.calls.routes` imports those modules: imports flow one way.
"""

from __future__ import annotations

from flask import Blueprint

from kit.calls.table import call_rows

bp = Blueprint("calls", __name__, url_prefix="/calls")
# The calls table's rows, kept per content: the call log and the desk's home both use it.
bp.add_app_template_global(call_rows)

# Other areas add panels to a call's page: functions (db, call, user) -> template context.
CALL_PAGE_EXTRAS: list = []
# Other areas fill the log-a-call form from a query string (held mail: ?mail=N):
# functions (form, db, args), run on GET only.
NEW_CALL_PREFILLS: list = []
