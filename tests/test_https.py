"""Behind the school's HTTPS proxy: forwarded headers believed only from the configured
proxies; over HTTPS the session cookie is Secure and HSTS is sent; over HTTP neither."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kit import create_app
from kit.https import parse_proxies
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"


@pytest.fixture
def proxied_app(tmp_path, clock):
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test",
            "NOW": clock,
            "TRUSTED_PROXIES": f"{PROXY}, 192.168.5.0/24",
            "LOGIN_ADDRESS_ATTEMPTS": 3,
        }
    )
    _make_admin(app)
    return app


def _client(app, remote_addr, **headers):
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": remote_addr})
    client.environ_base.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return client


def _login(client, username, password=PASSWORD):
    import re

    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )


def _make_admin(app):
    from kit.auth import store
    from kit.db import connect

    db = connect(app.config["DATABASE"])
    store.create_user(db, username="admin", name="Adam", password=PASSWORD, roles={"admin"})
    db.conn.close()


def test_over_https_through_the_proxy_the_session_cookie_is_secure(proxied_app):
    client = _client(proxied_app, PROXY, x_forwarded_proto="https", x_forwarded_for="10.1.1.1")
    cookie = client.get("/auth/login").headers["Set-Cookie"]
    assert "session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_a_login_over_https_renews_a_secure_session_cookie(proxied_app):
    import re

    client = _client(
        proxied_app, PROXY, x_forwarded_proto="https", x_forwarded_host="kit.school.example"
    )
    page = "https://kit.school.example/auth/login"  # what the browser sees, and sends back
    html = client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(
        page,
        data={"username": "admin", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": page},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_over_https_hsts_is_sent(proxied_app):
    client = _client(proxied_app, PROXY, x_forwarded_proto="https")
    response = client.get("/auth/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_proxy_in_a_trusted_network_is_believed(proxied_app):
    client = _client(proxied_app, "192.168.5.40", x_forwarded_proto="https")
    assert "Strict-Transport-Security" in client.get("/auth/login").headers


def test_redirects_behind_the_proxy_keep_https_and_the_public_host(proxied_app):
    client = _client(
        proxied_app, PROXY, x_forwarded_proto="https", x_forwarded_host="kit.school.example"
    )
    response = client.get("/calls/")
    assert response.headers["Location"].startswith("/auth/login") or response.headers[
        "Location"
    ].startswith("https://kit.school.example/")


def test_forwarded_headers_from_anyone_else_are_ignored(proxied_app):
    client = _client(proxied_app, "10.9.9.9", x_forwarded_proto="https")
    response = client.get("/auth/login")
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_over_plain_http_the_cookie_is_not_secure_and_no_hsts(app, client, users):
    users.make("admin", {"admin"})
    response = _login(client, "admin")
    assert response.status_code == 302
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_the_login_limit_counts_the_address_the_trusted_proxy_reports(proxied_app):
    """Three failures from one pupil's machine pause that machine, not the whole school."""
    pupil = _client(proxied_app, PROXY, x_forwarded_for="10.1.1.50")
    assert [_login(pupil, f"guess{n}", "wrong one").status_code for n in range(3)] == [400] * 3
    assert _login(pupil, "admin").status_code == 429
    office = _client(proxied_app, PROXY, x_forwarded_for="10.1.1.60")
    assert _login(office, "admin").status_code == 302


def test_an_untrusted_sender_cannot_escape_the_address_limit_by_forging_its_address(
    proxied_app,
):
    codes = []
    for n in range(3):
        forger = _client(proxied_app, "10.9.9.9", x_forwarded_for=f"172.16.0.{n}")
        codes.append(_login(forger, f"guess{n}", "wrong one").status_code)
    assert codes == [400] * 3
    forger = _client(proxied_app, "10.9.9.9", x_forwarded_for="172.16.0.99")
    assert _login(forger, "admin").status_code == 429


def test_trusted_proxies_may_be_a_list_or_comma_separated():
    assert parse_proxies("127.0.0.1, ::1") == parse_proxies(["127.0.0.1", "::1"])
    assert parse_proxies("") == []


def test_a_trusted_proxy_that_is_not_an_address_stops_kit_serve(tmp_path, monkeypatch):
    from kit.cli import main

    monkeypatch.setenv("KIT_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("KIT_TRUSTED_PROXIES", "caddy.local")
    result = CliRunner().invoke(main, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert "'caddy.local' is not an address" in result.output
