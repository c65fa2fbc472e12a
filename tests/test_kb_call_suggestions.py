"""Articles suggested for a call: once on its page, what it says first, where it is next."""

from __future__ import annotations

import re

import pytest
from kb_support import AT, reindex

from kit.assets import find
from kit.kb import files

PROJECTOR_ARTICLE = 'Projector or display shows "No signal"'


@pytest.fixture
def school(app, db, users):
    users["admin"]
    files.load_starter_articles(db, find("knowledge_base"), None, AT)
    reindex(app)
    room = (
        db["locations"]
        .insert({"site": "Main", "building": "Arts", "room": "A2", "teaching_space": 1})
        .last_pk
    )
    db["equipment"].insert({"asset_tag": "PRJ-7", "type": "Projector", "location_id": room})
    db["equipment"].insert({"asset_tag": "IWB-7", "type": "Interactive panel", "location_id": room})
    return {"room": room}


def _suggested(html: str) -> list[str]:
    section = html.split('id="kb-articles"')[1].split("Articles that may help")[1]
    section = section.split("</ul>")[0]
    return [re.sub(r"&#34;|&quot;", '"', t) for t in re.findall(r'call=\d+">([^<]+)</a>', section)]


def test_a_teaching_space_call_suggests_the_projector_article_first(
    school, make_call, login, client
):
    call_id = make_call(
        "Projector shows No signal",
        category="Teaching Space Technology",
        location_id=school["room"],
    )
    login("desk")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert _suggested(html)[0] == PROJECTOR_ARTICLE


def test_each_suggested_article_is_shown_once_on_the_call_page(school, make_call, login, client):
    call_id = make_call("Office copier jams on every double-sided copy")
    login("desk")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    suggested = _suggested(html)
    assert suggested and suggested[0] == "Paper jam in a printer or photocopier"
    for title in suggested:
        assert html.count(f">{title.replace(chr(34), '&#34;')}</a>") == 1, title


def test_a_vague_summary_in_a_teaching_space_suggests_the_rooms_equipment(
    school, make_call, login, client
):
    call_id = make_call(
        "Nothing works in here", category="Teaching Space Technology", location_id=school["room"]
    )
    login("desk")
    suggested = _suggested(client.get(f"/calls/{call_id}").get_data(as_text=True))
    assert any("Projector" in t or "panel" in t for t in suggested[:3]), suggested


def test_log_a_call_suggestions_use_the_room_and_asset_tag(school, db, login, client):
    login("desk")
    category = db.execute(
        "SELECT id FROM categories WHERE name = 'Teaching Space Technology'"
    ).fetchone()[0]
    found = client.get(
        "/kb/suggest.json",
        query_string={
            "q": "no picture",
            "category_id": category,
            "location_id": school["room"],
            "asset_tag": "PRJ-7",
        },
    ).get_json()
    assert found[0]["title"] == PROJECTOR_ARTICLE


@pytest.mark.parametrize("bad", ["x", "-1", "99999999999999999999", "1e3"])
def test_suggestions_ignore_ids_that_are_not_ids(school, login, client, bad):
    login("desk")
    response = client.get(
        "/kb/suggest.json", query_string={"q": "projector", "location_id": bad, "category_id": bad}
    )
    assert response.status_code == 200 and response.get_json()
