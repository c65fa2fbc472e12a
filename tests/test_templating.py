"""The helpers every template may use (kit.templating)."""

from __future__ import annotations

import pytest
from flask import url_for

from kit.templating import url_prefix


@pytest.mark.parametrize("call_id", [1, 42, 987654321, 10**12])
def test_a_rows_link_built_from_the_prefix_is_the_one_url_for_gives(app, call_id):
    with app.test_request_context("/", base_url="http://desk.school.example/kit"):
        assert url_prefix("calls.view", "call_id") + str(call_id) == url_for(
            "calls.view", call_id=call_id
        )


def test_a_prefix_is_refused_for_a_url_that_does_not_end_with_the_argument(app):
    with app.test_request_context("/"), pytest.raises(ValueError, match="does not end"):
        url_prefix("calls.act_note", "call_id")


def _menu(html: str) -> list[str]:
    import re

    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<]+)</a>", nav)


def test_each_role_sees_its_own_menu_when_another_roles_menu_was_kept(login, client, post):
    login("admin")
    assert "Settings" in _menu(client.get("/calls/").get_data(as_text=True))
    post("/auth/logout", token_from="/calls/")
    login("desk")
    menu = _menu(client.get("/calls/").get_data(as_text=True))
    assert "Log a call" in menu and "Settings" not in menu and "Accounts" not in menu


def test_the_menu_marks_the_page_being_shown_when_it_was_kept(login, client):
    login("desk")
    client.get("/calls/")
    html = client.get("/").get_data(as_text=True)
    assert 'aria-current="page">Start</a>' in html
    assert 'aria-current="page">Call log</a>' not in html
