"""A call's suggested articles are searched once per version of the call and of the
knowledge base: opening the page again, in this process or another, asks the index nothing,
while any change that could alter the answer (the summary, a new article in the index) asks
again."""

from __future__ import annotations

import time

import pytest
from kb_support import add_article, reindex
from test_kb_call_suggestions import _suggested

from kit.db import BUSY_TIMEOUT_MS, connect
from kit.kb import context, suggestions
from tests.conftest import PASSWORD
from tests.serve_support import Server


@pytest.fixture
def searches(monkeypatch):
    """The suggestion searches the index answered, as (summary) per search."""
    seen: list[str] = []
    real = suggestions.suggest_ids

    def counting(searcher, text, *args, **kwargs):
        seen.append(text)
        return real(searcher, text, *args, **kwargs)

    monkeypatch.setattr(suggestions, "suggest_ids", counting)
    return seen


@pytest.fixture
def call_id(app, db, make_call):
    add_article(db, "Printer jams on double-sided copies", symptoms="The printer jams")
    reindex(app)
    return make_call("Printer in the office jams")


def test_opening_a_calls_page_again_does_not_search_its_suggestions_again(
    call_id, login, client, searches
):
    login("desk")
    first = _suggested(client.get(f"/calls/{call_id}").get_data(as_text=True))
    again = _suggested(client.get(f"/calls/{call_id}").get_data(as_text=True))
    assert first == again == ["Printer jams on double-sided copies"]
    assert len(searches) == 1


def test_a_changed_summary_is_searched_afresh(call_id, db, login, client, searches):
    login("desk")
    client.get(f"/calls/{call_id}")
    db.execute("UPDATE calls SET summary = 'Projector has no signal' WHERE id = ?", [call_id])
    client.get(f"/calls/{call_id}")
    assert searches[-1] == "Projector has no signal" and len(searches) == 2


def test_an_article_added_to_the_index_is_suggested_on_the_next_view(
    app, call_id, db, login, client, searches
):
    login("desk")
    client.get(f"/calls/{call_id}")
    add_article(db, "Office printer jams: clear the rear tray", symptoms="The printer jams")
    reindex(app)
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Office printer jams: clear the rear tray" in _suggested(html)
    assert len(searches) == 2


def test_an_article_the_index_does_not_hold_yet_brings_a_fresh_search(
    call_id, db, login, client, searches
):
    login("desk")
    client.get(f"/calls/{call_id}")
    add_article(db, "Office printer jams: clear the rear tray", symptoms="The printer jams")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)  # the index is rebuilt first
    assert "Office printer jams: clear the rear tray" in _suggested(html)
    assert len(searches) == 2


def test_a_retitled_article_shows_its_new_title_without_a_search(
    call_id, db, login, client, searches
):
    login("desk")
    client.get(f"/calls/{call_id}")
    db.execute("UPDATE articles SET title = 'Printer jams: duplex unit' WHERE id = 1")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert _suggested(html) == ["Printer jams: duplex unit"] and len(searches) == 1


def test_a_calls_first_view_in_another_process_reads_the_kept_suggestions(
    call_id, login, client, searches
):
    login("desk")
    first = _suggested(client.get(f"/calls/{call_id}").get_data(as_text=True))
    context._cache.clear()  # what another process, or this one restarted, holds
    again = _suggested(client.get(f"/calls/{call_id}").get_data(as_text=True))
    assert first == again == ["Printer jams on double-sided copies"]
    assert len(searches) == 1


def test_suggestions_kept_for_an_earlier_summary_are_searched_afresh(
    call_id, db, login, client, searches
):
    login("desk")
    client.get(f"/calls/{call_id}")
    db.execute("UPDATE calls SET summary = 'Projector has no signal' WHERE id = ?", [call_id])
    context._cache.clear()
    client.get(f"/calls/{call_id}")
    client.get(f"/calls/{call_id}")
    assert searches == ["Printer in the office jams", "Projector has no signal"]
    rows = db.execute("SELECT COUNT(*) FROM call_suggestions WHERE call_id = ?", [call_id])
    assert rows.fetchone()[0] == 1  # the earlier version's row replaced, not added to


def test_a_view_never_waits_for_the_write_lock_to_keep_its_suggestions(
    app, call_id, db, login, client, searches
):
    login("desk")
    other = connect(app.config["DATABASE"])
    other.execute("BEGIN IMMEDIATE")  # an import holding the lock
    try:
        started = time.perf_counter()
        html = client.get(f"/calls/{call_id}").get_data(as_text=True)
        waited = time.perf_counter() - started
    finally:
        other.execute("ROLLBACK")
        other.conn.close()
    assert _suggested(html) == ["Printer jams on double-sided copies"]
    assert waited < BUSY_TIMEOUT_MS / 1000 / 2
    assert db.execute("SELECT COUNT(*) FROM call_suggestions").fetchone()[0] == 0
    context._cache.clear()
    client.get(f"/calls/{call_id}")  # the lock free again: searched and kept this time
    assert db.execute("SELECT COUNT(*) FROM call_suggestions").fetchone()[0] == 1
    assert len(searches) == 2


def test_what_one_server_process_kept_is_what_another_shows_without_searching(
    app, call_id, db, users
):
    """Two `kit serve` processes on one school: the second shows the first one's kept
    suggestions. To tell reading from searching, the kept row is changed in between to an
    article that the call's words would never find."""
    users["desk"]
    lamp = add_article(db, "Projector lamp warning", symptoms="The lamp light blinks")
    reindex(app)
    first, second = Server(app.instance_path), Server(app.instance_path)
    try:
        desk = first.client()
        assert desk.login("desk", PASSWORD) == 302
        shown = _suggested(desk.get(f"/calls/{call_id}"))
        assert shown == ["Printer jams on double-sided copies"]
        db.execute(
            "UPDATE call_suggestions SET article_ids = ? WHERE call_id = ?", [f"[{lamp}]", call_id]
        )
        desk = second.client()
        assert desk.login("desk", PASSWORD) == 302
        assert _suggested(desk.get(f"/calls/{call_id}")) == ["Projector lamp warning"]
    finally:
        first.stop()
        second.stop()
