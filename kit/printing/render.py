"""HTML to PDF with WeasyPrint, fetching nothing but the kit's own files.

Sheets carry text that callers typed. Escaping keeps it from becoming markup, and this
module's fetcher is the second wall: it serves only the kit's static folder and the school
logo, never a file path, a web address or a redirect. A URL it refuses is skipped with a
warning in the log and the PDF is still made, so one odd image never stops a technician
printing a job sheet (tests check both halves of that promise).
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Response

from kit import assets

log = logging.getLogger(__name__)

STATIC_SCHEME = "kit-static:"
LOGO_URL = "kit-logo:school"
BASE_URL = STATIC_SCHEME + "/"
STATIC_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}
DATA_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
DATA_IMAGE_MAX_BYTES = 64 * 1024
LOGO_MAX_BYTES = 2 * 1024 * 1024


class BlockedURL(ValueError):
    """A URL the kit will not fetch for a PDF (WeasyPrint skips the resource)."""


def _fetcher_base() -> type:
    import weasyprint.urls

    return weasyprint.urls.URLFetcher


ATTACHMENT_SCHEME = "kit-attachment:"
ATTACHMENT_MAX_BYTES = 12 * 1024 * 1024
ATTACHMENT_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"GIF8": "image/gif"}


def make_fetcher(static_dir: Path, logo: Path | None, attachments: dict[str, Path] | None = None):
    """A WeasyPrint URL fetcher limited to `static_dir`, the school logo, and the listed
    attachment addresses (the photos of the calls being printed; see kit.attachments)."""
    base = _fetcher_base()

    class KitFetcher(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.static_dir = static_dir.resolve()
            self.logo = logo
            self.attachments = attachments or {}

        def fetch(self, url: str, headers: dict | None = None):
            try:
                return self._serve(url)
            except BlockedURL as exc:
                log.warning("PDF: refused to fetch %.200r (%s)", url, exc)
                raise

        def _serve(self, url: str):
            from weasyprint.urls import URLFetcherResponse

            kind, target = classify(url)
            if kind == "data":
                mime, body = read_data_image(url)
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            if kind == "attachment":
                path = self.attachments.get(url.strip())
                if path is None or not path.is_file():
                    raise BlockedURL("not a photo of the calls being printed")
                body = read_limited(path, ATTACHMENT_MAX_BYTES)
                mime = next((m for sig, m in ATTACHMENT_TYPES.items() if body.startswith(sig)), "")
                if not mime:
                    raise BlockedURL("not a JPEG, PNG or GIF photo")
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            if kind == "logo":
                if self.logo is None or not self.logo.is_file():
                    raise BlockedURL("no school logo")
                body = read_limited(self.logo, LOGO_MAX_BYTES)
                return URLFetcherResponse(url, body, {"Content-Type": "image/png"})
            path = static_path(self.static_dir, target)
            body = read_limited(path, LOGO_MAX_BYTES)
            return URLFetcherResponse(
                url, body, {"Content-Type": STATIC_TYPES[path.suffix.lower()]}
            )

    return KitFetcher()


def classify(url: str) -> tuple[str, str]:
    """("static", path) | ("logo", "") | ("data", url); anything else is refused."""
    lowered = url.strip().lower()
    if lowered == LOGO_URL:
        return "logo", ""
    if lowered.startswith(ATTACHMENT_SCHEME):
        return "attachment", url.strip()
    if lowered.startswith(STATIC_SCHEME):
        return "static", url.strip()[len(STATIC_SCHEME) :]
    if lowered.startswith("data:"):
        return "data", url
    scheme = urlsplit(lowered).scheme
    if scheme or lowered.startswith("//") or "\\" in lowered:
        raise BlockedURL(f"scheme {scheme or 'network path'} is not served")
    return "static", url.strip()  # relative: resolved under the static folder


def static_path(static_dir: Path, target: str) -> Path:
    """The file under the static folder named by `target`, or BlockedURL."""
    relative = unquote(target.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
    path = (static_dir / relative).resolve()
    if not path.is_relative_to(static_dir) or path == static_dir:
        raise BlockedURL("outside the static folder")
    if path.suffix.lower() not in STATIC_TYPES or not path.is_file():
        raise BlockedURL("not a static file the sheets use")
    return path


def read_limited(path: Path, limit: int) -> bytes:
    if path.stat().st_size > limit:
        raise BlockedURL("file too large")
    return path.read_bytes()


def read_data_image(url: str) -> tuple[str, bytes]:
    """A small inline PNG, JPEG or GIF; any other data: URL is refused."""
    header, sep, payload = url[len("data:") :].partition(",")
    parts = header.lower().split(";")
    if not sep or parts[0] not in DATA_IMAGE_TYPES or "base64" not in parts[1:]:
        raise BlockedURL("only small base64 PNG, JPEG or GIF data is allowed")
    if len(payload) > DATA_IMAGE_MAX_BYTES * 4 // 3 + 4:
        raise BlockedURL("inline image too large")
    try:
        return parts[0], base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BlockedURL("inline image is not valid base64") from exc


def render_pdf(
    html: str, *, logo: Path | None = None, attachments: dict[str, Path] | None = None
) -> bytes:
    """The PDF for `html`; WeasyPrint is imported here because it takes 0.8 s to load."""
    import weasyprint

    fetcher = make_fetcher(assets.find("static"), logo, attachments)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf()


def render_pdf_pages(htmls: Iterable[str], *, logo: Path | None = None) -> bytes | None:
    """Sheets rendered one at a time (so a command can show how far it got), as one PDF;
    None when there were none."""
    import weasyprint

    fetcher = make_fetcher(assets.find("static"), logo, None)
    first, pages = None, []
    for html in htmls:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
        first = first or document
        pages.extend(document.pages)
    return first.copy(pages).write_pdf() if first is not None else None


def pdf_response(pdf: bytes, filename: str) -> Response:
    """An inline PDF that browsers and proxies do not keep (sheets hold callers' details)."""
    safe_name = "".join(c for c in filename if c.isalnum() or c in "-_.") or "sheet.pdf"
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{safe_name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
