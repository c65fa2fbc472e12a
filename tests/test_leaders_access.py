"""Who may open the leaders' pages: every route for every role, and the survey by link only."""

from __future__ import annotations

import pytest

from kit.auth.roles import ROLES
from kit.calls import store as calls
from kit.customer import links

ALLOWED = {"leader", "admin"}
# endpoint: (methods, path). A leaders route missing here fails a test.
ROUTES = {
    "leaders.index": ({"GET"}, "/leaders/"),
    "leaders.document": ({"GET"}, "/leaders/letter"),
    "leaders.version": ({"GET"}, "/leaders/charter/versions/1"),
    "leaders.document_pdf": ({"GET"}, "/leaders/charter/pdf"),
    "leaders.version_pdf": ({"GET"}, "/leaders/letter/versions/1/pdf"),
    "leaders.edit": ({"GET", "POST"}, "/leaders/letter/edit"),
    "leaders.new_review": ({"GET", "POST"}, "/leaders/reviews/new"),
    "leaders.review": ({"GET"}, "/leaders/reviews/1"),
    "leaders.review_pdf": ({"GET"}, "/leaders/reviews/1/pdf"),
}
SURVEY_ROUTES = {"survey.survey", "survey.thanks"}


@pytest.fixture
def saved(db, users, clock):
    """A letter version, a charter version and a review, so every path names something."""
    from kit.leaders import store

    for kind in ("letter", "charter"):
        store.add_version(
            db,
            kind,
            title=kind.title(),
            body=f"{kind} v1",
            published=True,
            user_id=users["leader"],
            at=clock(),
        )
    store.add_review(
        db,
        period_from="2026-11-01",
        period_to="2026-11-23",
        answers={},
        figures={"total": 0},
        user_id=users["leader"],
        at=clock(),
    )


def test_every_leaders_route_is_in_the_table(app):
    found = {
        rule.endpoint: rule.methods - {"HEAD", "OPTIONS"}
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("leaders.")
    }
    assert found == {endpoint: methods for endpoint, (methods, _path) in ROUTES.items()}
    survey = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("survey.")}
    assert survey == SURVEY_ROUTES


@pytest.mark.parametrize("role", sorted(ROLES))
def test_letter_and_charter_are_in_the_menu_for_leaders_and_admins_only(role, login):
    html = login(role).get("/").get_data(as_text=True)
    assert ('href="/leaders/"' in html) is (role in ALLOWED)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_gets_exactly_what_the_table_allows(role, login, saved):
    client = login(role)
    for endpoint, (_methods, path) in ROUTES.items():
        response = client.get(path)
        if role in ALLOWED:
            assert response.status_code == 200, (endpoint, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, response.status_code)


@pytest.mark.parametrize("role", sorted(set(ROLES) - ALLOWED))
def test_other_roles_cannot_post_to_leaders_pages(role, login, post, db, saved):
    login(role)
    for endpoint, (methods, path) in ROUTES.items():
        if "POST" in methods:
            response = post(
                path,
                {
                    "title": "x",
                    "body": "x",
                    "action": "save",
                    "date_from": "2026-11-01",
                    "date_to": "2026-11-23",
                },
            )
            assert response.status_code == 403, endpoint
    assert db["documents"].count == 2 and db["reviews"].count == 1


def test_anonymous_visitors_are_sent_to_log_in(client, saved):
    for endpoint, (methods, path) in ROUTES.items():
        response = client.get(path)
        assert response.status_code == 302, endpoint
        assert "/auth/login?next=" in response.headers["Location"], endpoint
        if "POST" in methods:
            assert client.post(path).status_code in (302, 400), endpoint


def test_post_routes_need_the_csrf_token(app, login, saved):
    app.config["WTF_CSRF_ENABLED"] = True
    client = login("leader")
    for endpoint, (methods, path) in ROUTES.items():
        if "POST" in methods:
            response = client.post(
                path,
                data={
                    "title": "x",
                    "body": "x",
                    "action": "save",
                    "date_from": "2026-11-01",
                    "date_to": "2026-11-23",
                },
            )
            assert response.status_code == 400, endpoint


def test_survey_pages_need_only_the_link_and_no_login(client, db, make_call, clock):
    call_id = make_call()
    calls.update_call(db, call_id, {"status": "Resolved"}, user_id=None, at=clock())
    path = links.issue_link(db, call_id, clock())
    assert client.get(path + "/survey").status_code == 200
    assert client.get(path + "/survey/thanks").status_code == 200
    assert client.get("/my-call/" + "A" * 40 + "/survey").status_code == 404
    assert client.get("/my-call/" + "A" * 40 + "/survey/thanks").status_code == 404


@pytest.mark.parametrize("role", ["desk", "technician", "leader"])
def test_staff_logins_do_not_open_a_survey_without_the_link(role, login, make_call, db, clock):
    call_id = make_call()
    calls.update_call(db, call_id, {"status": "Resolved"}, user_id=None, at=clock())
    client = login(role)
    assert client.get(f"/my-call/{call_id}/survey").status_code == 404
