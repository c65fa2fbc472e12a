"""A call's files on its printed job sheet: names, and photos four to an A4 page."""

from __future__ import annotations

import io

import pytest
from attachments_support import jpeg, sample
from pypdf import PdfReader

from kit import assets
from kit.attachments import api, limits
from kit.printing.render import BlockedURL, make_fetcher


def add(app, db, call_id, clock, *uploads):
    api.add_files(
        db,
        app.instance_path,
        call_id,
        list(uploads),
        added_by=None,
        source=api.CALL_PAGE,
        limits=limits.for_staff(db),
        at=clock(),
    )


def pdf(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    return PdfReader(io.BytesIO(response.data))


def test_the_job_sheet_lists_the_calls_files_by_name(app, db, make_call, clock, login, client):
    call_id = make_call()
    add(
        app,
        db,
        call_id,
        clock,
        ("error-screen.jpg", jpeg()),
        ("printer-log.pdf", sample("report.pdf")),
    )
    login("desk")
    text = "".join(p.extract_text() for p in pdf(client, f"/print/calls/{call_id}/job-sheet").pages)
    assert "error-screen.jpg" in text and "printer-log.pdf" in text


def test_photos_print_four_to_a_page_after_the_sheet_each_with_its_name(
    app, db, make_call, clock, login, client
):
    call_id = make_call()
    add(
        app,
        db,
        call_id,
        clock,
        *[(f"photo-{i}.jpg", jpeg((400, 300), (i * 40, 80, 120))) for i in range(5)],
    )
    login("desk")
    plain = pdf(client, f"/print/calls/{call_id}/job-sheet")
    reader = pdf(client, f"/print/calls/{call_id}/job-sheet?photos=1")
    assert len(reader.pages) == len(plain.pages) + 2
    first, second = reader.pages[-2], reader.pages[-1]
    first_text, second_text = first.extract_text(), second.extract_text()
    assert all(f"photo-{i}.jpg" in first_text for i in range(4))
    assert "photo-4.jpg" in second_text and "photo-3.jpg" not in second_text
    assert "(1 of 2)" in first_text
    raw = client.get(f"/print/calls/{call_id}/job-sheet?photos=1").data
    assert raw.count(b"/Subtype /Image") == 5


def test_the_call_page_offers_the_job_sheet_with_photos_only_when_there_are_photos(
    app, db, make_call, clock, login, client
):
    call_id = make_call()
    login("desk")
    assert "Job sheet with photos" not in client.get(f"/calls/{call_id}").get_data(as_text=True)
    add(app, db, call_id, clock, ("p.jpg", jpeg()))
    assert "Job sheet with photos" in client.get(f"/calls/{call_id}").get_data(as_text=True)


def test_the_pdf_fetcher_serves_only_the_photos_of_the_calls_being_printed(app, tmp_path):
    photo = tmp_path / "a"
    photo.write_bytes(jpeg())
    fetcher = make_fetcher(assets.find("static"), None, {"kit-attachment:1/1": photo})
    assert fetcher.fetch("kit-attachment:1/1") is not None
    for other in ("kit-attachment:2/1", "kit-attachment:1/2", "kit-attachment:1/1/../../x"):
        with pytest.raises(BlockedURL):
            fetcher.fetch(other)


def test_a_photo_address_typed_into_a_call_fetches_nothing(
    app, db, make_call, clock, login, client
):
    other = make_call(summary="Other call")
    add(app, db, other, clock, ("secret.jpg", jpeg()))
    call_id = make_call(
        summary='<img src="kit-attachment:1/1"> kit-attachment:1/1',
        details='<img src="kit-attachment:1/1">',
    )
    login("desk")
    response = client.get(f"/print/calls/{call_id}/job-sheet?photos=1")
    assert response.status_code == 200 and b"/Subtype /Image" not in response.data
    assert b"/Subtype/Image" not in response.data
