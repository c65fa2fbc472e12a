"""PDFs fetch nothing but the kit's own files, whatever callers type.

A canary web server on 127.0.0.1 counts every request: printed sheets filled with markup
pointing at it, and at files on the server, must make no request and show no file content.
"""

from __future__ import annotations

import base64
import http.server
import io
import logging
import threading

import pytest
from pypdf import PdfReader

from kit import assets
from kit.printing.render import BlockedURL, make_fetcher, render_pdf

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB"
    "BAEAwS2OUAAAAABJRU5ErkJggg=="
)


@pytest.fixture
def canary():
    """A tiny web server that records every path asked of it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _hostile(base: str) -> str:
    return (
        f'<img src="file:///etc/passwd"> <img src="{base}/img.png"> '
        f'<link rel=stylesheet href="{base}/style.css"> <style>@import url({base}/imp.css);</style>'
        f'<div style="background: url({base}/bg.png)">x</div> url({base}/x) '
        f'<object data="file:///etc/passwd"></object> <iframe src="{base}/frame"></iframe>'
        f'<img src="../../../../etc/passwd"> <svg><image href="{base}/svg.png"/></svg>'
    )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _fetcher():
    return make_fetcher(assets.find("static"), None)


@pytest.fixture
def hostile_call(db, make_call, users, clock, canary):
    """A call with hostile markup in every printed field a person can type into."""
    from kit.calls import store

    base, _hits = canary
    evil = _hostile(base)
    db["locations"].insert({"site": evil[:80], "building": "B", "room": evil, "teaching_space": 1})
    db["equipment"].insert(
        {
            "asset_tag": "EVIL-1",
            "type": "PC",
            "make": evil,
            "model": evil,
            "serial": evil,
            "location_id": 1,
        }
    )
    call_id = make_call(
        evil,
        caller_name=evil,
        caller_email=evil,
        caller_phone=evil,
        details=evil,
        location_id=1,
        equipment_id=1,
        occurred_at=None,
    )
    make_call(evil, caller_name=evil, location_id=1, equipment_id=1)
    store.add_event(db, call_id, user_id=users["desk"], at=clock(), kind="note", text=evil)
    return call_id


def test_hostile_text_in_every_printed_field_fetches_nothing(login, hostile_call, canary):
    _base, hits = canary
    client = login("desk")
    for path in (
        f"/print/calls/{hostile_call}/job-sheet",
        f"/print/calls/{hostile_call}/diagnostics",
        f"/print/calls/{hostile_call}/sign",
        "/print/call-log",
        "/print/todays-calls",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.data.startswith(b"%PDF")
        text = _pdf_text(response.data)
        assert "root:x:" not in text and b"root:x:" not in response.data
        assert "<img" in text or "url(" in text  # printed as words, not obeyed
    assert hits == []


def test_raw_markup_reaching_the_renderer_still_fetches_nothing(canary, tmp_path, caplog):
    """The fetcher is the second wall, should escaping ever be forgotten."""
    base, hits = canary
    image = tmp_path / "secret.png"
    image.write_bytes(PNG)
    html = f'<p>Hello</p>{_hostile(base)}<img src="file://{image}"><img src="{image}">'
    with caplog.at_level(logging.WARNING, logger="kit.printing.render"):
        pdf = render_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    assert "Hello" in reader.pages[0].extract_text()
    assert hits == []
    assert len(reader.pages[0].images) == 0
    assert b"root:x:" not in pdf
    assert "refused to fetch" in caplog.text


def test_a_blocked_url_is_skipped_and_the_pdf_is_still_made(caplog):
    with caplog.at_level(logging.WARNING, logger="kit.printing.render"):
        pdf = render_pdf('<p>Still printed</p><img src="https://example.org/logo.png">')
    assert "Still printed" in _pdf_text(pdf)
    assert "https://example.org/logo.png" in caplog.text


def test_the_kits_own_stylesheet_is_served():
    response = _fetcher().fetch("kit-static:css/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_relative_urls_resolve_under_the_static_folder():
    assert b"@page" in _fetcher().fetch("css/print.css").read()


@pytest.mark.parametrize(
    "url",
    [
        "../../etc/passwd",
        "kit-static:../../etc/passwd",
        "kit-static:/../../../etc/passwd",
        "kit-static:%2e%2e/%2e%2e/etc/passwd",
        "kit-static:css/../../pyproject.toml",
        "/etc/passwd",
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x.png",
        "//example.org/x.png",
        "data:text/html,<b>x</b>",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png;base64," + "A" * 200_000,
        "kit-static:js/confirm.js",
        "kit-logo:school",
    ],
)
def test_fetcher_refuses_anything_but_the_kits_own_files(url):
    with pytest.raises(BlockedURL):
        _fetcher().fetch(url)


def test_fetcher_refuses_a_symlink_out_of_the_static_folder(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "sneaky.css").symlink_to("/etc/passwd")
    with pytest.raises(BlockedURL):
        make_fetcher(static, None).fetch("kit-static:sneaky.css")


def test_fetcher_serves_a_small_inline_png():
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert _fetcher().fetch(url).read() == PNG


def test_fetcher_serves_the_school_logo_only_when_there_is_one(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    assert make_fetcher(assets.find("static"), logo).fetch("kit-logo:school").read() == PNG
    with pytest.raises(BlockedURL):
        make_fetcher(assets.find("static"), tmp_path / "missing.png").fetch("kit-logo:school")
