"""Blank sheets are rendered once per version of what they are made from (the school's
settings, its logo, the kit's forms and print templates) and then served from the instance
folder: the same PDF until something on it changes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from kit import settings
from kit.printing import blanks, pdfs


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates actually rendered to PDF (the real renderer still runs)."""
    seen: list[str] = []
    real = pdfs.render_pdf

    def counting(html, *args, **kwargs):
        seen.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(pdfs, "render_pdf", counting)
    return seen


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _stored(app) -> list[Path]:
    return sorted((Path(app.instance_path) / blanks.FOLDER).glob("*.pdf"))


def test_a_blank_sheet_asked_for_again_is_served_from_store_without_rendering(login, app, renders):
    client = login("desk")
    first = client.get("/print/blank/incident_request")
    again = client.get("/print/blank/incident_request")
    assert first.status_code == again.status_code == 200
    assert len(renders) == 1
    assert again.data == first.data
    assert [p.read_bytes() for p in _stored(app)] == [first.data]
    assert again.headers["Content-Type"] == "application/pdf"
    assert again.headers["Cache-Control"] == "private, no-store"


def test_a_settings_change_gives_a_new_blank_sheet_and_drops_the_old_one(login, app, db, renders):
    client = login("desk")
    before = client.get("/print/blank/diagnostics").data
    settings.put(db, "school_name", "Hillside Primary", user_id=None, at="2026-11-23 09:40:00")
    after = client.get("/print/blank/diagnostics").data
    assert len(renders) == 2
    assert "Hillside Primary" in _text(after)
    assert "Hillside Primary" not in _text(before)
    assert [p.read_bytes() for p in _stored(app)] == [after]


def test_a_new_logo_gives_a_new_blank_sheet(login, app, renders):
    client = login("desk")
    client.get("/print/blank/incident_request")
    picture = io.BytesIO()
    Image.new("RGB", (64, 32), "navy").save(picture, "PNG")
    (Path(app.instance_path) / "logo.png").write_bytes(picture.getvalue())
    with_logo = client.get("/print/blank/incident_request").data
    assert len(renders) == 2
    assert 'src="kit-logo:school"' in renders[1]
    assert PdfReader(io.BytesIO(with_logo)).pages[0].images


def test_each_blank_sheet_is_stored_apart(login, app, renders):
    client = login("desk")
    for name in ("incident_request", "diagnostics", "call_log", "diagnostics"):
        client.get(f"/print/blank/{name}")
    assert len(renders) == 3
    assert sorted(p.name.split("-")[0] for p in _stored(app)) == [
        "call_log",
        "diagnostics",
        "incident_request",
    ]


def test_a_blank_sheet_says_which_version_it_is_not_when_it_was_printed(login):
    text = _text(login("desk").get("/print/blank/incident_request").data)
    assert "Blank form, this version made 23/11/2026" in text
    assert "Printed 23/11/2026" not in text
