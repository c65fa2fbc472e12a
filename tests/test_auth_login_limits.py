"""Sign-in limits a busy office can live with: failed logins lock one account (however its
name is typed) for 15 minutes, good logins never count, the locked answer says when to try
again, an admin can unlock, and one network address has a far higher limit of its own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, csrf_token

WRONG = "not the password"


def _try(client, username, password):
    token = csrf_token(client)
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )


def _fail(client, username, times):
    return [_try(client, username, WRONG).status_code for _ in range(times)]


@pytest.fixture
def coordinator(users):
    return users.make("coordinator", {"coordinator"}, name="Carla Coordinator")


def test_ten_failed_logins_lock_the_account(client, coordinator):
    assert _fail(client, "coordinator", 10) == [400] * 10
    response = _try(client, "coordinator", PASSWORD)
    assert response.status_code == 429
    assert "this account is locked until 09:45" in response.get_data(as_text=True)


def test_padded_and_cased_spellings_share_one_count(client, coordinator):
    spellings = [" coordinator", "coordinator ", "Coordinator", "COORDINATOR", "coordinator"]
    assert [_try(client, s, WRONG).status_code for s in spellings * 2] == [400] * 10
    assert _try(client, "  Coordinator  ", WRONG).status_code == 429


def test_a_padded_right_password_cannot_log_into_a_locked_account(client, coordinator):
    _fail(client, "coordinator", 10)
    for spelling in (" coordinator", "coordinator ", "Coordinator"):
        assert _try(client, spelling, PASSWORD).status_code == 429
    assert client.get("/").status_code == 302  # still not logged in


def test_nine_failures_leave_the_account_open(client, coordinator):
    _fail(client, "coordinator", 9)
    assert _try(client, "coordinator", PASSWORD).status_code == 302


def test_good_logins_never_count_towards_the_limit(app, coordinator):
    """A shared office PC logs in many times an hour."""
    codes = []
    for _ in range(25):
        browser = app.test_client()
        codes.append(_try(browser, "coordinator", PASSWORD).status_code)
    assert codes == [302] * 25


def test_the_locked_answer_says_when_to_try_again_in_retry_after(client, clock, coordinator):
    _fail(client, "coordinator", 10)
    clock.set(clock() + timedelta(minutes=5, seconds=30))
    response = _try(client, "coordinator", PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(9 * 60 + 30)
    assert "in about 10 minutes" in response.get_data(as_text=True)


def test_the_lock_lifts_after_fifteen_minutes(client, clock, coordinator):
    _fail(client, "coordinator", 10)
    clock.set(clock() + timedelta(minutes=14, seconds=59))
    assert _try(client, "coordinator", PASSWORD).status_code == 429
    clock.set(clock() + timedelta(seconds=1))
    assert _try(client, "coordinator", PASSWORD).status_code == 302


def test_failures_older_than_fifteen_minutes_are_forgotten(client, clock, coordinator):
    _fail(client, "coordinator", 9)
    clock.set(clock() + timedelta(minutes=15))
    _fail(client, "coordinator", 9)
    assert _try(client, "coordinator", PASSWORD).status_code == 302


def test_a_good_login_clears_the_count(app, client, coordinator):
    _fail(client, "coordinator", 9)
    assert _try(app.test_client(), "coordinator", PASSWORD).status_code == 302
    assert _fail(client, "coordinator", 9) == [400] * 9
    assert _try(app.test_client(), "coordinator", PASSWORD).status_code == 302


def test_a_locked_account_does_not_lock_the_others_at_the_same_address(app, client, coordinator):
    """One person guessing at one name must not stop the rest of the school behind one NAT."""
    _fail(client, "coordinator", 12)
    assert _try(client, "desk_user_absent", WRONG).status_code == 400
    office = app.test_client()
    office_user = "office"
    from kit.auth import store
    from kit.db import connect

    db = connect(app.config["DATABASE"])
    store.create_user(db, username=office_user, name="Olive", password=PASSWORD, roles={"desk"})
    assert _try(office, office_user, PASSWORD).status_code == 302


def test_the_address_limit_is_far_above_the_account_limit(app, client, users):
    app.config["LOGIN_ADDRESS_ATTEMPTS"] = 30
    users.make("desk1", {"desk"})
    codes = [_try(client, f"nobody{n}", WRONG).status_code for n in range(30)]
    assert codes == [400] * 30
    response = _try(client, "desk1", PASSWORD)
    assert response.status_code == 429
    assert "network" in response.get_data(as_text=True) and "Retry-After" in response.headers


def test_the_default_address_limit_is_ten_times_the_account_limit(app):
    assert app.config["LOGIN_ADDRESS_ATTEMPTS"] >= 10 * app.config["LOGIN_ATTEMPTS"]


def test_the_admin_sees_a_locked_account_and_unlocks_it(app, login, post, client, coordinator):
    browser = app.test_client()
    _fail(browser, "coordinator", 10)
    login("admin")
    page = client.get("/admin/accounts/").get_data(as_text=True)
    assert "Locked until 09:45" in page
    response = post(f"/admin/accounts/{coordinator}/unlock", token_from="/admin/accounts/")
    assert response.status_code == 302
    assert "Locked until" not in client.get("/admin/accounts/").get_data(as_text=True)
    assert _try(browser, "Coordinator ", PASSWORD).status_code == 302


def test_unlocking_an_unknown_account_is_404(login, post):
    login("admin")
    assert post("/admin/accounts/999/unlock", token_from="/admin/accounts/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/calls/", "/admin/accounts/"])
def test_pages_behind_login_are_not_stored_by_the_browser(login, client, path):
    login("admin")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_still_be_cached(client):
    response = client.get("/static/css/kit.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_every_page_names_the_kits_own_icon_so_no_browser_asks_for_a_missing_one(
    client, coordinator
):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/img/favicon.svg' in html
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_a_client_asking_for_favicon_ico_is_sent_to_the_kits_icon(client, coordinator):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.location.startswith("/static/img/favicon.svg")
    assert client.get(response.location).mimetype == "image/svg+xml"


def test_the_icon_is_served_on_a_kit_with_no_accounts_yet(client):
    assert client.get("/favicon.ico").status_code == 301
