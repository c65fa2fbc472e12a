"""The customer's files: photos on the web form and the status page, through their link only."""

from __future__ import annotations

import io

import pytest
from attachments_support import jpeg, sample
from conftest import csrf_token
from customer_support import web_answers

from kit.attachments import api, limits
from kit.attachments import store as astore


@pytest.fixture(autouse=True)
def staffed(users):
    users["admin"]


def send_form(client, answers, *named):
    data = {**answers, "csrf_token": csrf_token(client, "/my-call/new")}
    data["file"] = [(io.BytesIO(body), name) for name, body in named]
    return client.post("/my-call/new", data=data, content_type="multipart/form-data")


def test_the_web_form_logs_the_call_with_its_photo(db, client):
    response = send_form(client, web_answers(), ("screen.jpg", jpeg()))
    assert response.status_code == 302
    [row] = astore.for_call(db, 1)
    assert (row["name"], row["source"], row["customer_visible"]) == ("screen.jpg", "web form", 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "screen.jpg" in page and "/attachments/1/thumbnail" in page
    assert "Added screen.jpg" not in page  # not a message from the service desk


def test_a_refused_file_on_the_web_form_logs_nothing_and_keeps_what_was_typed(db, client):
    response = send_form(client, web_answers(), ("notes.txt", b"hello\n"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "does not keep here" in text and "choose them again" in text
    assert "Printer in the staff room jams" in text  # the summary typed is kept
    assert db["calls"].count == 0


def test_the_web_form_takes_at_most_three_files(db, client):
    response = send_form(client, web_answers(), *[(f"{i}.jpg", jpeg()) for i in range(4)])
    assert response.status_code == 400 and "the limit is 3" in response.get_data(as_text=True)


def test_the_web_form_refuses_a_pdf_that_is_really_a_web_page(db, client):
    response = send_form(client, web_answers(), ("report.pdf", sample("page.jpg")))
    assert response.status_code == 400 and db["calls"].count == 0


def test_the_customer_sends_a_photo_from_their_status_page(db, client):
    location = send_form(client, web_answers()).headers["Location"]
    data = {"csrf_token": csrf_token(client, location), "file": [(io.BytesIO(jpeg()), "more.jpg")]}
    response = client.post(location + "/attachments", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert client.get(location + "/attachments/1").mimetype == "image/jpeg"
    assert client.get(location + "/attachments/1").headers["Cache-Control"] == "no-store"


def test_the_customer_cannot_see_the_staffs_files(db, client, app, clock):
    location = send_form(client, web_answers()).headers["Location"]
    api.add_files(
        db,
        app.instance_path,
        1,
        [("console.png", sample("rotated.jpg"))],
        added_by=None,
        source=api.CALL_PAGE,
        limits=limits.for_staff(db),
        at=clock(),
    )
    assert client.get(location + "/attachments/1").status_code == 404
    assert "console" not in client.get(location).get_data(as_text=True)


def test_a_wrong_link_gets_404_for_a_file(db, client):
    send_form(client, web_answers(), ("screen.jpg", jpeg()))
    assert client.get("/my-call/" + "A" * 40 + "/attachments/1").status_code == 404


def test_the_status_page_refuses_a_file_over_the_public_limit(db, client):
    from kit import settings

    settings.put(db, "attachment_public_file_mb", 1, user_id=None, at="2026-11-23 09:00:00")
    location = send_form(client, web_answers()).headers["Location"]
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    data = {"csrf_token": csrf_token(client, location), "file": [(io.BytesIO(big), "big.pdf")]}
    response = client.post(location + "/attachments", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "limit of 1.0 MB" in response.get_data(as_text=True)
