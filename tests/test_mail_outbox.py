"""The admin's outbox pages: the list, a message, "send now", retries and the wording."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from kit.auth.roles import ROLES
from kit.mail import outbox

AT = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(autouse=True)
def staffed(users):
    """The kit has an account (an empty kit sends every page to the set-up wizard)."""
    users["admin"]


def queue_note(db, text="Lamp replaced", to="tech@school.example"):
    return outbox.queue(
        db,
        "note",
        to=[to],
        at=AT,
        context={
            "call": {"ref": "26-0001", "summary": "Projector"},
            "author": "Desk",
            "text": text,
            "link": "http://x/calls/1",
        },
    )


ROUTES = [
    ("get", "/admin/mail/"),
    ("get", "/admin/mail/1"),
    ("post", "/admin/mail/send"),
    ("post", "/admin/mail/1/retry"),
    ("get", "/admin/mail/templates"),
    ("get", "/admin/mail/templates/note"),
    ("post", "/admin/mail/templates/note"),
    ("post", "/admin/mail/templates/note/reset"),
]


def test_the_table_names_every_outbox_route(app):
    rules = {
        (method.lower(), rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("mail.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    named = {
        (m, re.sub(r"/1(?=/|$)", "/<id:message_id>", p).replace("/note", "/<key>"))
        for m, p in ROUTES
    }
    assert rules == named


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_an_admin_may_use_the_outbox(method, path, role, login, client, post, db):
    queue_note(db)
    login(role)
    response = client.get(path) if method == "get" else post(path, {"subject": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_is_sent_to_log_in(method, path, client, post, db, users):
    users["admin"]  # a kit with no accounts at all sends everyone to the set-up wizard
    queue_note(db)
    response = client.get(path) if method == "get" else post(path, {"subject": "x"})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_outbox_lists_messages_with_their_status(login, client, db):
    queue_note(db, text="first")
    db["outbox"].update(queue_note(db, to="other@school.example"), {"status": "failed"})
    login("admin")
    html = client.get("/admin/mail/").get_data(as_text=True)
    assert "tech@school.example" in html and "other@school.example" in html
    assert "Waiting" in html and "Failed" in html
    assert "No mail server is set up" in html
    failed_only = client.get("/admin/mail/?status=failed").get_data(as_text=True)
    assert "other@school.example" in failed_only and "tech@school.example" not in failed_only


def test_outbox_is_paginated(login, client, db):
    for n in range(55):
        queue_note(db, to=f"person{n}@school.example")
    login("admin")
    first = client.get("/admin/mail/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/admin/mail/?page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/admin/mail/\d+"', second)) == 5


def test_outbox_rejects_an_unknown_status_filter(login, client):
    login("admin")
    assert client.get("/admin/mail/?status=drop").status_code == 400


def test_message_page_shows_the_body_escaped(login, client, db):
    message_id = queue_note(db, text="<script>alert(1)</script>")
    login("admin")
    html = client.get(f"/admin/mail/{message_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_unknown_message_is_not_found(login, client):
    login("admin")
    assert client.get("/admin/mail/999").status_code == 404


def test_send_now_without_a_mail_server_keeps_everything_waiting(login, post, db, client):
    message_id = queue_note(db)
    login("admin")
    response = post("/admin/mail/send", follow_redirects=True)
    assert "nothing was sent" in response.get_data(as_text=True)
    assert db["outbox"].get(message_id)["status"] == "pending"


def test_send_now_needs_the_csrf_token(login, client, db):
    login("admin")
    assert client.post("/admin/mail/send").status_code == 400


def test_a_failed_message_can_be_put_back_in_the_queue(login, post, db):
    message_id = queue_note(db)
    db["outbox"].update(message_id, {"status": "failed", "attempts": 5})
    login("admin")
    post(f"/admin/mail/{message_id}/retry")
    row = db["outbox"].get(message_id)
    assert (row["status"], row["attempts"]) == ("pending", 0)


def test_templates_page_lists_every_message_kind(login, client):
    login("admin")
    html = client.get("/admin/mail/templates").get_data(as_text=True)
    for label, _subject, _body in outbox.DEFAULT_TEMPLATES.values():
        assert label.replace("'", "&#39;") in html


def test_admin_rewords_a_template_and_new_messages_use_it(login, post, db, users):
    login("admin")
    response = post(
        "/admin/mail/templates/note",
        {"subject": "Note on {{ call.ref }}", "body": "Hello {{ author }}"},
    )
    assert response.status_code == 302
    queue_note(db)
    row = db["outbox"].get(1)
    assert (row["subject"], row["body"]) == ("Note on 26-0001", "Hello Desk")
    assert db["mail_templates"].get("note")["updated_by"] == users["admin"]


def test_template_syntax_error_is_shown_next_to_the_field_and_keeps_the_text(login, post, db):
    login("admin")
    response = post(
        "/admin/mail/templates/note",
        {"subject": "Fine {{ call.ref }}", "body": "Broken {{ call.ref "},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="body-error"' in html and "has a mistake on line 1" in html
    assert "Broken {{ call.ref </textarea>" in html
    assert db["mail_templates"].count == 0


def test_template_reaching_into_python_is_refused(login, post, db):
    login("admin")
    response = post(
        "/admin/mail/templates/note", {"subject": "x", "body": "{{ call.__class__.__mro__ }}"}
    )
    assert response.status_code == 400
    assert "may not use" in response.get_data(as_text=True)
    assert db["mail_templates"].count == 0


def test_unknown_template_is_not_found(login, client):
    login("admin")
    assert client.get("/admin/mail/templates/nope").status_code == 404


def test_reset_goes_back_to_the_kits_wording(login, post, db):
    login("admin")
    post("/admin/mail/templates/note", {"subject": "Mine", "body": "Mine"})
    post("/admin/mail/templates/note/reset")
    assert db["mail_templates"].count == 0
    assert outbox.template(db, "note")[0] == outbox.DEFAULT_TEMPLATES["note"][1]


def test_times_in_messages_read_to_the_minute(db):
    from kit.mail import outbox

    call = {"ref": "26-0001", "respond_by": "2026-11-23 12:00:00", "details": "", "summary": ""}
    _subject, body = outbox.render(db, "assigned", {"call": call, "link": ""})
    assert "2026-11-23 12:00" in body and "12:00:00" not in body
