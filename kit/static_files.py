"""Static files (CSS, JS) addressed by their content, so a browser asks for them once.

Every `url_for('static', ...)` gets `?v=` and the first 12 hex digits of the file's
SHA-256. A request that names the current version is answered as cacheable for a year
and immutable: the next page view costs one request (the page), not five. A new version
of a file has a new address, so a change reaches every browser at once. A request without
the version, or with an old one, is answered as before (revalidated each time).
A version is computed once per file and modification time, so a developer editing the
CSS sees the change on the next page.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from flask import Flask, request

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"


class Versions:
    """The content version of each static file, read once per (file, modification time)."""

    def __init__(self, folder: str) -> None:
        self.folder = os.path.realpath(folder)
        self._known: dict[str, tuple[float, str]] = {}

    def of(self, filename: str) -> str | None:
        path = os.path.realpath(os.path.join(self.folder, filename))
        if not path.startswith(self.folder + os.sep):
            return None
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        known = self._known.get(filename)
        if known is None or known[0] != mtime:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:12]
            known = self._known[filename] = (mtime, digest)
        return known[1]


def init_app(app: Flask) -> None:
    versions = Versions(app.static_folder or "")

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = versions.of(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned(response: Any) -> Any:
        if (
            request.endpoint == "static"
            and response.status_code == 200
            and request.args.get("v")
            and request.args.get("v") == versions.of(request.view_args.get("filename", ""))
        ):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
