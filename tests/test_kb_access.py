"""Who may use which knowledge base page: every route for every role, and anonymous."""

from __future__ import annotations

import pytest
from kb_support import add_article, route_to_service_delivery

from kit.auth.roles import ROLES

ALL = set(ROLES)
WRITERS = {"coordinator", "admin"}
EVERYONE = "everyone"  # anonymous visitors too
# (endpoint, method, path, roles allowed, form). A kb route missing here fails a test.
ROUTES = [
    ("kb.index", "GET", "/kb/?q=printer", ALL, None),
    ("kb.article", "GET", "/kb/{article}", ALL, None),
    ("kb.suggest_json", "GET", "/kb/suggest.json?q=printer", {"desk", "admin"}, None),
    ("kb.faq", "GET", "/kb/faq", EVERYONE, None),
    ("kb.faq_article", "GET", "/kb/faq/{article}", EVERYONE, None),
    ("kb.new", "GET", "/kb/new", WRITERS, None),
    ("kb.new", "POST", "/kb/new", WRITERS, {"title": "New", "audience": "staff"}),
    ("kb.edit", "GET", "/kb/{article}/edit", WRITERS, None),
    ("kb.edit", "POST", "/kb/{article}/edit", WRITERS, {"title": "Edited", "audience": "staff"}),
    ("kb.history", "GET", "/kb/{article}/history", WRITERS, None),
    ("kb.publish", "POST", "/kb/{draft}/publish", WRITERS, {}),
    ("kb.retire", "POST", "/kb/{other}/retire", WRITERS, {}),
    (
        "kb.draft_from_call",
        "POST",
        "/kb/draft-from-call/{call}",
        {"desk", "technician", "coordinator", "admin"},
        {},
    ),
    (
        "kb.link",
        "POST",
        "/kb/calls/{call}/link",
        {"desk", "technician", "coordinator", "admin"},
        {"article_id": "{article}"},
    ),
    (
        "kb.solved",
        "POST",
        "/kb/calls/{call}/solved",
        {"desk", "technician", "admin"},
        {"article_id": "{article}"},
    ),
]


@pytest.fixture
def ids(db, make_call):
    call_id = make_call("Printer down")
    route_to_service_delivery(db, call_id)  # so the technician may see it
    return {
        "article": add_article(db, "Printer offline"),
        "draft": add_article(db, "Printer draft", status="draft"),
        "other": add_article(db, "Old printer"),
        "call": call_id,
    }


def _request(client, token, method, path, form, ids):
    if method == "GET":
        return client.get(path.format(**ids))
    data = {k: v.format(**ids) for k, v in (form or {}).items()}
    return client.post(path.format(**ids), data={**data, "csrf_token": token})


def test_every_kb_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("kb.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == {(endpoint, method) for endpoint, method, *_ in ROUTES}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_may_use_only_what_the_table_allows(role, login, ids, client):
    from conftest import csrf_token

    login(role)
    token = csrf_token(client, "/auth/password")
    for endpoint, method, path, allowed, form in ROUTES:
        response = _request(client, token, method, path, form, ids)
        if allowed == EVERYONE or role in allowed:
            assert response.status_code in (200, 302), (endpoint, response.status_code)
            if response.status_code == 302:
                assert "/auth/login" not in response.headers["Location"], endpoint
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(client, ids):
    from conftest import csrf_token

    token = csrf_token(client)
    for endpoint, method, path, allowed, form in ROUTES:
        response = _request(client, token, method, path, form, ids)
        if allowed == EVERYONE:
            assert response.status_code == 200, endpoint
        else:
            assert response.status_code == 302, endpoint
            assert "/auth/login" in response.headers["Location"], endpoint


def test_every_post_route_refuses_a_missing_csrf_token(login, client, ids):
    login("admin")
    for endpoint, method, path, _allowed, form in ROUTES:
        if method == "POST":
            data = {k: v.format(**ids) for k, v in (form or {}).items()}
            assert client.post(path.format(**ids), data=data).status_code == 400, endpoint
