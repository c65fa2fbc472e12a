"""Static files are addressed by their content and cached by browsers for a year."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from kit.static_files import IMMUTABLE, MIN_COMPRESS, Versions


def test_a_page_links_its_stylesheet_by_content_version(client):
    html = client.get("/auth/login", follow_redirects=True).get_data(as_text=True)
    links = re.findall(r'href="(/static/css/screen\.css[^"]*)"', html)
    assert links and re.search(r"\?v=[0-9a-f]{12}$", links[0]), links


def test_the_versioned_stylesheet_is_cached_for_a_year_and_an_unversioned_one_is_not(client):
    html = client.get("/auth/login", follow_redirects=True).get_data(as_text=True)
    versioned = re.search(r'href="(/static/css/screen\.css\?v=[0-9a-f]+)"', html).group(1)
    assert client.get(versioned).headers["Cache-Control"] == IMMUTABLE
    plain = client.get("/static/css/screen.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers.get("Cache-Control", "")
    stale = client.get("/static/css/screen.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_version(tmp_path):
    css = tmp_path / "a.css"
    css.write_text("body { color: black }")
    versions = Versions(str(tmp_path))
    first = versions.of("a.css")
    css.write_text("body { color: navy }")
    import os

    os.utime(css, (1, 1))  # a different modification time, as an edit gives
    assert versions.of("a.css") not in (None, first)


def test_no_version_is_read_outside_the_static_folder(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    versions = Versions(str(tmp_path / "static"))
    assert versions.of("../secret.txt") is None
    assert versions.of("missing.css") is None


def _versioned_stylesheet(client) -> str:
    html = client.get("/auth/login", follow_redirects=True).get_data(as_text=True)
    return re.search(r'href="(/static/css/screen\.css\?v=[0-9a-f]+)"', html).group(1)


def _screen_css(app) -> bytes:
    return (Path(app.static_folder) / "css" / "screen.css").read_bytes()


def test_a_stylesheet_is_sent_gzipped_to_a_browser_that_accepts_gzip(app, client):
    response = client.get(_versioned_stylesheet(client), headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert gzip.decompress(response.get_data()) == _screen_css(app)
    assert len(response.get_data()) < len(_screen_css(app)) / 2


def test_brotli_is_preferred_when_the_browser_accepts_it(app, client):
    brotli = pytest.importorskip("brotli")
    response = client.get(
        _versioned_stylesheet(client), headers={"Accept-Encoding": "gzip, deflate, br"}
    )
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == _screen_css(app)


def test_a_browser_that_accepts_no_compression_gets_the_file_as_it_is(app, client):
    response = client.get(_versioned_stylesheet(client), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == _screen_css(app)


def test_a_compressed_file_has_its_own_etag(client):
    path = _versioned_stylesheet(client)
    plain = client.get(path).headers["ETag"]
    packed = client.get(path, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    assert plain and packed and plain != packed


def test_a_file_too_small_to_gain_is_sent_as_it_is(app, client):
    assert (Path(app.static_folder) / "js" / "confirm.js").stat().st_size < MIN_COMPRESS
    response = client.get("/static/js/confirm.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_a_static_file_opens_no_database_and_does_not_vary_by_cookie(login, client, monkeypatch):
    from kit import db as kit_db

    login("desk")
    path = _versioned_stylesheet(client)
    opened: list[str] = []
    real = kit_db.connect
    monkeypatch.setattr(kit_db, "connect", lambda p: opened.append(p) or real(p))
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert opened == []
    assert "Cookie" not in response.headers.get("Vary", "")
