"""Static files are addressed by their content and cached by browsers for a year."""

from __future__ import annotations

import re

from kit.static_files import IMMUTABLE, Versions


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
