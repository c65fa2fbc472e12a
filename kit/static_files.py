"""Static files (CSS, JS) addressed by their content, so a browser asks for them once.

Every `url_for('static', ...)` gets `?v=` and the first 12 hex digits of the file's
SHA-256. A request that names the current version is answered as cacheable for a year
and immutable: the next page view costs one request (the page), not five. A new version
of a file has a new address, so a change reaches every browser at once. A request without
the version, or with an old one, is answered as before (revalidated each time).
A version is computed once per file and modification time, so a developer editing the
CSS sees the change on the next page.

Text files (CSS, JS, SVG, JSON) are sent compressed to a browser that accepts it: Brotli
when the `brotli` module is present, else gzip, compressed once per file and modification
time and kept in memory (the kit's static files are about 40 KB), with `Vary:
Accept-Encoding` so a shared cache keeps the two apart. screen.css goes from 15 KB to 4.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from typing import Any

from flask import Flask, redirect, request, url_for

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}
COMPRESSIBLE |= {"application/json", "text/plain"}
MIN_COMPRESS = 512  # bytes: smaller files gain nothing worth the header
MAX_PATHS = 1024  # resolved file names kept (the kit has a few dozen; requests may spell more)

try:
    import brotli
except ImportError:  # gzip only
    brotli = None


class Versions:
    """The content version of each static file, read once per (file, modification time)."""

    def __init__(self, folder: str) -> None:
        self.folder = os.path.realpath(folder)
        self._known: dict[str, tuple[float, str]] = {}
        self._paths: dict[str, str] = {}  # filename -> its checked real path (files found)
        self._packed: dict[tuple[str, str, str], bytes] = {}

    def of(self, filename: str) -> str | None:
        path = self._paths.get(filename)
        if path is None:
            path = os.path.realpath(os.path.join(self.folder, filename))
            if not path.startswith(self.folder + os.sep):
                return None
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        if filename not in self._paths and len(self._paths) < MAX_PATHS:
            self._paths[filename] = path  # resolved once: three per page took 90 µs
        known = self._known.get(filename)
        if known is None or known[0] != mtime:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:12]
            known = self._known[filename] = (mtime, digest)
        return known[1]

    def compressed(self, filename: str, encoding: str) -> bytes | None:
        """The file compressed with `encoding` ("br" or "gzip"), made once per version."""
        version = self.of(filename)
        if version is None:
            return None
        key = (filename, version, encoding)
        if key not in self._packed:
            with open(os.path.join(self.folder, filename), "rb") as handle:
                data = handle.read()
            if encoding == "br":
                packed = brotli.compress(data, quality=11)
            else:
                packed = gzip.compress(data, compresslevel=9, mtime=0)
            self._packed[key] = packed
        return self._packed[key]


def _encoding(accepted: Any) -> str | None:
    """The best encoding the browser accepts: Brotli, then gzip, else None."""
    if brotli is not None and accepted["br"]:
        return "br"
    if accepted["gzip"]:
        return "gzip"
    return None


def compress(response: Any, versions: Versions, filename: str) -> Any:
    """The static response compressed for this request's browser, when that helps."""
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Range" in request.headers
        or (response.content_length or 0) < MIN_COMPRESS
    ):
        return response
    encoding = _encoding(request.accept_encodings)
    packed = versions.compressed(filename, encoding) if encoding else None
    if packed is None:
        return response
    response.direct_passthrough = False
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-{encoding}", weak=weak)
    return response


def init_app(app: Flask) -> None:
    versions = Versions(app.static_folder or "")

    def favicon() -> Any:
        """Browsers and feed readers that ask for /favicon.ico get the kit's own icon."""
        return redirect(url_for("static", filename="img/favicon.svg"), 301)

    app.add_url_rule("/favicon.ico", "favicon", favicon)

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = versions.of(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned(response: Any) -> Any:
        if request.endpoint != "static":
            return response
        filename = (request.view_args or {}).get("filename", "")
        if (
            response.status_code == 200
            and request.args.get("v")
            and request.args.get("v") == versions.of(filename)
        ):
            response.headers["Cache-Control"] = IMMUTABLE
        return compress(response, versions, filename)
