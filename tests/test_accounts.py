"""Account administration: create, roles, passwords, disable; the last-admin rule; sessions."""

from __future__ import annotations

import pytest

from kit.auth import store
from tests.conftest import PASSWORD, csrf_token

ROLES = ("desk", "technician", "coordinator", "leader")
NEW_PASSWORD = "a brand new password"

ROUTES = [
    ("GET", "/admin/accounts/"),
    ("GET", "/admin/accounts/new"),
    ("POST", "/admin/accounts/new"),
    ("GET", "/admin/accounts/{user}/edit"),
    ("POST", "/admin/accounts/{user}/edit"),
    ("GET", "/admin/accounts/{user}/password"),
    ("POST", "/admin/accounts/{user}/password"),
    ("POST", "/admin/accounts/{user}/disable"),
    ("POST", "/admin/accounts/{user}/enable"),
    ("POST", "/admin/accounts/{user}/unlock"),
]


@pytest.fixture
def other(users):
    return users.make("other", {"desk"}, name="Olive Other")


def _request(client, post, method, path, user):
    path = path.format(user=user)
    return client.get(path) if method == "GET" else post(path, {"name": "X"})


def _login_elsewhere(app, username):
    """A second browser logged in as `username`."""
    browser = app.test_client()
    token = csrf_token(browser)
    browser.post(
        "/auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert browser.get("/").status_code == 200
    return browser


def _edit(post, user_id, name, roles, email=""):
    return post(f"/admin/accounts/{user_id}/edit", {"name": name, "email": email, "roles": roles})


def test_every_accounts_route_is_in_the_role_table(app):
    adapter = app.url_map.bind("localhost")
    tested = {adapter.match(p.format(user=1), method=m)[0] for m, p in ROUTES}
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("accounts.")}
    assert endpoints == tested


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_other_roles_are_refused_accounts(login, client, post, other, role, method, path):
    login(role)
    assert _request(client, post, method, path, other).status_code == 403


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_admin_may_use_accounts_pages(login, client, post, other, method, path):
    login("admin")
    response = _request(client, post, method, path, other)
    assert response.status_code in (200, 302, 400)
    assert "/auth/login" not in response.headers.get("Location", "")


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_is_sent_to_login_from_accounts(client, post, other, method, path):
    response = _request(client, post, method, path, other)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_accounts_menu_entry_is_shown_to_admins_only(login, client):
    login("desk")
    assert 'href="/admin/accounts/"' not in client.get("/").get_data(as_text=True)


def test_admin_sees_the_menu_entry_and_the_list(login, client, other):
    login("admin")
    html = client.get("/admin/accounts/").get_data(as_text=True)
    assert 'href="/admin/accounts/"' in html and "Olive Other" in html


def test_created_account_can_log_in_with_its_roles(login, post, app, db):
    login("admin")
    response = post(
        "/admin/accounts/new",
        {
            "username": "jsmith",
            "name": "Jo Smith",
            "email": "jo@school.example",
            "roles": ["technician"],
            "groups": ["2"],
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert store.load_user(db, store.find_by_username(db, "jsmith")).roles == {"technician"}
    _login_elsewhere(app, "jsmith")


def test_user_name_taken_in_another_case_is_a_field_error(login, post, other, db):
    login("admin")
    response = post(
        "/admin/accounts/new",
        {
            "username": "OTHER",
            "name": "Someone",
            "roles": ["desk"],
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That user name is taken" in html and 'value="Someone"' in html


def test_short_initial_password_is_refused(login, post, db):
    login("admin")
    response = post(
        "/admin/accounts/new",
        {
            "username": "new",
            "name": "New",
            "roles": ["desk"],
            "password": "short",
            "confirm": "short",
        },
    )
    assert response.status_code == 400
    assert "Use at least 10 characters." in response.get_data(as_text=True)
    assert store.find_by_username(db, "new") is None


def test_account_needs_a_role(login, post, other):
    login("admin")
    response = _edit(post, other, "Olive Other", [])
    assert response.status_code == 400
    assert "Tick at least one role." in response.get_data(as_text=True)


def test_admin_changes_an_accounts_roles(login, post, other, db):
    login("admin")
    assert _edit(post, other, "Olive Other", ["desk", "coordinator"]).status_code == 302
    assert store.load_user(db, store.get_user_row(db, other)).roles == {"desk", "coordinator"}


def test_role_change_ends_the_users_other_session(login, post, app, other):
    elsewhere = _login_elsewhere(app, "other")
    login("admin")
    _edit(post, other, "Olive Other", ["coordinator"])
    response = elsewhere.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_name_change_alone_keeps_the_users_session(login, post, app, other):
    elsewhere = _login_elsewhere(app, "other")
    login("admin")
    _edit(post, other, "Olive Renamed", ["desk"])
    assert elsewhere.get("/").status_code == 200


def test_password_change_ends_the_users_other_session(login, post, app, other):
    elsewhere = _login_elsewhere(app, "other")
    login("admin")
    post(f"/admin/accounts/{other}/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert elsewhere.get("/").status_code == 302


def test_new_password_replaces_the_old_one(login, post, db, other):
    login("admin")
    post(f"/admin/accounts/{other}/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert store.authenticate(db, "other", PASSWORD) is None
    assert store.authenticate(db, "other", NEW_PASSWORD) is not None


def test_admin_setting_their_own_password_stays_logged_in(login, client, post, users):
    login("admin")
    post(
        f"/admin/accounts/{users['admin']}/password",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert client.get("/admin/accounts/").status_code == 200


def test_last_admin_cannot_remove_their_own_admin_role(login, post, users, db):
    login("admin")
    response = _edit(post, users["admin"], "Admin", ["desk"])
    assert response.status_code == 400
    assert "You are the last active administrator" in response.get_data(as_text=True)
    assert "admin" in store.get_user_row(db, users["admin"])["roles"]


def test_last_admin_cannot_disable_themselves(login, post, client, users, db):
    login("admin")
    response = post(f"/admin/accounts/{users['admin']}/disable", follow_redirects=True)
    assert "You are the last active administrator and cannot be disabled" in response.get_data(
        as_text=True
    )
    assert store.get_user_row(db, users["admin"])["active"] == 1


def test_admin_may_drop_their_admin_role_when_another_admin_exists(login, client, post, users, db):
    users.make("second", {"admin"})
    login("admin")
    response = _edit(post, users["admin"], "Admin", ["desk"])
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200  # still logged in, now as the desk
    assert client.get("/admin/accounts/").status_code == 403


def test_disabled_account_cannot_log_in_and_is_logged_out(login, post, app, db, other):
    elsewhere = _login_elsewhere(app, "other")
    login("admin")
    post(f"/admin/accounts/{other}/disable")
    assert elsewhere.get("/").status_code == 302
    assert store.authenticate(db, "other", PASSWORD) is None


def test_enabled_account_can_log_in_again(login, post, db, other):
    store.set_active(db, other, False)
    login("admin")
    post(f"/admin/accounts/{other}/enable")
    assert store.authenticate(db, "other", PASSWORD) is not None


def test_disable_button_asks_for_confirmation(login, client, other):
    login("admin")
    assert 'data-confirm="Disable Olive Other?' in client.get("/admin/accounts/").get_data(
        as_text=True
    )


def test_unknown_account_is_not_found(login, client):
    login("admin")
    assert client.get("/admin/accounts/99999/edit").status_code == 404


def _group_id(db, name):
    return db.execute("SELECT id FROM support_groups WHERE name = ?", [name]).fetchone()[0]


def test_a_technician_created_with_a_group_sees_the_calls_routed_to_it(
    app, db, login, post, client, make_call, clock
):
    from kit.calls import workflow

    call_id = make_call(summary="Printer in room 4 jams")
    group = _group_id(db, "Service Delivery")
    login("admin")
    response = post(
        "/admin/accounts/new",
        {
            "username": "newtech",
            "name": "Nina New",
            "roles": ["technician"],
            "groups": [str(_group_id(db, "Service Delivery"))],
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        token_from="/admin/accounts/new",
    )
    assert response.status_code == 302
    assert "Service Delivery" in client.get("/admin/accounts/").get_data(as_text=True)
    # The desk passes the call on to the new technician, in their group (a call passed on
    # always has an owner; the procedure's hand-off is tested in test_framework_procedure).
    newtech = db.execute("SELECT id FROM users WHERE username = 'newtech'").fetchone()[0]
    workflow.assign(db, call_id, group_id=group, assignee_id=newtech, user=None, at=clock())
    technician = _login_elsewhere_with(app, "newtech", NEW_PASSWORD)
    assert technician.get(f"/calls/{call_id}").status_code == 200


def test_a_technician_without_a_group_is_refused_with_where_to_fix_it(db, login, post):
    login("admin")
    response = post(
        "/admin/accounts/new",
        {
            "username": "lost",
            "name": "Lost Tech",
            "roles": ["technician"],
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        token_from="/admin/accounts/new",
    )
    assert response.status_code == 400
    assert "Tick a support group" in response.get_data(as_text=True)
    assert store.find_by_username(db, "lost") is None


def test_editing_an_account_changes_its_groups(db, login, post, client, users):
    tech = users["technician"]  # in Service Delivery
    login("admin")
    page = client.get(f"/admin/accounts/{tech}/edit").get_data(as_text=True)
    assert "Support groups" in page and "checked" in page
    response = post(
        f"/admin/accounts/{tech}/edit",
        {
            "name": "Tom",
            "roles": ["technician"],
            "groups": [str(_group_id(db, "Technology Integration"))],
        },
    )
    assert response.status_code == 302
    assert store.groups_by_user(db)[tech] == [
        (_group_id(db, "Technology Integration"), "Technology Integration")
    ]


def _login_elsewhere_with(app, username, password):
    browser = app.test_client()
    token = csrf_token(browser)
    response = browser.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
    return browser
