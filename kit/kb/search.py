"""Finding articles: ranked search, snippets, "did you mean", and suggestions while logging.

How a query's words are read and weighed is in `kit.kb.query` (the same analyser as the
articles: "wifi" finds "Wi-Fi", "beamer" finds "projector", "80070005" finds
"0x80070005"). Here:
- the best `RERANK_WINDOW` matches are nudged by how many calls each article solved;
- with no result at all, words are matched loosely (fuzzy) and the page says so;
- "did you mean" is offered only when almost nothing was found, and only a correction
  that finds more;
- a call's suggested articles ask a bounded question instead (`kit.kb.suggestions`);
- any failure of the index or of Whoosh falls back to a plain SQL search: no query ever
  fails the page.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlite_utils import Database
from whoosh import highlight
from whoosh.query import And, AndMaybe, Or, Query, Term

from kit.kb import index, queries
from kit.kb.query import Terms, build_query, fuzzy_query, split_query

SNIPPET_FIELDS = ("symptoms", "errors", "fix", "cause")
PAGE_SIZE = 10
RERANK_WINDOW = 30
SOLVED_WEIGHT = 0.05  # per doubling of the calls an article solved: a little, never a lot
FEW = 1  # found this many or fewer: offer "did you mean"


@dataclass
class Filters:
    category_id: int | None = None
    equipment_type: str = ""
    audience: str = ""
    statuses: tuple[str, ...] = ("published",)


@dataclass
class Results:
    hits: list[dict[str, Any]]
    total: int
    page: int = 1
    pages: int = 1
    suggestion: str | None = None  # "did you mean"
    fuzzy: bool = False  # nothing matched exactly; these are close matches
    sql_fallback: bool = False  # the index was unavailable


def _shortcut_is_safe(query: Query) -> bool:
    """Whether Whoosh may skip low-scoring blocks (much faster on 10,000 articles).

    Its shortcut loops for ever in AndMaybeMatcher.skip_to_quality on some indexes (a call
    page hung on "Hall sound system hums through the speakers" + its category), so a query
    holding an AndMaybe (exact phrases with ranked words: few articles) scores every match.
    """
    return not isinstance(query, AndMaybe) and all(_shortcut_is_safe(q) for q in query.children())


def run(searcher: Any, query: Query, **options: Any) -> Any:
    """Search, with Whoosh's shortcut wherever it is safe."""
    return searcher.search(query, optimize=_shortcut_is_safe(query), **options)


def filter_query(filters: Filters) -> Query:
    parts: list[Query] = [Or([Term("status", s) for s in filters.statuses])]
    if filters.category_id:
        parts.append(Term("category", str(filters.category_id)))
    if filters.equipment_type:
        parts.append(Term("equipment_type", filters.equipment_type.strip().lower()))
    if filters.audience:
        parts.append(Term("audience", filters.audience))
    return And(parts)


def _count(searcher: Any, query: Query | None, flt: Query) -> int:
    if query is None:
        return 0
    return len(run(searcher, query, filter=flt, limit=1))


@functools.lru_cache(maxsize=1)
def _english() -> Any:
    """An English word list (pyspellchecker's, loaded once: about a second)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def _misspelt(reader: Any, word: str) -> bool:
    """Neither an article nor the English dictionary has the word."""
    if len(word) < 4 or reader.frequency("spell", word):
        return False
    return not _english().known([word])


def did_you_mean(searcher: Any, terms: Terms, text: str, found: int, flt: Query) -> str | None:
    """The query with unknown words replaced by close ones, if that finds more."""
    if found > FEW or not terms.typed:
        return None
    corrector = searcher.corrector("spell")
    reader = searcher.reader()
    corrected = text
    changed = False
    for word in terms.typed:
        if not _misspelt(reader, word):
            continue
        close = corrector.suggest(word, limit=1, maxdist=1 if len(word) < 7 else 2, prefix=1)
        if close and close[0] != word:
            corrected = re.sub(rf"(?i)\b{re.escape(word)}\b", close[0], corrected, count=1)
            changed = True
    if not changed or corrected.lower() == text.lower():
        return None
    better = _count(searcher, build_query(split_query(corrected)), flt)
    return corrected if better > found else None


def _solved_counts(db: Database, ids: list[int]) -> dict[int, int]:
    return queries.solved_counts(db, ids) if ids else {}


def _ranked(searcher: Any, db: Database, query: Query, flt: Query, page: int, size: int):
    """The page's hits, the window at the top reordered a little by calls solved."""
    results = run(searcher, query, filter=flt, limit=max(RERANK_WINDOW, page * size), terms=True)
    hits = list(results)
    window = hits[:RERANK_WINDOW]
    solved = _solved_counts(db, [int(h["id"]) for h in window])

    def adjusted(hit: Any) -> float:
        return hit.score * (1 + SOLVED_WEIGHT * math.log2(1 + solved.get(int(hit["id"]), 0)))

    window.sort(key=adjusted, reverse=True)
    ordered = window + hits[RERANK_WINDOW:]
    return results, ordered[(page - 1) * size : page * size]


def _snippet(hit: Any, article: dict[str, Any]) -> str | None:
    """Highlighted HTML (escaped by Whoosh) from the first field where a term matched."""
    for name in SNIPPET_FIELDS:
        source = article["error_messages"] if name == "errors" else article[name]
        if name == "fix":
            source = re.sub(r"[*_`#>]+", "", source)
        if source:
            html = hit.highlights(name, text=source, top=2)
            if html:
                return html
    return None


def search(
    searcher: Any,
    db: Database,
    text: str,
    filters: Filters | None = None,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Results:
    """One page of ranked articles, snippets only for that page, solved counts attached."""
    filters = filters or Filters()
    terms = split_query(text)
    query = build_query(terms)
    if query is None:
        return browse(db, filters, page=page, page_size=page_size)
    flt = filter_query(filters)
    page = max(page, 1)
    results, shown = _ranked(searcher, db, query, flt, page, page_size)
    fuzzy = False
    if len(results) == 0 and (alt := fuzzy_query(terms)) is not None:
        results, shown = _ranked(searcher, db, alt, flt, page, page_size)
        fuzzy = len(results) > 0
    results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=50)
    results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    articles = queries.get_articles(db, [int(h["id"]) for h in shown])
    hits = []
    for hit in shown:
        article = articles.get(int(hit["id"]))
        if article is not None:
            hits.append(article | {"snippet": _snippet(hit, article), "score": hit.score})
    total = len(results)
    pages = max(math.ceil(total / page_size), 1)
    exact = 0 if fuzzy else total
    return Results(
        hits=hits,
        total=total,
        page=min(page, pages),
        pages=pages,
        fuzzy=fuzzy,
        suggestion=did_you_mean(searcher, terms, text, exact, flt),
    )


def browse(
    db: Database,
    filters: Filters,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    words: list[str] | None = None,
) -> Results:
    """Articles without ranking (no query, or no index): most often solving first."""
    ids = queries.search_sql(
        db,
        words or [],
        statuses=filters.statuses,
        audience=filters.audience,
        category_id=filters.category_id,
        equipment_type=filters.equipment_type,
        limit=1000,
    )
    pages = max(math.ceil(len(ids) / page_size), 1)
    page = min(max(page, 1), pages)
    shown = ids[(page - 1) * page_size : page * page_size]
    articles = queries.get_articles(db, shown)
    hits = [articles[i] | {"snippet": None} for i in shown if i in articles]
    return Results(hits=hits, total=len(ids), page=page, pages=pages)


def _sql_fallback(db: Database, text: str, filters: Filters, page: int) -> Results:
    result = browse(db, filters, page=page, words=split_query(text).sql_words())
    result.sql_fallback = True
    return result


def find(db: Database, text: str, filters: Filters, *, page: int = 1) -> Results:
    """Search for this request; while the index is unavailable, or Whoosh fails on some
    input, a plain SQL search answers instead (and the failure is logged)."""
    try:
        return search(index.request_searcher(), db, text, filters, page=page)
    except index.IndexUnavailable:
        return _sql_fallback(db, text, filters, page)
    except Exception:  # the search library must never fail a page
        current_app.logger.exception("knowledge base search failed for %r", text[:100])
        index.forget_kept(index.index_dir())  # a damaged index is checked again next time
        return _sql_fallback(db, text, filters, page)
