"""The mail-in blueprint: held mail for the desk, and the admin's mail set-up page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mailin", __name__, url_prefix="/mail")
