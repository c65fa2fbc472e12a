"""The web form: anyone in school reports a problem, which lands as a call for the desk."""

from __future__ import annotations

import pytest
from customer_support import form_token, limited_app, web_answers

from kit import settings


@pytest.fixture(autouse=True)
def staffed(users):
    """The kit has an account (an empty kit sends every page to the set-up wizard)."""
    users["admin"]


def test_web_form_opens_without_login(client):
    response = client.get("/my-call/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What did you expect to happen?" in html and "word for word" in html


def test_web_form_logs_a_call_for_the_desk_to_triage(db, client, post):
    response = post("/my-call/new", web_answers())
    assert response.status_code == 302
    call = db["calls"].get(1)
    category = db["categories"].get(call["category_id"])["name"]
    assert (call["channel"], call["status"], category) == (
        "Web form",
        "Logged",
        "Fault reported on the web form",
    )
    assert call["logged_by"] is None and call["caller_email"] == "ann@school.example"
    assert db["call_answers"].get((1, "happened"))["value"] == "It jams on every page"
    assert db["call_answers"].get((1, "error_message"))["value"] == "Paper jam in tray 2"
    assert response.headers["Location"].startswith("/my-call/")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert call["ref"] in html and "Printer in the staff room jams" in html


def test_web_form_mails_the_customer_their_link(db, client, post):
    response = post("/my-call/new", web_answers())
    [message] = db["outbox"].rows_where("kind = 'logged'")
    assert message["to_addr"] == "ann@school.example"
    assert "http://localhost" + response.headers["Location"] in message["body"]


def test_web_form_with_a_room(db, post):
    location = db["locations"].insert({"site": "Main", "building": "A", "room": "12"}).last_pk
    post("/my-call/new", web_answers(location_id=str(location)))
    assert db["calls"].get(1)["location_id"] == location


def test_web_form_sent_twice_logs_one_call(db, post):
    post("/my-call/new", web_answers())
    post("/my-call/new", web_answers())
    assert db["calls"].count == 1
    assert db["outbox"].count_where("kind = 'logged'") == 1


def test_honeypot_filled_in_logs_nothing(db, post):
    response = post("/my-call/new", web_answers(website="http://spam.example"))
    assert response.status_code == 400
    assert "could not be sent" in response.get_data(as_text=True)
    assert db["calls"].count == 0


def test_missing_answers_are_refused_and_what_was_typed_is_kept(db, post):
    response = post("/my-call/new", web_answers(caller_name="", happened=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tell us your name." in html and "Tell us what happened." in html
    assert 'value="Printer in the staff room jams"' in html
    assert db["calls"].count == 0


def test_web_form_needs_an_email_or_a_phone(db, post):
    response = post("/my-call/new", web_answers(email="", phone=""))
    assert response.status_code == 400
    assert "email address or a phone number" in response.get_data(as_text=True)
    assert post("/my-call/new", web_answers(email="", phone="ext 123")).status_code == 302


def test_web_form_refuses_overlong_answers(db, post):
    response = post("/my-call/new", web_answers(summary="x" * 121))
    assert response.status_code == 400
    assert "under 120 characters" in response.get_data(as_text=True)
    assert db["calls"].count == 0


def test_web_form_refuses_an_unknown_room(db, post):
    assert post("/my-call/new", web_answers(location_id="999")).status_code == 400


def test_web_form_can_be_restricted_to_logged_in_people(db, client, login):
    settings.put(db, "web_form_public", False, user_id=None, at="")
    response = client.get("/my-call/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login("technician")
    assert client.get("/my-call/new").status_code == 200


def test_login_page_links_to_the_web_form(client):
    assert 'href="/my-call/new"' in client.get("/auth/login").get_data(as_text=True)


def test_web_form_is_rate_limited(tmp_path, clock):
    client = limited_app(tmp_path / "limited", clock).test_client()
    token = form_token(client)
    codes = [
        client.post(
            "/my-call/new", data=web_answers(csrf_token=token, submission_key=f"{n:032x}")
        ).status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]


def test_failed_attempts_do_not_use_up_the_hourly_calls(tmp_path, clock):
    client = limited_app(tmp_path / "limited", clock).test_client()
    token = form_token(client)
    for _ in range(6):
        bad = web_answers(csrf_token=token, caller_name="")
        assert client.post("/my-call/new", data=bad).status_code == 400
    good = web_answers(csrf_token=token)
    assert client.post("/my-call/new", data=good).status_code == 302
