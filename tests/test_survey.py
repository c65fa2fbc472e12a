"""The customer's feedback survey: offered on the status link once the call is resolved."""

from __future__ import annotations

import pytest

from kit import settings
from kit.auth import store as accounts
from kit.calls import store as calls
from kit.customer import links
from kit.leaders.surveys import should_survey

ANSWER = {"satisfaction": "4", "fixed": "1", "time_ok": "0", "comment": "Quick, thanks"}


def _resolve(db, call_id, clock, status="Resolved"):
    calls.update_call(
        db,
        call_id,
        {"status": status, "resolved_at": "2026-11-23 10:00:00"},
        user_id=None,
        at=clock(),
    )


@pytest.fixture
def resolved_link(db, make_call, clock):
    """The status page path of a resolved call, and the call's id."""
    call_id = make_call()
    _resolve(db, call_id, clock)
    return links.issue_link(db, call_id, clock()), call_id


@pytest.mark.parametrize(
    ("call_id", "every_nth", "expected"),
    [
        (7, 1, True),
        (7, None, True),
        (7, 0, True),
        (6, 3, True),
        (7, 3, False),
        (9, 3, True),
        (10, 10, True),
        (11, 10, False),
    ],
)
def test_should_survey_asks_all_calls_or_one_in_n_by_id(call_id, every_nth, expected):
    assert should_survey(call_id, every_nth) is expected


def test_one_in_n_asks_exactly_a_tenth_of_a_hundred_calls():
    assert sum(should_survey(n, 10) for n in range(1, 101)) == 10


def test_resolved_call_status_page_offers_the_survey(client, resolved_link):
    path, _ = resolved_link
    html = client.get(path).get_data(as_text=True)
    assert "Tell us how we did" in html and f'href="{path}/survey"' in html


def test_open_call_status_page_does_not_offer_the_survey(client, db, make_call, clock):
    path = links.issue_link(db, make_call(), clock())
    assert "Tell us how we did" not in client.get(path).get_data(as_text=True)


def test_survey_is_refused_before_the_call_is_resolved(client, post, db, make_call, clock):
    call_id = make_call()
    path = links.issue_link(db, call_id, clock())
    response = client.get(path + "/survey")
    assert response.status_code == 409
    assert "once your call" in response.get_data(as_text=True)
    assert post(path + "/survey", ANSWER, token_from=path).status_code == 409
    assert db["surveys"].count == 0


def test_customer_answers_the_survey_anonymously_with_the_link(client, post, db, resolved_link):
    path, call_id = resolved_link
    page = client.get(path + "/survey")
    assert page.status_code == 200 and "How satisfied are you" in page.get_data(as_text=True)
    response = post(path + "/survey", ANSWER, token_from=path + "/survey")
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    answer = db["surveys"].get(1)
    assert (
        answer["call_id"],
        answer["satisfaction"],
        answer["fixed"],
        answer["time_ok"],
        answer["comment"],
    ) == (call_id, 4, 1, 0, "Quick, thanks")
    assert answer["submitted_at"] == "2026-11-23 09:30:00"
    assert "Thank you" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_closed_calls_are_surveyed_too(client, db, make_call, clock):
    call_id = make_call()
    _resolve(db, call_id, clock, status="Closed")
    path = links.issue_link(db, call_id, clock())
    assert client.get(path + "/survey").status_code == 200


def test_only_one_answer_per_call(client, post, db, resolved_link):
    path, _ = resolved_link
    assert post(path + "/survey", ANSWER, token_from=path).status_code == 302
    again = post(path + "/survey", ANSWER | {"satisfaction": "1"}, token_from=path)
    assert again.status_code == 409
    assert db["surveys"].count == 1 and db["surveys"].get(1)["satisfaction"] == 4
    assert "already told us" in client.get(path + "/survey").get_data(as_text=True)
    assert "Thank you for answering" in client.get(path).get_data(as_text=True)


def test_answer_store_refuses_a_second_answer(db, resolved_link, clock):
    from kit.leaders import store

    _, call_id = resolved_link
    kwargs = {"satisfaction": 5, "fixed": True, "time_ok": True, "comment": "", "at": clock()}
    assert store.save_answer(db, call_id, **kwargs) is True
    assert store.save_answer(db, call_id, **kwargs) is False


def test_wrong_or_revoked_link_is_not_found(client, db, resolved_link, clock):
    path, call_id = resolved_link
    assert client.get("/my-call/" + "x" * 32 + "/survey").status_code == 404
    links.revoke(db, call_id, clock())
    assert client.get(path + "/survey").status_code == 404


def test_call_not_in_the_sample_has_no_survey(client, db, make_call, clock):
    settings.put(db, "survey_every_nth", 2, user_id=None, at="2026-11-23 09:00:00")
    first = make_call()  # id 1: not one in 2
    _resolve(db, first, clock)
    path = links.issue_link(db, first, clock())
    assert "Tell us how we did" not in client.get(path).get_data(as_text=True)
    assert client.get(path + "/survey").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"satisfaction": ""}, "Choose how satisfied"),
        ({"satisfaction": "9"}, "Not a valid"),
        ({"fixed": ""}, "Say whether it was fixed"),
        ({"comment": "x" * 2001}, "2000"),
    ],
)
def test_incomplete_answers_are_refused_next_to_the_question(
    client, post, db, resolved_link, change, message
):
    path, _ = resolved_link
    response = post(path + "/survey", ANSWER | change, token_from=path)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db["surveys"].count == 0


def test_survey_post_needs_the_csrf_token(app, db, resolved_link):
    app.config["WTF_CSRF_ENABLED"] = True
    path, _ = resolved_link
    response = app.test_client().post(path + "/survey", data=ANSWER)
    assert response.status_code == 400
    assert db["surveys"].count == 0


def test_survey_pages_do_not_leak_the_link(client, resolved_link):
    path, _ = resolved_link
    response = client.get(path + "/survey")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_survey_answers_are_rate_limited_per_link(tmp_path, clock):
    from kit import create_app
    from kit.db import connect
    from kit.security import limiter

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "rl"),
            "SECRET_KEY": "t",
            "NOW": clock,
            "WTF_CSRF_ENABLED": False,
        }
    )
    db = connect(app.config["DATABASE"])
    desk = accounts.create_user(db, username="desk", name="Desk", password="x" * 12, roles={"desk"})
    category_id = db.execute("SELECT id FROM categories WHERE name = 'Email'").fetchone()[0]
    call_id = calls.log_call(
        db,
        calls.NewCall(
            caller_name="Ann", channel="Phone", category_id=category_id, summary="Mail down"
        ),
        user_id=desk,
        at=clock(),
        cal=settings.calendar(db),
    )
    path = links.issue_link(db, call_id, clock())  # still open: every answer is refused
    db.conn.close()
    limiter.reset()
    client = app.test_client()
    try:
        codes = [client.post(path + "/survey", data=ANSWER).status_code for _ in range(11)]
    finally:
        limiter.reset()
    assert codes[:10] == [409] * 10 and codes[10] == 429
