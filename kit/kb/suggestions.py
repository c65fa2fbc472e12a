"""Articles suggested for a call, asked as a bounded question (while logging and on its page).

A call's summary is not a search someone is waiting to refine: its words are used as Lucene's
MoreLikeThis uses a document's (`kit.kb.query.distinctive_query`): only its rarest terms,
none held by a large share of the articles, with a small limit so that Whoosh may skip
blocks of articles that cannot reach the top. At 10,000 articles the call page's search
scored about 9,400 of them for a four-word summary ("screen" alone is in 5,853); bounded,
it scores the articles holding its rarer words.

Where the call belongs (its category, equipment, the room's equipment) nudges the order of
the best `NUDGE_WINDOW` only: it lifts an article about them a little but never above one
that matches what the caller said, and never adds candidates of its own. With fewer matches
than asked, the call's category, then those words, fill the list.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlite_utils import Database
from whoosh.query import And, ConstantScoreQuery, Or, Query, Term

from kit.kb import index, queries
from kit.kb.query import context_query, distinctive_fuzzy_query, distinctive_query, split_query
from kit.kb.search import Filters, filter_query, run

NUDGE_WINDOW = 10  # the best matches whose order where the call belongs may change


def suggest_ids(
    searcher: Any, text: str, category_id: int | None, *, context: str = "", limit: int = 5
) -> list[int]:
    """Published articles for a call: its distinctive words first, nudged by `context`
    (the category's name, its equipment's kind, a teaching space's kinds of equipment)."""
    flt = filter_query(Filters())
    terms = split_query(text)
    reader = searcher.reader()
    articles = reader.doc_count()
    nudge = context_query(context) if context else None
    ids: list[int] = []
    words = distinctive_query(terms, reader.doc_frequency, articles)
    if words is not None:
        ids = _nudged(searcher, words, nudge, flt, limit)
    if not ids:
        close = distinctive_fuzzy_query(
            terms,
            reader.doc_frequency,
            lambda word, slips: list(reader.terms_within("spell", word, slips, prefix=1)),
            articles,
        )
        if close is not None:
            ids = [int(h["id"]) for h in run(searcher, close, filter=flt, limit=limit)]
    fill = [q for q in (Term("category", str(category_id)) if category_id else None, nudge) if q]
    for query in fill:
        if len(ids) >= limit:
            break
        for hit in run(searcher, query, filter=flt, limit=limit):
            if int(hit["id"]) not in ids:
                ids.append(int(hit["id"]))
    return ids[:limit]


def _nudged(searcher: Any, words: Query, nudge: Query | None, flt: Query, limit: int) -> list[int]:
    """The best matches for the words, the first `NUDGE_WINDOW` reordered by the nudge.

    The nudge's score is added where it matches (as `AndMaybe(words, nudge)` would), but
    only for the window: Whoosh's shortcut cannot be used inside AndMaybe (it looped there).
    """
    hits = run(searcher, words, filter=flt, limit=max(limit, NUDGE_WINDOW) if nudge else limit)
    scores = {int(h["id"]): h.score for h in hits}
    if nudge is not None and scores:
        window = ConstantScoreQuery(Or([Term("id", str(i)) for i in scores]), 0.0)
        for hit in searcher.search(And([window, nudge]), limit=None):
            scores[int(hit["id"])] += hit.score
    return sorted(scores, key=lambda i: -scores[i])[:limit]


def suggested_ids(
    db: Database, text: str, category_id: int | None, *, context: str = "", limit: int = 5
) -> tuple[list[int], bool]:
    """Suggested article ids for this request, and whether the index found them (False:
    the SQL stand-in answered because the index is unavailable or failed)."""
    try:
        searcher = index.request_searcher()
        return suggest_ids(searcher, text, category_id, context=context, limit=limit), True
    except Exception as exc:
        if not isinstance(exc, index.IndexUnavailable):
            current_app.logger.exception("knowledge base suggestions failed for %r", text[:100])
            index.forget_kept(index.index_dir())  # a damaged index is checked again next time
        words = split_query(text).sql_words()[:3]
        return queries.search_sql(db, words, category_id=category_id, limit=limit), False


def suggest(
    db: Database, text: str, category_id: int | None, *, context: str = "", limit: int = 5
) -> list[dict]:
    """Suggested articles for this request (SQL when the index is unavailable or fails)."""
    ids, _indexed = suggested_ids(db, text, category_id, context=context, limit=limit)
    return articles_in_order(db, ids)


def articles_in_order(db: Database, ids: list[int]) -> list[dict]:
    """These articles' rows, in the order given (ids no longer in the database left out)."""
    articles = queries.get_articles(db, ids)
    return [articles[i] for i in ids if i in articles]
