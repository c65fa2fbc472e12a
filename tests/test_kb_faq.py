"""The staff FAQ: published staff articles, public when the school allows it."""

from __future__ import annotations

import pytest
from kb_support import AT, add_article

from kit import settings


@pytest.fixture
def faq(db, users):
    users["admin"]  # a kit with no account sends every visitor to the setup wizard
    return {
        "staff": add_article(db, "Printer offline", symptoms="Nothing prints"),
        "technicians": add_article(db, "Rebuild the print spooler", audience="technicians"),
        "draft": add_article(db, "Half-written projector fix", status="draft"),
    }


def test_anonymous_visitor_reads_the_faq_when_public(client, faq):
    html = client.get("/kb/faq").get_data(as_text=True)
    assert "Printer offline" in html
    assert "Rebuild the print spooler" not in html and "Half-written" not in html


def test_anonymous_visitor_reads_a_staff_article(client, faq):
    response = client.get(f"/kb/faq/{faq['staff']}")
    assert response.status_code == 200 and "Nothing prints" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["technicians", "draft"])
def test_technician_only_and_draft_articles_are_not_in_the_faq(client, faq, kind, login):
    assert client.get(f"/kb/faq/{faq[kind]}").status_code == 404
    login("admin")
    assert client.get(f"/kb/faq/{faq[kind]}").status_code == 404


def test_anonymous_visitor_cannot_open_articles_outside_the_faq(client, faq):
    response = client.get(f"/kb/{faq['staff']}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_faq_needs_a_login_when_the_school_turns_it_off(client, db, faq, login):
    settings.put(db, "faq_public", False, user_id=None, at=AT.isoformat())
    for path in ("/kb/faq", f"/kb/faq/{faq['staff']}"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login("leader")
    assert "Printer offline" in client.get("/kb/faq").get_data(as_text=True)


def test_retired_articles_leave_the_faq(client, db, faq):
    from kit.kb import store

    store.set_status(db, faq["staff"], "retired", user_id=None, at=AT)
    assert "Printer offline" not in client.get("/kb/faq").get_data(as_text=True)


def test_faq_search_finds_only_staff_articles(client, faq):
    html = client.get("/kb/faq?q=printer+spooler").get_data(as_text=True)
    assert "Printer offline" in html and "Rebuild the print spooler" not in html
