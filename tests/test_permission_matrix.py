"""The permission matrix of the whole app: every route in `app.url_map` x every role.

The table is `tests/permission_table.py` (shared/ROLES.md route by route). A route the table
does not name fails `test_every_route_is_in_the_table`; then every (route, column) pair is a
test of its own. Data is built once per role (one app and one logged-in client per role, per
worker) through the store functions, so the whole matrix stays fast.

Also here: CSRF on every POST route, security headers, session cookie flags, and `next=`
after login only to our own paths.
"""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, csrf_token
from permission_table import (
    BOGUS_TOKEN,
    COLUMNS,
    LOGIN,
    MISSING,
    NO,
    OK,
    TABLE,
    UNROUTED,
    Row,
    World,
    build_world,
)

from kit.auth.roles import ROLES

MISSING_ID = "999999"


@pytest.fixture(scope="session")
def worlds(tmp_path_factory):
    """world(role) builds the data and a client for that role once per worker."""
    cache: dict[str | None, World] = {}

    def get(role: str | None) -> World:
        if role not in cache:
            cache[role] = build_world(tmp_path_factory.mktemp("matrix") / "instance", role)
        return cache[role]

    return get


def _fill(text: str, ids: dict[str, str]) -> str:
    return text.format(**ids)


def _request(world: World, row: Row, ids: dict[str, str]):
    path = _fill(row.path, ids)
    if row.method == "GET":
        return world.client.get(path)
    data = {k: _fill(v, ids) for k, v in row.data.items()}
    return world.client.post(path, data={**data, "csrf_token": world.token})


def _ids_for(world: World, column: str) -> dict[str, str]:
    ids = dict(world.ids)
    if column == "anonymous":
        ids["token"] = ids["survey_token"] = ids["staff_survey_token"] = BOGUS_TOKEN
    if column == "technician_unrouted":
        for mine, theirs in UNROUTED.items():
            ids[mine.strip("{}")] = world.ids[theirs.strip("{}")]
    return ids


def _world_role(column: str) -> str | None:
    if column in ("anonymous", "customer"):
        return None
    return "technician" if column == "technician_unrouted" else column


def _normalised(response) -> str:
    """The body without the session's CSRF tokens (they carry a timestamp)."""
    return re.sub(r'value="[^"]*\.[^"]*"', 'value=""', response.get_data(as_text=True))


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and response.headers.get(
        "Location", ""
    ).startswith("/auth/login?next=")


PAIRS = [(row, column) for row in TABLE for column in COLUMNS if column in row.answers]


def test_every_route_is_in_the_table(app):
    found = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    named = {(row.endpoint, row.method) for row in TABLE}
    assert found - named == set(), "routes missing from tests/permission_table.py"
    assert named - found == set(), "rows in tests/permission_table.py for no route"


def test_every_row_has_a_path_that_reaches_its_endpoint(app):
    adapter = app.url_map.bind("localhost")
    sample = {key.strip("{}"): "1" for key in re.findall(r"\{\w+\}", str(TABLE))}
    sample.update(token=BOGUS_TOKEN, survey_token=BOGUS_TOKEN, staff_survey_token=BOGUS_TOKEN)
    for row in TABLE:
        path = row.path.format(**sample).split("?")[0]
        assert adapter.match(path, method=row.method)[0] == row.endpoint, row.id
        assert {"anonymous", *ROLES} <= set(row.answers), row.id


def test_the_table_covers_every_role_column():
    assert len(PAIRS) >= 6 * len(TABLE)
    assert {column for _row, column in PAIRS} == set(COLUMNS)


@pytest.mark.parametrize(
    ("row", "column"), PAIRS, ids=[f"{row.id} [{column}]" for row, column in PAIRS]
)
def test_route_by_role(row, column, worlds):
    world = worlds(_world_role(column))
    expected = row.answers[column]
    ids = _ids_for(world, column)
    response = _request(world, row, ids)
    status = response.status_code
    where = f"{row.id} as {column}: {status} {response.headers.get('Location', '')}"
    if row.endpoint == "auth.logout" and world.role:
        world.login()  # logging out ended this session: log back in for the next tests
    if expected == OK:
        assert status not in (401, 403, 404, 500), where
        assert not _is_login_redirect(response), where
    elif expected == NO:
        assert status == 403, where
    elif expected == LOGIN:
        assert _is_login_redirect(response), where
    elif expected == MISSING:
        assert status == 404, where
        if column == "technician_unrouted":
            missing = dict(ids)
            for mine in UNROUTED:
                missing[mine.strip("{}")] = MISSING_ID
            world.client.get("/auth/password")  # show (and so drop) any flashed message
            unrouted = _request(world, row, ids)
            absent = _request(world, row, missing)
            assert absent.status_code == 404, where
            assert _normalised(unrouted) == _normalised(absent), where
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(f"unknown answer {expected!r} for {where}")


# --- CSRF, headers, cookies, next= -----------------------------------------------------


def test_the_app_fixture_keeps_csrf_on(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


def test_every_post_route_refuses_a_missing_csrf_token(worlds):
    """Every POST of the table, as a role allowed to use it, without the token: 400."""
    checked = 0
    for row in TABLE:
        if row.method != "POST":
            continue
        column = "customer" if row.answers.get("customer") == OK else "admin"
        world = worlds(_world_role(column))
        ids = _ids_for(world, column)
        data = {k: _fill(v, ids) for k, v in row.data.items()}
        response = world.client.post(_fill(row.path, ids), data=data)
        assert response.status_code == 400, f"{row.id} as {column}: {response.status_code}"
        checked += 1
    assert checked >= 60


def test_pages_send_the_security_headers(worlds):
    world = worlds("desk")
    for path in ("/", f"/calls/{world.ids['call']}", "/auth/login", "/kb/faq"):
        headers = world.client.get(path).headers
        csp = headers["Content-Security-Policy"]
        script_src = re.search(r"script-src([^;]*)", csp) or re.search(r"default-src([^;]*)", csp)
        assert script_src and "'unsafe-inline'" not in script_src.group(1), (path, csp)
        assert "'unsafe-eval'" not in script_src.group(1), (path, csp)
        assert headers.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_httponly_and_samesite(client, users):
    users["desk"]
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"username": "desk", "password": PASSWORD, "csrf_token": token}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=(Lax|Strict)", cookie, re.I)


@pytest.mark.parametrize(
    "target",
    [
        "http://evil.example/",
        "https://evil.example/calls/1",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/%09/evil.example/",
        "javascript:alert(1)",
        "evil.example",
        " //evil.example",
    ],
)
def test_login_never_redirects_off_the_site(target, client, users):
    from urllib.parse import quote, urlsplit

    users["desk"]
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=" + quote(target, safe=""),
        data={"username": "desk", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser would follow: tabs and newlines are dropped, backslashes are slashes.
    seen = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip()
    assert not urlsplit(seen).netloc and not urlsplit(seen).scheme, location
    assert seen.startswith("/") and not seen.startswith("//"), location


def test_login_follows_next_to_our_own_page(client, users):
    users["desk"]
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=/calls/find%3Fq%3Dx",
        data={"username": "desk", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/calls/find?q=x"
