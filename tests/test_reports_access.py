"""Who may open the reports: leaders and admins; the call import is for admins only.

The route list is read from the app, so a new reports route without a row here fails.
"""

from __future__ import annotations

import pytest

# (path, who may open it); every other role gets 403, anonymous goes to the login page.
LEADERS = ("leader", "admin")
ROUTES = {
    "reports.index": ("/reports/", LEADERS),
    "reports.show": ("/reports/workload", LEADERS),
    "reports.show_pdf": ("/reports/outstanding.pdf", LEADERS),
    "reports.show_csv": ("/reports/times.csv", LEADERS),
    "reports.asset": ("/reports/assets/1", LEADERS),
    "reports.asset_pdf": ("/reports/assets/1.pdf", LEADERS),
    "reports.governors_page": ("/reports/governors", LEADERS),
    "reports.governors_pdf": ("/reports/governors.pdf?month=2026-11", LEADERS),
    "reports.monthly_page": ("/reports/monthly?month=2026-11", LEADERS),
    "reports.monthly_pdf": ("/reports/monthly.pdf?month=2026-11", LEADERS),
    "reports.data.export": ("/reports/export", LEADERS),
    "reports.data.export_csv": ("/reports/export/locations.csv", LEADERS),
    "reports.data.import_calls": ("/reports/import", ("admin",)),
    "reports.data.import_template": ("/reports/import/template.csv", ("admin",)),
}
ROLES = ("desk", "technician", "coordinator", "leader", "admin")


@pytest.fixture
def asset(db):
    return db["equipment"].insert({"asset_tag": "PRJ-1", "type": "Projector"}).last_pk


def test_every_reports_route_is_in_the_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("reports")}
    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_by_role(role, login, client, asset):
    login(role)
    found = {endpoint: client.get(path).status_code for endpoint, (path, _) in ROUTES.items()}
    expected = {
        endpoint: 200 if role in allowed else 403 for endpoint, (_, allowed) in ROUTES.items()
    }
    assert found == expected


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_anonymous_is_sent_to_log_in(endpoint, client, users):
    users["admin"]  # a school with an account (an empty one is sent to the setup wizard)
    response = client.get(ROUTES[endpoint][0])
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "role, shown",
    [
        ("leader", True),
        ("admin", True),
        ("desk", False),
        ("technician", False),
        ("coordinator", False),
    ],
)
def test_the_menu_offers_reports_to_leaders_and_admins(role, shown, login, client):
    login(role)
    assert ('href="/reports/"' in client.get("/").get_data(as_text=True)) is shown


def test_an_unknown_report_is_not_found(login, client):
    login("leader")
    assert client.get("/reports/nonsense").status_code == 404
    assert client.get("/reports/nonsense.pdf").status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ("date_from=2026-13-45", "is not a date"),
        ("date_to=yesterday", "is not a date"),
        ("date_from=2026-11-20&date_to=2026-11-01", "The end date is before the start date."),
        ("date_from=1900-01-01", "Choose a date between"),
        ("date_from=2000-01-01&date_to=2026-01-01", "at most five years"),
        ("date_from=2024-01-01&date_to=2026-01-01&by=day", "by week"),
        ("group=99999", "Choose one of the options"),
        ("technician=abc", "Choose one of the options"),
        ("type=Problem", "Choose one of the options"),
        ("by=month", "Choose one of the options"),
    ],
)
@pytest.mark.parametrize("suffix", ["", ".pdf", ".csv"])
def test_bad_filters_are_a_400_with_a_message(query, message, suffix, login, client):
    login("leader")
    response = client.get(f"/reports/workload{suffix}?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "name",
    ["workload", "outstanding", "times", "equipment", "knowledge", "third-parties", "feedback"],
)
def test_every_report_renders_on_an_empty_school(name, login, client):
    login("admin")
    for suffix in ("", ".csv"):
        assert client.get(f"/reports/{name}{suffix}").status_code == 200


def test_import_refuses_a_post_without_its_csrf_token(login, client):
    login("admin")
    assert client.post("/reports/import", data={"token": "0" * 32}).status_code == 400


@pytest.mark.parametrize("role", ["leader", "desk"])
def test_only_an_admin_may_post_an_import(role, login, post):
    login(role)
    assert post("/reports/import", {"token": "0" * 32}).status_code == 403
