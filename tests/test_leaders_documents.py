"""The letter to users and the service desk charter: filled from settings, versioned, sandboxed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kit import settings
from kit.leaders.documents import default_text, plain_hours

AT = "2026-11-23 09:00:00"


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


@pytest.fixture
def desk_settings(db):
    for key, value in {
        "school_name": "Hillside Academy",
        "desk_phone": "01632 960 123",
        "desk_email": "ictdesk@hillside.example",
        "desk_hours": "Monday to Friday, 7:45 to 16:30",
        "public_url": "https://helpdesk.hillside.example",
    }.items():
        settings.put(db, key, value, user_id=None, at=AT)


def _save(post, kind, body, title="Our letter", published="y"):
    data = {"title": title, "body": body, "action": "save"}
    if published:
        data["published"] = published
    return post(f"/leaders/{kind}/edit", data, token_from=f"/leaders/{kind}/edit")


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (1.0, "1 working hour"),
        (4.0, "4 working hours"),
        (9.0, "1 working day"),
        (27.0, "3 working days"),
        (13.5, "13.5 working hours (about 1.5 working days)"),
        (0.5, "0.5 working hours"),
    ],
)
def test_response_times_are_said_in_plain_words(hours, expected):
    assert plain_hours(hours, 9.0) == expected


def test_letter_pdf_has_the_desk_phone_and_the_response_levels(login, client, desk_settings):
    login("leader")
    text = _pdf_text(client.get("/leaders/letter/pdf"))
    flat = " ".join(text.split())
    for expected in (
        "Hillside Academy",
        "01632 960 123",
        "ictdesk@hillside.example",
        "Monday to Friday, 7:45 to 16:30",
        "Urgent",
        "1 working hour",
        "High",
        "4 working hours",
        "Normal",
        "Low",
        "What did you expect to happen?",
        "https://helpdesk.hillside.example/my-call/new",
        "do not go straight to a technician",
    ):
        assert expected in flat, expected


def test_charter_pdf_has_the_responsibilities_of_desk_technicians_and_users(
    login, client, desk_settings
):
    login("admin")
    flat = " ".join(_pdf_text(client.get("/leaders/charter/pdf")).split())
    for expected in (
        "Own every call until it is closed",
        "Technicians will",
        "Users will",
        "01632 960 123",
        "Urgent",
    ):
        assert expected in flat, expected


def test_letter_follows_a_changed_phone_number_without_a_new_version(
    login, client, db, desk_settings
):
    login("leader")
    settings.put(db, "desk_phone", "01632 000 999", user_id=None, at=AT)
    assert "01632 000 999" in " ".join(_pdf_text(client.get("/leaders/letter/pdf")).split())
    assert db["documents"].count == 0


def test_preview_shows_the_wording_filled_in_without_saving(login, post, db, desk_settings):
    login("leader")
    response = post(
        "/leaders/letter/edit",
        {"title": "Draft", "body": "Ring **{{ school.phone }}**.", "action": "preview"},
        token_from="/leaders/letter/edit",
    )
    assert response.status_code == 200
    assert "Ring <strong>01632 960 123</strong>." in response.get_data(as_text=True)
    assert db["documents"].count == 0


def test_saving_keeps_every_version_with_its_date_and_author(login, post, client, db, clock):
    login("leader")
    assert _save(post, "letter", "First wording").status_code == 302
    clock.set(clock().replace(day=24))
    assert _save(post, "letter", "Second wording").status_code == 302
    rows = list(db["documents"].rows_where(order_by="version"))
    assert [(r["version"], r["body"], r["created_at"][:10]) for r in rows] == [
        (1, "First wording", "2026-11-23"),
        (2, "Second wording", "2026-11-24"),
    ]
    assert {r["created_by"] for r in rows} == {db["users"].get(1)["id"]}
    page = client.get("/leaders/letter").get_data(as_text=True)
    assert "Version 2" in page and "Version 1" in page and "Second wording" in page
    assert "First wording" in client.get("/leaders/letter/versions/1").get_data(as_text=True)
    assert "First wording" in _pdf_text(client.get("/leaders/letter/versions/1/pdf"))
    assert "Second wording" in _pdf_text(client.get("/leaders/letter/pdf"))


def test_a_draft_version_is_kept_but_not_printed(login, post, client, db):
    login("leader")
    _save(post, "charter", "Charter in use")
    _save(post, "charter", "Charter draft", published="")
    assert db["documents"].count == 2
    assert "Charter in use" in _pdf_text(client.get("/leaders/charter/pdf"))
    assert "draft" in client.get("/leaders/charter").get_data(as_text=True)


def test_letter_and_charter_are_numbered_separately(login, post, db):
    login("leader")
    _save(post, "letter", "L")
    _save(post, "charter", "C")
    assert sorted((r["kind"], r["version"]) for r in db["documents"].rows) == [
        ("charter", 1),
        ("letter", 1),
    ]


def test_saved_versions_cannot_be_rewritten(login, post, db):
    import sqlite3

    login("leader")
    _save(post, "letter", "Kept")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE documents SET body = 'changed'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM documents")


def test_unknown_version_is_not_found(login, client):
    login("leader")
    assert client.get("/leaders/letter/versions/3").status_code == 404
    assert client.get("/leaders/letter/versions/3/pdf").status_code == 404
    assert client.get("/leaders/memo").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "underscore"),
        ("{{ cycler.__init__.__globals__ }}", "underscore"),
        ("{% include '/etc/passwd' %}", "cannot include"),
        ("{% extends '/etc/passwd' %}", "cannot include"),
        ("{% import 'os' as os %}", "cannot include"),
        ("{{ school['__class__'] }}", "underscore"),
        ("{{ school|attr('__class__') }}", "No filter named"),
        ("{{ 'x' * 99999999 }}", "not allowed"),
        ("{{ ''.ljust(99999999) }}", "not allowed"),
        ("{{ '{0.__class__}'.format(school) }}", "not allowed"),
        ("{{ lipsum.__globals__ }}", "underscore"),
        ("{{ self }}{{ range(10) }}", "undefined"),
        ("{{ no_such_name }}", "undefined"),
        ("{% for x in levels %}", "Unexpected end of template"),
    ],
)
def test_sandbox_escapes_are_refused_next_to_the_wording(login, post, db, body, message):
    login("leader")
    response = _save(post, "letter", f"Dear all,\n\n{body}\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'id="body-error"' in html
    assert "root:" not in html and "<class" not in html
    assert db["documents"].count == 0


def test_values_from_settings_cannot_put_markup_into_the_letter(login, client, db):
    settings.put(
        db,
        "school_name",
        "<script>alert(1)</script> & <img src=x onerror=alert(2)>",
        user_id=None,
        at=AT,
    )
    login("leader")
    html = client.get("/leaders/letter").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_in_the_wording_is_cleaned(login, post, client):
    login("leader")
    _save(
        post,
        "letter",
        '<script>alert(1)</script><a href="javascript:alert(2)">x</a> '
        '<img src="http://127.0.0.1:9/canary">Hello',
    )
    html = client.get("/leaders/letter").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert "127.0.0.1:9" not in html and "Hello" in html


def test_default_wording_covers_what_the_framework_asks_a_letter_to_say():
    from kit.leaders.placeholders import expand

    text = expand(default_text("letter"))
    for part in (
        "How to log a call",
        "school.phone",
        "school.email",
        "school.web_form",
        "school.hours",
        "What to tell us",
        "How quickly we respond",
        "When the service desk is closed",
        "do not go straight to a technician",
        "We keep you informed",
    ):
        assert part in text, part


def test_hostile_wording_values_and_answers_fetch_nothing_into_the_pdfs(
    login, post, client, db, canary_server
):
    base, hits = canary_server
    hostile = (
        f'<img src="file:///etc/passwd"> <img src="{base}/img.png"> '
        f'<link rel=stylesheet href="{base}/s.css"> <style>@import url({base}/i.css);'
        f'</style><div style="background: url({base}/bg.png)">x</div> '
        f'![pic]({base}/md.png) [link](file:///etc/passwd) <iframe src="{base}/f">'
        "</iframe>"
    )
    settings.put(db, "desk_phone", hostile, user_id=None, at=AT)
    login("leader")
    _save(post, "letter", "{{ school.phone }}\n\n" + hostile)
    post(
        "/leaders/reviews/new",
        {"date_from": "2026-11-01", "date_to": "2026-11-23", "logged": hostile},
        token_from="/leaders/reviews/new",
    )
    texts = [
        _pdf_text(client.get(path))
        for path in ("/leaders/letter/pdf", "/leaders/charter/pdf", "/leaders/reviews/1/pdf")
    ]
    assert hits == []
    assert not any("root:" in text for text in texts)


@pytest.fixture
def canary_server():
    """A web server on 127.0.0.1 that records every request made to it."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
