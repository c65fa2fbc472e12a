"""A call's suggestions ask a bounded question: a word held by most articles does not make
each of them a candidate to score, while a word held by few still finds its article.

The index is written directly (as `rebuild_index` writes it) with 400 articles: every one
says "screen", three say "microphone".
"""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from kit.kb import index, suggestions
from kit.kb.query import build_query, distinctive_query, split_query

ARTICLES = 400
MICROPHONE = {"7", "150", "333"}


def _article(n: int) -> dict[str, str]:
    about = "microphone not picked up in meetings" if str(n) in MICROPHONE else "flickers"
    return {
        "id": str(n),
        "title": f"Classroom screen {about} (room {n})",
        "symptoms": f"The screen in room {n} {about}",
        "cause": "",
        "fix": "Check the screen's cable",
        "tags": "screen, display",
        "applies": "",
        "errors": "",
        "spell": f"screen {about}",
        "category": "1",
        "equipment_type": "",
        "location": "",
        "audience": "staff",
        "status": "published",
    }


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb_index")
    ix = whoosh_index.create_in(folder, index.make_schema())
    writer = ix.writer()
    for n in range(1, ARTICLES + 1):
        writer.add_document(**_article(n))
    writer.commit()
    with ix.searcher() as searcher:
        yield searcher


def _candidates(searcher, query) -> int:
    return 0 if query is None else len(searcher.search(query, limit=None))


def test_a_word_in_every_article_makes_no_article_a_candidate(searcher):
    terms = split_query("Screen microphone")
    reader = searcher.reader()
    assert _candidates(searcher, build_query(terms)) == ARTICLES  # the page's search
    bounded = distinctive_query(terms, reader.doc_frequency, reader.doc_count())
    assert _candidates(searcher, bounded) == len(MICROPHONE)


def test_a_distinctive_word_still_finds_its_articles_and_only_those(searcher):
    found = suggestions.suggest_ids(searcher, "Screen microphone", None, limit=5)
    assert sorted(found) == sorted(int(n) for n in MICROPHONE)


def test_a_call_of_only_common_words_searches_the_rarest_of_them_alone(searcher):
    reader = searcher.reader()
    query = distinctive_query(split_query("screen"), reader.doc_frequency, reader.doc_count())
    assert isinstance(query, Term) and query.text == "screen"
    assert len(suggestions.suggest_ids(searcher, "screen", None, limit=5)) == 5


def test_a_typing_slip_is_matched_to_the_rare_word_only(searcher):
    found = suggestions.suggest_ids(searcher, "micrphone", None, limit=5)
    assert set(found) == {int(n) for n in MICROPHONE}
