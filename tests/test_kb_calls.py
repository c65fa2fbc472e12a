"""The knowledge base beside a call: suggestions while logging, links, "solved by this"."""

from __future__ import annotations

from kb_support import AT, add_article, route_to_service_delivery

from kit.calls import history_store
from kit.kb import queries, store


def test_suggestions_match_the_summary_and_favour_the_category(login, client, db):
    add_article(db, "Printer offline", symptoms="Nothing prints", categories=("Printer or copier",))
    add_article(db, "Printer driver for email", symptoms="Nothing prints", categories=("Email",))
    add_article(db, "Printer draft", status="draft")
    category_id = db.execute(
        "SELECT id FROM categories WHERE name = 'Printer or copier'"
    ).fetchone()[0]
    login("desk")
    found = client.get(f"/kb/suggest.json?q=printer&category_id={category_id}").get_json()
    assert [a["title"] for a in found] == ["Printer offline", "Printer driver for email"]
    assert found[0]["url"] == "/kb/1" and found[0]["solved"] == 0


def test_suggestions_are_at_most_five(login, client, db):
    for n in range(8):
        add_article(db, f"Printer fault {n}")
    login("desk")
    assert len(client.get("/kb/suggest.json?q=printer").get_json()) == 5


def test_nothing_typed_suggests_nothing(login, client, db):
    add_article(db, "Printer offline")
    login("desk")
    assert client.get("/kb/suggest.json?q=&category_id=abc").get_json() == []


def test_log_a_call_page_has_the_suggestion_panel_and_its_script(login, client):
    login("desk")
    html = client.get("/calls/new").get_data(as_text=True)
    assert 'id="kb-suggest"' in html and 'data-suggest-url="/kb/suggest.json"' in html
    assert '<script src="/static/js/kb_suggest.js?v=' in html


def test_call_page_suggests_articles_for_the_call(login, client, db, make_call):
    add_article(db, "Projector shows No signal", symptoms="Blue screen")
    call_id = make_call("Projector shows no picture")
    login("desk")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Articles that may help" in html and "Projector shows No signal" in html


def test_linking_an_article_records_it_on_the_call(login, post, db, make_call, client):
    article_id = add_article(db, "Printer offline")
    call_id = make_call("Printer down")
    login("desk")
    response = post(f"/kb/calls/{call_id}/link", {"article_id": article_id}, token_from="/kb/")
    assert response.status_code == 302
    assert [(link["title"], link["solved"]) for link in queries.call_links(db, call_id)] == [
        ("Printer offline", 0)
    ]
    assert history_store.history(db, call_id)[-1]["kind"] == "article_linked"
    assert "linked by Desk" in client.get(f"/calls/{call_id}").get_data(as_text=True)


def test_solved_by_this_article_counts_once(login, post, db, make_call):
    article_id = add_article(db, "Printer offline")
    call_id = make_call("Printer down")
    login("desk")
    for _ in range(2):
        post(f"/kb/calls/{call_id}/solved", {"article_id": article_id}, token_from="/kb/")
    assert queries.get_article(db, article_id)["solved_count"] == 1
    kinds = [e["kind"] for e in history_store.history(db, call_id)]
    assert kinds.count("solved_by_article") == 1


def test_a_linked_article_can_then_be_marked_as_the_fix(db, make_call):
    article_id = add_article(db, "Printer offline")
    call_id = make_call("Printer down")
    store.link_call(db, call_id, article_id, user_id=None, at=AT)
    store.link_call(db, call_id, article_id, user_id=None, at=AT, solved=True)
    assert queries.call_links(db, call_id)[0]["solved"] == 1


def test_coordinator_may_link_but_not_mark_solved(login, post, db, make_call):
    article_id = add_article(db, "Printer offline")
    call_id = make_call("Printer down")
    login("coordinator")
    data = {"article_id": article_id}
    assert post(f"/kb/calls/{call_id}/link", data, token_from="/kb/").status_code == 302
    assert post(f"/kb/calls/{call_id}/solved", data, token_from="/kb/").status_code == 403


def test_a_draft_cannot_be_linked(login, post, db, make_call):
    article_id = add_article(db, "Printer notes", status="draft")
    call_id = make_call("Printer down")
    login("desk")
    response = post(f"/kb/calls/{call_id}/link", {"article_id": article_id}, token_from="/kb/")
    assert response.status_code == 404
    assert queries.call_links(db, call_id) == []


def test_technician_links_only_on_calls_routed_to_them(login, post, db, make_call):
    article_id = add_article(db, "Printer offline")
    hidden = make_call("Not routed")
    routed = make_call("Routed")
    route_to_service_delivery(db, routed)
    login("technician")
    data = {"article_id": article_id}
    assert post(f"/kb/calls/{hidden}/solved", data, token_from="/kb/").status_code == 404
    assert post(f"/kb/calls/{routed}/solved", data, token_from="/kb/").status_code == 302


def test_article_opened_from_a_call_offers_to_link_it(login, client, db, make_call):
    article_id = add_article(db, "Printer offline")
    call_id = make_call("Printer down")
    login("desk")
    html = client.get(f"/kb/{article_id}?call={call_id}").get_data(as_text=True)
    assert "Link to call 26-0001" in html and f'action="/kb/calls/{call_id}/solved"' in html


def test_article_opened_with_a_call_the_technician_cannot_see_offers_nothing(
    login, client, db, make_call
):
    article_id = add_article(db, "Printer offline")
    call_id = make_call("Secret unrouted call")
    login("technician")
    html = client.get(f"/kb/{article_id}?call={call_id}").get_data(as_text=True)
    assert "Secret unrouted call" not in html and "/kb/calls/" not in html
