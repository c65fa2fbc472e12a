"""The printing area's blueprint and the filters its sheet templates use.

Apart from the views so that every module adding sheets to /print (the call's file pack,
the diagnostics filled in on screen) imports it, and `kit.printing.routes` imports them:
imports flow one way.
"""

from __future__ import annotations

from flask import Blueprint

from kit.printing import sheets

bp = Blueprint("printing", __name__, url_prefix="/print")

bp.add_app_template_filter(sheets.bound, "print_bound")
bp.add_app_template_filter(sheets.minutes_label, "minutes_label")
bp.add_app_template_filter(sheets.log_date, "log_date")
