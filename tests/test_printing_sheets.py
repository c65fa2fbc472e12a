"""Printed sheets: real PDFs read back, their size, their pages and what they say."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

A4 = (595, 842)


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def _text(reader: PdfReader) -> str:
    """All pages' text with line breaks as spaces (a heading may wrap)."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


@pytest.fixture
def typical_call(db, make_call):
    """A call with a room, a projector, an earlier call on it and a note: a usual job."""
    db["locations"].insert(
        {"site": "Main", "building": "Science", "room": "S12", "teaching_space": 1}
    )
    db["equipment"].insert(
        {
            "asset_tag": "PRJ-0042",
            "type": "Projector",
            "make": "Epson",
            "model": "EB-695Wi",
            "serial": "X5J8001234",
            "location_id": 1,
        }
    )
    make_call(
        "Projector flickered",
        category="Projector or interactive display",
        location_id=1,
        equipment_id=1,
    )
    call_id = make_call(
        "Projector shows no picture",
        category="Projector or interactive display",
        caller_name="Ann Teacher",
        caller_phone="ext 214",
        location_id=1,
        equipment_id=1,
        details="Says 'No signal' with the lectern PC on.",
    )
    return call_id


def _add_note(db, call_id, text, users, clock):
    from kit.calls import store

    store.add_event(db, call_id, user_id=users["desk"], at=clock(), kind="note", text=text)


def test_job_sheet_is_one_a4_page_with_the_calls_details(login, typical_call, db, users, clock):
    _add_note(db, typical_call, "Rang back: using the whiteboard meanwhile.", users, clock)
    reader = _pdf(login("desk").get(f"/print/calls/{typical_call}/job-sheet"))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == A4
    for expected in (
        "26-0002",
        "Ann Teacher",
        "Projector shows no picture",
        "PRJ-0042",
        "Rang back: using the whiteboard",
        "26-0001",
        "Actions taken",
        "What actually happened?",
        "Signature",
    ):
        assert expected in text


def test_job_sheet_is_served_inline_with_a_file_name(login, typical_call):
    response = login("desk").get(f"/print/calls/{typical_call}/job-sheet")
    assert response.headers["Content-Disposition"] == 'inline; filename="26-0002-job-sheet.pdf"'
    assert "no-store" in response.headers["Cache-Control"]


def test_long_call_continues_on_page_two_with_the_reference_in_the_header(
    login, make_call, db, users, clock
):
    call_id = make_call("Everything is slow", details="Line of detail\n" * 12)
    for n in range(6):
        _add_note(db, call_id, f"Note {n}: " + "tried another thing " * 20, users, clock)
    reader = _pdf(login("desk").get(f"/print/calls/{call_id}/job-sheet"))
    assert len(reader.pages) == 2
    assert "26-0001" in reader.pages[1].extract_text()


def test_very_long_text_is_cut_with_a_note_and_stays_short(login, make_call, db, users, clock):
    call_id = make_call("A" * 20000, details="line\n" * 5000 + "B" * 20000)
    for _ in range(20):
        _add_note(db, call_id, "C" * 5000, users, clock)
    reader = _pdf(login("desk").get(f"/print/calls/{call_id}/job-sheet"))
    assert len(reader.pages) <= 3
    assert "continued in the kit" in _text(reader)


def test_diagnostics_sheet_lists_the_categorys_checks(login, typical_call):
    reader = _pdf(login("desk").get(f"/print/calls/{typical_call}/diagnostics"))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == A4
    for expected in (
        "Incident diagnostics sheet",
        "26-0002",
        "Correct input selected",
        "Power on at the wall",
        "Result",
        "Done",
        "26-0001",
        "Raise a problem?",
    ):
        assert expected in text


def test_teaching_space_sign_shows_room_reference_and_date(login, typical_call):
    reader = _pdf(login("desk").get(f"/print/calls/{typical_call}/sign"))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert "Teaching Space Issue" in text
    assert "S12" in text and "26-0002" in text and "23/11/2026" in text


def test_call_log_is_landscape_and_lists_the_calls_in_the_range(login, make_call):
    make_call("First fault", caller_name="Cal One")
    make_call("Second fault", caller_name="Cal Two")
    reader = _pdf(login("desk").get("/print/call-log?date_from=2026-11-23&date_to=2026-11-23"))
    text = _text(reader)
    assert _size(reader.pages[0]) == (842, 595)
    assert "26-0001" in text and "Cal Two" in text and "Second fault" in text
    for column in ("Reference", "Location / asset", "Owner", "Follow-up", "Resolved"):
        assert column in text


def test_call_log_takes_the_call_log_pages_filters(login, make_call, db):
    make_call("Printer jam", category="Printer or copier")
    make_call("Cannot send", category="Email")
    email = db.execute("SELECT id FROM categories WHERE name = 'Email'").fetchone()[0]
    text = _text(_pdf(login("desk").get(f"/print/call-log?category_id={email}")))
    assert "Cannot send" in text and "Printer jam" not in text


def test_call_log_with_a_bad_filter_is_refused(login):
    assert login("desk").get("/print/call-log?date_from=yesterday").status_code == 400


def test_call_log_long_list_repeats_its_header_on_every_page(login, make_call):
    for n in range(45):
        make_call(f"Fault number {n}")
    reader = _pdf(login("desk").get("/print/call-log"))
    assert len(reader.pages) >= 2
    assert all("Reference" in page.extract_text() for page in reader.pages)


def test_blank_call_log_is_a_landscape_ruled_sheet(login):
    reader = _pdf(login("desk").get("/print/blank/call_log"))
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == (842, 595)
    assert "Summary" in _text(reader)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("incident_request", "What did you expect to happen?"),
        ("diagnostics", "Physical checks"),
    ],
)
def test_blank_sheets_fit_one_a4_page(login, name, expected):
    reader = _pdf(login("desk").get(f"/print/blank/{name}"))
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == A4
    assert expected in _text(reader)


def test_unknown_blank_form_is_not_found(login):
    assert login("desk").get("/print/blank/passwords").status_code == 404


def test_instructions_give_one_page_per_form_in_plain_words(login):
    reader = _pdf(login("desk").get("/print/instructions"))
    assert len(reader.pages) == 3
    assert "How to use the incident/request sheet" in reader.pages[0].extract_text()
    assert "What to do" in reader.pages[2].extract_text()


def test_batch_of_todays_calls_starts_each_call_on_a_new_page(login, make_call):
    summaries = [f"Batch fault {n}" for n in range(3)]
    for summary in summaries:
        make_call(summary)
    reader = _pdf(login("desk").get("/print/todays-calls"))
    assert len(reader.pages) >= 3
    for page, summary in zip(reader.pages, summaries, strict=False):
        assert summary in page.extract_text()


def test_empty_batch_goes_back_with_a_message(login):
    response = login("technician").get("/print/my-jobs", follow_redirects=True)
    assert response.status_code == 200
    assert "there are no calls to print" in response.get_data(as_text=True)


def test_filled_sheets_carry_a_qr_code_of_the_calls_public_address(
    db, login, typical_call, monkeypatch
):
    import segno

    from kit import settings
    from kit.printing import pdfs

    seen = {}

    def capture(html, logo=None, **_options):
        seen["h"] = html
        return b"%PDF-1.7"

    monkeypatch.setattr(pdfs, "render_pdf", capture)
    client = login("desk")
    client.get(f"/print/calls/{typical_call}/job-sheet")
    assert "<svg" not in seen["h"]  # no public address set: no QR of this server's own host
    url = "https://helpdesk.school.example"
    settings.put(db, "public_url", url, user_id=None, at="2026-11-23 09:00:00")
    client.get(f"/print/calls/{typical_call}/job-sheet")
    wanted = segno.make(f"{url}/calls/{typical_call}", error="m")
    assert wanted.svg_inline(scale=1, border=0, omitsize=True) in seen["h"]


def test_call_page_links_to_its_sheets_for_those_who_may_print(login, typical_call):
    html = login("desk").get(f"/calls/{typical_call}").get_data(as_text=True)
    assert f"/print/calls/{typical_call}/job-sheet" in html
    assert f"/print/calls/{typical_call}/sign" in html


def test_school_logo_in_the_instance_folder_is_printed(app, login, typical_call):
    import base64
    from pathlib import Path

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB"
        "BAEAwS2OUAAAAABJRU5ErkJggg=="
    )
    Path(app.instance_path, "logo.png").write_bytes(png)
    reader = _pdf(login("desk").get(f"/print/calls/{typical_call}/job-sheet"))
    assert len(reader.pages[0].images) == 1
