"""The search page keeps its index open between requests: each search no longer opens and
checks every segment, yet every change to the index or the articles is still seen."""

from __future__ import annotations

from kb_support import add_article, reindex
from whoosh.index import FileIndex

from kit.db import get_db
from kit.kb import index, search


def _find(app, text: str) -> search.Results:
    with app.test_request_context("/kb/"):
        return search.find(get_db(), text, search.Filters())


def _found(app, text: str) -> set[str]:
    return {hit["title"] for hit in _find(app, text).hits}


def test_searches_after_the_first_open_no_index(app, db, monkeypatch):
    add_article(db, "Printer offline")
    reindex(app)
    _find(app, "printer")
    opened: list[int] = []
    real_searcher = FileIndex.searcher

    def counted(self, **kwargs):
        opened.append(1)
        return real_searcher(self, **kwargs)

    monkeypatch.setattr(FileIndex, "searcher", counted)
    for _ in range(3):
        assert _found(app, "printer") == {"Printer offline"}
    assert opened == []


def test_an_article_edited_through_the_page_is_found_by_the_next_search(
    app, db, login, post, client
):
    article_id = add_article(db, "Projector lamp")
    reindex(app)
    login("coordinator")
    assert "Projector lamp" in client.get("/kb/?q=projector").get_data(as_text=True)
    response = post(
        f"/kb/{article_id}/edit",
        {"title": "Projector fan noise", "audience": "staff", "base_revision": "1"},
        token_from="/kb/new",
    )
    assert response.status_code == 302
    html = client.get("/kb/?q=fan").get_data(as_text=True)
    assert "Projector fan noise" in html  # the same number of articles: the index changed


def test_an_article_added_straight_into_the_database_is_found(app, db):
    add_article(db, "Printer offline")
    reindex(app)
    assert _found(app, "printer") == {"Printer offline"}
    add_article(db, "Printer out of toner")  # as an import does: the index is behind
    assert _found(app, "printer") == {"Printer offline", "Printer out of toner"}


def test_after_a_failed_search_the_index_is_checked_afresh(app, db, monkeypatch):
    add_article(db, "Printer offline")
    reindex(app)
    assert not _find(app, "printer").sql_fallback
    real_search = search.search
    failed: list[int] = []

    def fails_once(searcher, *args, **kwargs):  # a damaged segment, say
        if not failed:
            failed.append(1)
            raise OSError("damaged segment")
        return real_search(searcher, *args, **kwargs)

    monkeypatch.setattr(search, "search", fails_once)
    assert _find(app, "printer").sql_fallback
    monkeypatch.setattr(search, "search", real_search)
    checked: list[int] = []
    real_try_open = index._try_open
    monkeypatch.setattr(
        index, "_try_open", lambda folder: checked.append(1) or real_try_open(folder)
    )
    again = _find(app, "printer")
    assert not again.sql_fallback and [h["title"] for h in again.hits] == ["Printer offline"]
    assert checked == [1], "the kept index was let go and opened and checked again"
