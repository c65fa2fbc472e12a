"""Who may use the set-up pages: every route of the area against every role.

Only an admin uses the settings page and the wizard's steps; the one exception is the
wizard's account step on a kit with no accounts, open to whoever installed it.
"""

from __future__ import annotations

import pytest

from kit.auth.roles import ROLES
from tests.conftest import csrf_token

# (method, path) -> what the table covers; a new route in the area fails the last test.
ROUTES = {
    ("GET", "/admin/settings/"): "setup.settings",
    ("POST", "/admin/settings/"): "setup.settings",
    ("POST", "/admin/settings/logo"): "setup.logo",
    ("POST", "/admin/settings/logo/remove"): "setup.remove_logo",
    ("GET", "/admin/settings/logo.png"): "setup.logo_image",
    ("GET", "/setup/"): "wizard.start",
    ("GET", "/setup/school"): "wizard.step",
    ("POST", "/setup/school"): "wizard.step",
    ("GET", "/setup/accounts"): "wizard.step",
    ("POST", "/setup/accounts"): "wizard.step",
    ("GET", "/setup/done"): "wizard.step",
    ("POST", "/setup/done"): "wizard.step",
}
ADMIN_ONLY = sorted(ROUTES)


def request(client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/auth/password")})


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_other_roles_are_refused_every_set_up_route(login, client, role, method, path):
    login(role)
    assert request(client, method, path).status_code == 403


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_admin_may_use_every_set_up_route(login, client, method, path):
    login("admin")
    response = request(client, method, path)
    assert response.status_code not in (401, 403), response.status_code
    if path.endswith("logo.png"):
        assert response.status_code == 404  # no logo uploaded yet: nothing to show
    else:
        assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_anonymous_is_sent_to_log_in_once_the_kit_has_accounts(users, client, method, path):
    users["desk"]
    if method == "POST":
        response = client.post(path, data={"csrf_token": csrf_token(client, "/auth/login")})
    else:
        response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=")


def test_anonymous_may_open_only_the_account_step_of_an_empty_kit(client):
    assert client.get("/setup/account").status_code == 200
    assert client.get("/setup/").location == "/setup/account"
    for method, path in ADMIN_ONLY:
        if path != "/setup/":
            response = request_anonymous(client, method, path)
            assert response.status_code == 302, path
            assert response.location in (
                "/setup/",
                "/setup/account",
            ) or response.location.startswith("/auth/login"), (path, response.location)


def request_anonymous(client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, "/setup/account")})


@pytest.mark.parametrize("role", ROLES)
def test_account_step_is_refused_to_everyone_once_accounts_exist(login, client, role):
    login(role)
    assert client.get("/setup/account").status_code == 404


def test_the_table_names_every_route_of_the_area(app):
    covered = set(ROUTES.values()) | {"wizard.account"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("setup", "wizard"):
            assert rule.endpoint in covered, f"{rule.rule} is not in the access table"


def test_settings_menu_item_is_shown_to_admins_only(login, client):
    login("admin")
    assert 'href="/admin/settings/"' in client.get("/").get_data(as_text=True)
