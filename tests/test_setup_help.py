"""Help where it is needed: a short "how to" on every main screen, in words for the role."""

from __future__ import annotations

from kit.setup.help import HELP, help_for
from kit.templating import NAV


def test_every_help_text_belongs_to_a_page_that_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(HELP) <= endpoints


def test_every_page_in_the_menu_has_a_how_to_panel(app, login, client):
    login("admin")
    for _label, endpoint, _permission in NAV:
        assert endpoint in HELP, f"{endpoint} has no help text"
        path = app.url_map.bind("localhost").build(endpoint)
        html = client.get(path).get_data(as_text=True)
        assert "<summary>How to use this page</summary>" in html, path


def test_the_call_page_explains_different_work_to_the_desk_and_a_technician():
    desk = help_for("calls.view", {"desk"})
    technician = help_for("calls.view", {"technician"})
    assert desk != technician
    assert any("With Customer" in step for step in technician)


def test_a_page_without_help_shows_no_panel():
    assert help_for("auth.login", {"desk"}) == ()
