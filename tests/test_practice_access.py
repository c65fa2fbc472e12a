"""Who may use the routes of visits, follow-ups, problems and priority: every route against
every role, anonymous visitors, and technicians on calls not routed to them."""

from __future__ import annotations

import pytest

from kit.auth.roles import ROLES
from kit.followups import store as followups
from kit.problems import store as problems
from tests.conftest import csrf_token
from tests.practice_support import route, technician

DESK_ADMIN = {"desk", "admin"}
WORKERS = {"desk", "technician", "admin"}
READERS = {"desk", "technician", "coordinator", "admin"}
AREAS = ("visits.", "followups.", "problems.", "priority.")

# endpoint: [(method, path, roles allowed)]. A route of these areas missing here fails.
ROUTES = {
    "visits.index": [("GET", "/visits/", WORKERS)],
    "visits.technician": [("GET", "/visits/{tech}", WORKERS)],
    "visits.print_list": [("GET", "/visits/{tech}/print", WORKERS)],
    "visits.days": [("GET", "/visits/days", DESK_ADMIN), ("POST", "/visits/days", DESK_ADMIN)],
    "visits.handoff": [("POST", "/visits/calls/{call}/handoff", DESK_ADMIN)],
    "followups.add": [("POST", "/follow-ups/calls/{call}", WORKERS)],
    "followups.done": [("POST", "/follow-ups/{followup}/done", WORKERS)],
    "problems.index": [("GET", "/problems/", READERS)],
    "problems.new": [("GET", "/problems/new", WORKERS), ("POST", "/problems/new", WORKERS)],
    "problems.view": [("GET", "/problems/{problem}", READERS)],
    "problems.edit": [("POST", "/problems/{problem}", WORKERS)],
    "problems.resolve_problem": [("POST", "/problems/{problem}/resolve", WORKERS)],
    "problems.link": [("POST", "/problems/calls/{call}/link", WORKERS)],
    "problems.unlink": [("POST", "/problems/calls/{call}/unlink", WORKERS)],
    "priority.raise_level": [("POST", "/priority/calls/{call}", DESK_ADMIN)],
    "priority.matrix": [
        ("GET", "/priority/matrix", {"admin"}),
        ("POST", "/priority/matrix", {"admin"}),
    ],
    "priority.exam_rooms": [
        ("GET", "/priority/exam-rooms", {"admin"}),
        ("POST", "/priority/exam-rooms", {"admin"}),
    ],
}


@pytest.fixture
def ids(db, users, make_call, clock):
    """A call routed to the technician, a follow-up on it, and a problem."""
    tech = technician(users, db, "technician")
    call_id = make_call("Projector flickers")
    route(db, call_id, tech)
    followup = followups.add(
        db, call_id, due_on=clock().date(), comment="Ring back", user_id=None, at=clock()
    )
    problem = problems.create(db, title="Projectors flicker", at=clock())
    return {"tech": tech, "call": call_id, "followup": followup, "problem": problem}


def _request(client, method: str, path: str, token_from: str = "/auth/password"):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client, token_from)})


def test_every_route_of_these_areas_is_in_the_table(app):
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(AREAS):
            found.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    table = {e: {m for m, _p, _r in rows} for e, rows in ROUTES.items()}
    assert found == table


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_may_use_only_what_the_table_allows(role, ids, login, client):
    login(role)
    for endpoint, rows in ROUTES.items():
        for method, path, allowed in rows:
            response = _request(client, method, path.format(**ids))
            if role in allowed:
                assert response.status_code not in (403, 404, 500), (endpoint, method, role)
                assert "/auth/login" not in response.headers.get("Location", "")
            else:
                assert response.status_code == 403, (endpoint, method, role, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(ids, client):
    for endpoint, rows in ROUTES.items():
        for method, path, _allowed in rows:
            response = _request(client, method, path.format(**ids), token_from="/auth/login")
            assert response.status_code == 302, endpoint
            assert "/auth/login" in response.headers["Location"], endpoint


def test_posts_without_the_csrf_token_are_refused(ids, login, client):
    login("admin")
    for endpoint, rows in ROUTES.items():
        for method, path, _allowed in rows:
            if method == "POST":
                assert client.post(path.format(**ids)).status_code == 400, endpoint


UNROUTED = [
    ("POST", "/follow-ups/calls/{call}"),
    ("POST", "/follow-ups/{followup}/done"),
    ("POST", "/problems/calls/{call}/link"),
    ("POST", "/problems/calls/{call}/unlink"),
]


@pytest.mark.parametrize(("method", "path"), UNROUTED)
def test_technician_gets_404_for_a_call_not_routed_to_them(
    method, path, login, client, db, make_call, clock, users
):
    technician(users, db, "technician")
    call_id = make_call("Not passed on yet")
    followup = followups.add(
        db, call_id, due_on=clock().date(), comment="Ring back", user_id=None, at=clock()
    )
    login("technician")
    response = _request(client, method, path.format(call=call_id, followup=followup))
    assert response.status_code == 404


def test_technician_gets_404_for_another_technicians_visit_list(login, client, db, users):
    other = technician(users, db, "olly")
    technician(users, db, "technician")
    login("technician")
    assert client.get(f"/visits/{other}").status_code == 404
    assert client.get(f"/visits/{other}/print").status_code == 404


def test_a_visit_list_for_someone_who_is_not_a_technician_is_404(login, client, users):
    login("desk")
    assert client.get(f"/visits/{users['desk']}").status_code == 404


def test_technician_going_to_the_visit_lists_sees_their_own(login, client, db, users):
    tech = technician(users, db, "technician")
    response = login("technician").get("/visits/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/visits/{tech}")


def test_menu_shows_visit_lists_and_problems_by_role(login, client):
    html = login("coordinator").get("/").get_data(as_text=True)
    assert 'href="/problems/"' in html and 'href="/visits/"' not in html
    html = login("desk").get("/").get_data(as_text=True)
    assert 'href="/problems/"' in html and 'href="/visits/"' in html
