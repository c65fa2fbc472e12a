"""Files on a call's page, through HTTP: who may add and open them, and how they are served."""

from __future__ import annotations

import re

import pytest
from attachments_support import jpeg, sample

from kit import settings
from kit.attachments import files
from kit.attachments import store as astore
from kit.calls import workflow


@pytest.fixture
def call_id(make_call, db, users):
    call = make_call()
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()[
        0
    ]
    workflow.assign(
        db, call, group_id=group, assignee_id=users["technician"], user=None, at=calls_now()
    )
    return call


def calls_now():
    from datetime import datetime

    return datetime(2026, 11, 23, 9, 30)


def upload(client, call_id, *named, token_from=None):
    from conftest import csrf_token

    token = csrf_token(client, token_from or f"/calls/{call_id}")
    data = {"csrf_token": token, "file": [(_io(body), name) for name, body in named]}
    return client.post(
        f"/calls/{call_id}/attachments", data=data, content_type="multipart/form-data"
    )


def _io(body: bytes):
    import io

    return io.BytesIO(body)


def test_the_desk_adds_two_files_and_the_call_page_lists_them_newest_first(login, client, call_id):
    login("desk")
    response = upload(client, call_id, ("screen.jpg", jpeg()), ("log.txt", b"PC LOAD LETTER\n"))
    assert response.status_code == 302
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    names = re.findall(r'class="file-name">([^<]+)<', page)
    assert names == ["log.txt", "screen.jpg"]
    assert f'src="/calls/{call_id}/attachments/1/thumbnail"' in page
    assert "Desk (call page)" in page and "15 bytes" in page
    assert "Files added" in page  # the history entry


def test_the_routed_technician_adds_a_photo(login, client, call_id):
    login("technician")
    assert upload(client, call_id, ("p.jpg", jpeg())).status_code == 302


def test_a_technician_the_call_is_not_routed_to_gets_404_for_its_files(
    login, client, call_id, db, users, app, clock
):
    from kit.attachments import api, limits

    api.add_files(
        db,
        app.instance_path,
        call_id,
        [("a.jpg", jpeg())],
        added_by=None,
        source=api.CALL_PAGE,
        limits=limits.for_staff(db),
        at=clock(),
    )
    users.make("tina", {"technician"}, groups=("Technology Integration",))
    login("tina")
    missing = client.get("/calls/999999/attachments/1")
    response = client.get(f"/calls/{call_id}/attachments/1")
    assert response.status_code == 404 and response.data == missing.data
    assert client.get(f"/calls/{call_id}/attachments/1/thumbnail").status_code == 404


def test_a_leader_may_not_add_files(login, client, call_id):
    login("leader")
    assert upload(client, call_id, ("p.jpg", jpeg())).status_code == 403


def test_an_upload_without_the_csrf_token_is_refused(login, client, call_id):
    login("desk")
    response = client.post(
        f"/calls/{call_id}/attachments",
        data={"file": [(_io(jpeg()), "p.jpg")]},
        content_type="multipart/form-data",
    )
    assert (
        response.status_code == 400 and not files.folder(client.application.instance_path).exists()
    )


def test_html_named_like_a_photo_is_refused_with_a_message_and_nothing_kept(
    login, client, call_id, db
):
    login("desk")
    response = upload(client, call_id, ("good.jpg", jpeg()), ("page.jpg", sample("page.jpg")))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "“page.jpg” is named like a JPEG photo but" in text and "HTML" in text
    assert astore.for_call(db, call_id) == []


def test_an_svg_with_a_script_is_refused(login, client, call_id, db):
    login("desk")
    response = upload(client, call_id, ("drawing.svg", sample("drawing.svg")))
    assert response.status_code == 400 and "Scalable Vector Graphics" in response.get_data(
        as_text=True
    )


def test_sending_no_file_asks_for_one(login, client, call_id):
    login("desk")
    response = upload(client, call_id)
    assert response.status_code == 400 and "Choose a file to add." in response.get_data(
        as_text=True
    )


def test_a_picture_is_served_inline_with_its_detected_type_and_nosniff(login, client, call_id):
    login("desk")
    upload(client, call_id, ("IMG_0001.HEIC", sample("iphone.heic")))
    response = client.get(f"/calls/{call_id}/attachments/1")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "IMG_0001.jpg" in response.headers["Content-Disposition"]


def test_a_pdf_is_served_inline_and_a_text_file_as_a_download(login, client, call_id):
    login("desk")
    upload(
        client, call_id, ("report.pdf", sample("report.pdf")), ("log.txt", b"<script>x</script>\n")
    )
    pdf = client.get(f"/calls/{call_id}/attachments/1")
    assert pdf.mimetype == "application/pdf" and pdf.headers["Content-Disposition"].startswith(
        "inline"
    )
    text = client.get(f"/calls/{call_id}/attachments/2")
    assert text.mimetype == "text/plain"
    assert text.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in text.headers["Content-Security-Policy"]


def test_a_download_name_cannot_inject_a_header(login, client, call_id):
    login("desk")
    upload(client, call_id, ('x"\r\nSet-Cookie: a=b;.txt', b"hello\n"))
    response = client.get(f"/calls/{call_id}/attachments/1")
    assert "Set-Cookie" not in response.headers
    assert "\r" not in response.headers["Content-Disposition"] and '"' not in (
        response.headers["Content-Disposition"].split("filename=", 1)[1].strip('"')
    )


def test_a_file_over_the_staff_limit_is_refused_with_the_limit(login, client, call_id, db):
    settings.put(db, "attachment_staff_file_mb", 1, user_id=None, at="2026-11-23 09:00:00")
    login("desk")
    response = upload(client, call_id, ("big.txt", b"x" * (1024 * 1024 + 10)))
    assert response.status_code == 400
    assert "larger than the limit of 1.0 MB a file" in response.get_data(as_text=True)


def test_an_upload_larger_than_the_page_accepts_gets_the_kits_413_page(login, client, call_id, db):
    settings.put(db, "attachment_staff_file_mb", 1, user_id=None, at="2026-11-23 09:00:00")
    settings.put(db, "attachment_per_request", 1, user_id=None, at="2026-11-23 09:00:00")
    login("desk")
    response = upload(client, call_id, ("big.txt", b"x" * (3 * 1024 * 1024)))
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "Too large to send" in text and "nothing was kept" in text and "screen.css" in text


def test_a_six_megabyte_photo_is_accepted_above_the_kits_usual_request_size(login, client, call_id):
    login("desk")
    import io
    import os

    from PIL import Image

    noise = Image.frombytes("RGB", (1500, 1400), os.urandom(1500 * 1400 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 5 * 1024 * 1024
    assert upload(client, call_id, ("noise.png", out.getvalue())).status_code == 302


def test_the_desk_removes_a_file_with_a_reason_and_it_stays_in_history(
    login, client, call_id, db, app
):
    from conftest import csrf_token

    login("desk")
    upload(client, call_id, ("wrong.jpg", jpeg()))
    token = csrf_token(client, f"/calls/{call_id}")
    refused = client.post(f"/calls/{call_id}/attachments/1/remove", data={"csrf_token": token})
    assert refused.status_code == 400 and "Write why" in refused.get_data(as_text=True)
    done = client.post(
        f"/calls/{call_id}/attachments/1/remove",
        data={"csrf_token": token, "reason": "Photo of another room"},
    )
    assert done.status_code == 302
    assert client.get(f"/calls/{call_id}/attachments/1").status_code == 404
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Removed wrong.jpg: Photo of another room" in page
    row = astore.get(db, call_id, 1)
    assert files.path_of(app.instance_path, row["stored_name"]).exists()


def test_a_technician_may_not_remove_files(login, client, call_id):
    from conftest import csrf_token

    login("technician")
    upload(client, call_id, ("p.jpg", jpeg()))
    token = csrf_token(client, f"/calls/{call_id}")
    response = client.post(
        f"/calls/{call_id}/attachments/1/remove", data={"csrf_token": token, "reason": "x"}
    )
    assert response.status_code == 403


def test_the_call_page_offers_a_camera_photo_button(login, client, call_id):
    login("technician")
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert 'accept="image/*"' in page and "Add photo" in page


def _log_form(db, client, key: str, *named):
    from conftest import csrf_token

    category = db.execute("SELECT id FROM categories WHERE name = 'Printer or copier'").fetchone()[
        0
    ]
    data = {
        "csrf_token": csrf_token(client, "/calls/new"),
        "submission_key": key,
        "caller_name": "Ann Teacher",
        "channel": "Phone",
        "location_id": "0",
        "category_id": str(category),
        "summary": "Projector error on screen",
        "file": [(_io(body), name) for name, body in named],
    }
    return client.post("/calls/new", data=data, content_type="multipart/form-data")


def test_the_desk_attaches_a_photo_while_logging_a_call_once_whatever_the_retries(
    login, client, db
):
    login("desk")
    first = _log_form(db, client, "b" * 32, ("error.jpg", jpeg()))
    again = _log_form(db, client, "b" * 32, ("error.jpg", jpeg()))
    assert first.status_code == again.status_code == 302
    [row] = astore.for_call(db, 1)
    assert (row["name"], row["source"]) == ("error.jpg", "log a call")


def test_a_refused_file_while_logging_keeps_the_form_and_logs_nothing(login, client, db):
    login("desk")
    response = _log_form(db, client, "c" * 32, ("page.jpg", sample("page.jpg")))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "named like a JPEG photo" in text and "Projector error on screen" in text
    assert db["calls"].count == 0
