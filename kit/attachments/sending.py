"""Sending a kept file to a browser, for staff and for the customer's status link alike.

Files come from callers, so nothing sent here may run as a page: never sniffed, inline only
for pictures and PDFs, and sandboxed. Its own module so that the staff's and the customer's
file views both import it, and neither imports the other.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, send_file

from kit.attachments import files

INLINE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})


def send_attachment(row: dict[str, Any], *, private: bool = False):
    """The file as detected, inline only for pictures and PDFs, never sniffed."""
    path = files.path_of(current_app.instance_path, row["stored_name"])
    if not path.exists():
        abort(404)
    inline = row["mime"] in INLINE
    mimetype = row["mime"] + ("; charset=utf-8" if row["mime"] == "text/plain" else "")
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=not inline,
        download_name=row["name"],
        conditional=True,
        max_age=0,
    )
    return _locked_down(response, private, sandbox=row["mime"] != "application/pdf")


def send_thumbnail(row: dict[str, Any], *, private: bool = False):
    if not row["thumb_name"]:
        abort(404)
    path = files.path_of(current_app.instance_path, row["thumb_name"])
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True, max_age=0)
    return _locked_down(response, private, sandbox=True)


def _locked_down(response, private: bool, *, sandbox: bool):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store" if private else "private, no-cache"
    if sandbox:
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'"
        )
    return response
