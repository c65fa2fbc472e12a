"""The call log's search finds a call by anything the desk might remember about it."""

from __future__ import annotations

import pytest
from kb_support import route_to_service_delivery

from kit.calls import log_store, search_store
from kit.calls import store as calls
from kit.db import migrate


@pytest.fixture
def place(db):
    room = (
        db["locations"]
        .insert({"site": "Main", "building": "Science block", "room": "S4", "teaching_space": 1})
        .last_pk
    )
    item = (
        db["equipment"]
        .insert(
            {
                "asset_tag": "PRJ-0042",
                "type": "Projector",
                "make": "Epson",
                "model": "EB-695Wi",
                "location_id": room,
            }
        )
        .last_pk
    )
    return {"room": room, "equipment": item}


@pytest.fixture
def logged(make_call, place, db, users, clock):
    ids = {
        "wifi": make_call(
            "Wi-Fi drops in the library",
            category="Network or Wi-Fi",
            caller_name="Bea Librarian",
            caller_email="b.librarian@school.example",
        ),
        "copier": make_call("Office copier jams", details="Tray 2 again, error 49.4C02"),
        "projector": make_call(
            "No picture in S4",
            category="Teaching Space Technology",
            location_id=place["room"],
            equipment_id=place["equipment"],
        ),
        "outlook": make_call(
            "Outlook will not send", category="Email", details="It shows 0x80070005"
        ),
        "other": make_call("Laptop will not charge", category="Computer or laptop fault"),
    }
    calls.add_event(
        db,
        ids["other"],
        user_id=users["desk"],
        at=clock(),
        kind="note",
        text="Replaced the charger; the beamer cable was also loose",
    )
    return ids


def found(db, text: str, **filters) -> set[int]:
    rows, _total = log_store.search_calls(
        db, log_store.CallFilter(text=text, **filters), page_size=100
    )
    return {r["id"] for r in rows}


@pytest.mark.parametrize(
    ("text", "which"),
    [
        ("wifi", "wifi"),
        ("wi fi library", "wifi"),
        ("WI-FI", "wifi"),
        ("Bea", "wifi"),
        ("librarian", "wifi"),
        ("b.librarian@school.example", "wifi"),
        ("printer", "copier"),  # its category is "Printer or copier"
        ("photocopier jam", "copier"),
        ("49.4C02", "copier"),
        ("Science block", "projector"),
        ("S4", "projector"),
        ("PRJ-0042", "projector"),
        ("epson", "projector"),
        ("EB-695Wi", "projector"),
        ("beamer", "projector"),  # synonym of its equipment's kind
        ("80070005", "outlook"),
        ("0x80070005", "outlook"),
        ("charger", "other"),  # in a note
        ("proj", "projector"),  # the start of a word, as it is typed
    ],
)
def test_the_call_log_finds_a_call_by_what_people_remember(db, logged, text, which):
    assert logged[which] in found(db, text)


def test_every_word_typed_must_match(db, logged):
    assert found(db, "copier library") == set()


def test_a_change_to_a_call_is_found_at_once(db, logged, users, clock):
    calls.update_call(
        db,
        logged["wifi"],
        {"summary": "Wi-Fi slow in the hall"},
        user_id=users["desk"],
        at=clock(),
    )
    assert found(db, "hall") == {logged["wifi"]}
    assert logged["wifi"] not in found(db, "drops")


def test_renaming_a_room_finds_its_calls_by_the_new_name(db, logged, place):
    db["locations"].update(place["room"], {"room": "Physics lab"})
    assert found(db, "physics") == {logged["projector"]}


def test_a_migration_makes_existing_calls_searchable(db, logged):
    db.execute("DROP TABLE call_search")
    db.execute("DROP TABLE call_search_pending")
    for name in ("new_call", "changed_call", "note", "place", "equipment", "category"):
        db.execute(f"DROP TRIGGER call_search_{name}")
    db.execute("DELETE FROM _sqlite_migrations WHERE migration_set = 'kit-call-search'")
    migrate(db)
    assert db.execute("SELECT COUNT(*) FROM call_search_pending").fetchone()[0] == 0
    assert found(db, "wifi") == {logged["wifi"]}


def test_a_technician_finds_only_calls_routed_to_them(db, logged, login, client):
    route_to_service_delivery(db, logged["copier"])
    login("technician")
    html = client.get("/calls/?q=printer+OR+wifi+OR+copier").get_data(as_text=True)
    assert "Office copier jams" not in html  # every word must match: nothing
    html = client.get("/calls/?q=copier").get_data(as_text=True)
    assert "Office copier jams" in html
    assert "Wi-Fi drops" not in client.get("/calls/?q=wifi").get_data(as_text=True)


def test_a_typed_reference_opens_that_call(db, logged, login, client):
    ref = db["calls"].get(logged["outlook"])["ref"]
    login("desk")
    response = client.get("/calls/", query_string={"q": ref})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/calls/{logged['outlook']}")


def test_a_technician_typing_a_reference_not_routed_to_them_gets_the_log(db, logged, login, client):
    ref = db["calls"].get(logged["outlook"])["ref"]
    login("technician")
    response = client.get("/calls/", query_string={"q": ref})
    assert response.status_code == 200
    assert "Outlook will not send" not in response.get_data(as_text=True)


def test_a_typed_asset_tag_lists_that_assets_calls(db, logged, login, client):
    login("desk")
    response = client.get("/calls/", query_string={"q": "prj-0042"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No picture in S4" in html and "Office copier jams" not in html


@pytest.mark.parametrize(
    "text", ['"', "AND", "NEAR(a b)", "a OR b", "ref:x", "*", "^x", "-x", "(", "{a b}", "'"]
)
def test_fts_syntax_typed_is_searched_as_words(db, logged, text):
    found(db, text)  # raises sqlite3.OperationalError if any of it reached FTS5 as syntax
    assert search_store.match_query(text).count('"') % 2 == 0


def test_a_search_shows_the_latest_matching_calls_first(db, logged, login, client, make_call):
    newest = make_call("Wi-Fi gone in the hall", category="Network or Wi-Fi")
    login("desk")
    html = client.get("/calls/?q=wifi").get_data(as_text=True)
    assert html.index("Wi-Fi gone in the hall") < html.index("Wi-Fi drops in the library")
    assert newest


def test_a_search_matching_very_many_calls_says_so(db, logged, login, client, make_call):
    make_call("Wi-Fi slow in the hall", category="Network or Wi-Fi")
    login("desk")
    assert "More than" not in client.get("/calls/?q=wifi").get_data(as_text=True)
    log_store.COUNT_CAP, cap = 1, log_store.COUNT_CAP
    try:
        html = client.get("/calls/?q=wifi").get_data(as_text=True)
    finally:
        log_store.COUNT_CAP = cap
    assert "More than 1 calls match" in html


def test_a_rebuild_writes_in_batches_so_the_desk_can_save_between_them(db, logged, monkeypatch):
    monkeypatch.setattr(search_store, "REBUILD_BATCH", 1)
    db.execute("DELETE FROM call_search")
    seen = []

    def between_batches(count):
        # the write lock is free here: a desk save in another transaction gets through
        assert not db.conn.in_transaction
        seen.append(count)

    total = db["calls"].count
    assert search_store.queue_all(db) == total
    assert search_store.rebuild(db, progress=between_batches) == total
    assert seen == [1] * total
    assert found(db, "wifi") == {logged["wifi"]}


def test_kit_reindex_shows_the_calls_it_indexed(app, db, logged):
    from kit.cli import reindex

    result = app.test_cli_runner().invoke(reindex, [])
    assert result.exit_code == 0, result.output
    assert "Indexing calls" in result.output
    assert f"Indexed {db['calls'].count} calls." in result.output
    assert found(db, "wifi") == {logged["wifi"]}
