"""Suggestions on the starter knowledge base finish, whatever the call says.

Whoosh's block-quality shortcut can loop for ever inside AndMaybe: the call page of a demo
call ("Hall sound system hums through the speakers", filed under projectors) hung the whole
server before searches stopped using it. Every demo call's summary against every category
must come back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_support import AT, reindex

from kit.assets import find
from kit.demo_school import CALLS
from kit.kb import files, index, search, suggestions

SUMMARIES = [summary for *_, summary, _details in CALLS if summary] + ["Projector no signal"]


@pytest.fixture
def searcher(app, db):
    files.load_starter_articles(db, find("knowledge_base"), None, AT)
    reindex(app)
    ix = index.open_index(index.index_dir(app), db)
    with ix.searcher() as searcher:
        yield searcher


@pytest.mark.timeout(60)
def test_every_call_summary_with_every_category_suggests_without_hanging(db, searcher):
    categories = [row[0] for row in db.execute("SELECT id FROM categories")]
    found = {
        (text, category): suggestions.suggest_ids(searcher, text, category)
        for text in SUMMARIES
        for category in categories
    }
    assert all(len(ids) <= 5 for ids in found.values())
    assert any(found.values())


@pytest.mark.timeout(30)
def test_a_pasted_code_with_words_searches_without_hanging(db, searcher):
    result = search.search(searcher, db, "0x80070005 access denied when saving outlook")
    assert result.total >= 1


@pytest.mark.timeout(60)
def test_the_index_that_hung_the_call_page_now_answers(tmp_path):
    """A copy of the demo school's index on which the shortcut looped (found 2026-12-01)."""
    import shutil

    from whoosh import index as whoosh_index

    copy = tmp_path / "kb_index"
    shutil.copytree(Path(__file__).parent / "data" / "kb_index_and_maybe_loop", copy)
    projectors = 2  # the category id of "Projector or interactive display" in that school
    with whoosh_index.open_dir(str(copy)).searcher() as searcher:
        found = suggestions.suggest_ids(
            searcher, "Hall sound system hums through the speakers", projectors
        )
    assert len(found) == 5
