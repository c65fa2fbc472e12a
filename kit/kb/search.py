"""Finding articles: ranked search, snippets, "did you mean", and suggestions while logging.

How the words of a query are treated, as the desk types them:
- ordinary words are stemmed and ranked with BM25F ("printing" finds "printer"), an article
  matching more of them ranking higher; titles, tags and error messages weigh most;
- a quoted "phrase" and anything that looks like an error code (`0x80070005`, `E-501`)
  must appear exactly;
- with no result at all, words are matched loosely (fuzzy) and the page says so.
While the index is being rebuilt, `find` falls back to a plain SQL search.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database
from whoosh import highlight
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser
from whoosh.query import And, AndMaybe, FuzzyTerm, Or, Query, Term

from kit.kb import index, queries

FIELD_BOOSTS = {
    "title": 3.0,
    "errors": 4.0,
    "tags": 2.0,
    "applies": 1.5,
    "symptoms": 1.5,
    "cause": 1.0,
    "fix": 1.0,
}
SNIPPET_FIELDS = ("symptoms", "errors", "fix", "cause")
PAGE_SIZE = 10
CODE = re.compile(r"^(?=[\w.\-]*\d)[A-Za-z0-9][\w.\-]{3,}$")  # 4+ chars with a digit
QUOTED = re.compile(r'"([^"]+)"')
# Contractions typed without the apostrophe ("wont", "cant") carry no meaning to search on
# and would otherwise be "corrected" into unrelated words.
IGNORED = frozenset(
    {
        "cant",
        "cannot",
        "wont",
        "dont",
        "doesnt",
        "isnt",
        "didnt",
        "wasnt",
        "arent",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "hasnt",
        "havent",
        "im",
        "ive",
    }
)


@dataclass
class Filters:
    category_id: int | None = None
    equipment_type: str = ""
    audience: str = ""
    statuses: tuple[str, ...] = ("published",)


@dataclass
class Terms:
    """A query split into what must match exactly and what is ranked."""

    phrases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.codes or self.words)

    def text(self) -> str:
        return " ".join([*(f'"{p}"' for p in self.phrases), *self.codes, *self.words])


@dataclass
class Results:
    hits: list[dict[str, Any]]
    total: int
    page: int = 1
    pages: int = 1
    suggestion: str | None = None  # "did you mean"
    fuzzy: bool = False  # nothing matched exactly; these are close matches
    sql_fallback: bool = False  # the index was unavailable


def split_query(text: str) -> Terms:
    """Quoted phrases, error codes and words, with every bit of query syntax removed."""
    text = (text or "")[:300]
    terms = Terms()
    for phrase in QUOTED.findall(text):
        cleaned = " ".join(re.findall(r"[\w.\-]+", phrase))
        if cleaned:
            terms.phrases.append(cleaned.lower())
    for token in re.findall(r"[\w.\-']+", QUOTED.sub(" ", text)):
        token = token.strip(".-'").lower()
        if CODE.match(token):
            terms.codes.append(token)
        elif token and token.replace("'", "") not in IGNORED:
            terms.words.append(token.replace("'", ""))
    return terms


def _shortcut_is_safe(query: Query) -> bool:
    """Whether Whoosh may skip low-scoring blocks (much faster on 10,000 articles).

    Its shortcut loops for ever in AndMaybeMatcher.skip_to_quality on some indexes (a call
    page hung on "Hall sound system hums through the speakers" + its category), so a query
    holding an AndMaybe (exact phrases or codes with ranked words: few articles) scores
    every match instead.
    """
    return not isinstance(query, AndMaybe) and all(_shortcut_is_safe(q) for q in query.children())


def _run(searcher: Any, query: Query, **options: Any) -> Any:
    return searcher.search(query, optimize=_shortcut_is_safe(query), **options)


def _run_page(searcher: Any, query: Query, page: int, **options: Any) -> Any:
    return searcher.search_page(query, page, optimize=_shortcut_is_safe(query), **options)


def _parser(schema: Any) -> MultifieldParser:
    return MultifieldParser(
        list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS, group=OrGroup.factory(0.9)
    )


def build_query(schema: Any, terms: Terms) -> Query:
    """Exact phrases and codes are all required; words rank the articles that have them."""
    parser = _parser(schema)
    required = [parser.parse(f'"{p}"') for p in terms.phrases + terms.codes]
    ranked = parser.parse(" ".join(terms.words)) if terms.words else None
    if required and ranked is not None:
        return AndMaybe(And(required), ranked)
    return And(required) if required else ranked


def fuzzy_query(terms: Terms) -> Query | None:
    """Each word within one or two typing slips of a word in any article."""
    parts: list[Query] = [
        FuzzyTerm("spell", w, maxdist=1 if len(w) < 7 else 2, prefixlength=1)
        for w in terms.words
        if len(w) >= 4
    ]
    parts += [Term("errors", c) for c in terms.codes]
    return Or(parts) if parts else None


def filter_query(filters: Filters) -> Query:
    parts: list[Query] = [Or([Term("status", s) for s in filters.statuses])]
    if filters.category_id:
        parts.append(Term("category", str(filters.category_id)))
    if filters.equipment_type:
        parts.append(Term("equipment_type", filters.equipment_type.strip().lower()))
    if filters.audience:
        parts.append(Term("audience", filters.audience))
    return And(parts)


def did_you_mean(searcher: Any, terms: Terms) -> str | None:
    """The query with words no article contains replaced by close ones, if any."""
    if not terms.words:
        return None
    text = terms.text()
    query = QueryParser("spell", searcher.schema).parse(" ".join(terms.words))
    correction = searcher.correct_query(query, " ".join(terms.words), prefix=1)
    if correction.string.lower() == " ".join(terms.words):
        return None
    return text.replace(" ".join(terms.words), correction.string)


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
    if terms.empty:
        return browse(db, filters, page=page, page_size=page_size)
    flt = filter_query(filters)
    page = max(page, 1)
    query = build_query(searcher.schema, terms)
    shown = _run_page(searcher, query, page, pagelen=page_size, filter=flt, terms=True)
    fuzzy = False
    if shown.total == 0 and (alt := fuzzy_query(terms)) is not None:
        shown = _run_page(searcher, alt, page, pagelen=page_size, filter=flt, terms=True)
        fuzzy = shown.total > 0
    shown.results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=50)
    shown.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    articles = queries.get_articles(db, [int(h["id"]) for h in shown])
    hits = []
    for hit in shown:
        article = articles.get(int(hit["id"]))
        if article is not None:
            hits.append(article | {"snippet": _snippet(hit, article), "score": hit.score})
    total, page, pages = shown.total, max(shown.pagenum, 1), max(shown.pagecount, 1)
    return Results(
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        fuzzy=fuzzy,
        suggestion=did_you_mean(searcher, terms),
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


def suggest_ids(searcher: Any, text: str, category_id: int | None, *, limit: int = 5) -> list[int]:
    """Published articles for a call being logged: its words, favouring its category."""
    terms = split_query(text)
    flt = filter_query(Filters())
    in_category = Term("category", str(category_id)) if category_id else None
    query: Query | None = build_query(searcher.schema, terms) if not terms.empty else None
    if query is None and in_category is None:
        return []
    if query is None:
        return [int(h["id"]) for h in _run(searcher, in_category, filter=flt, limit=limit)]
    # The call's category first, then the best of the rest (two searches, not an AndMaybe).
    ids: list[int] = []
    tries = [And([query, in_category]), query] if in_category is not None else [query]
    for attempt in tries:
        for hit in _run(searcher, attempt, filter=flt, limit=limit):
            if int(hit["id"]) not in ids:
                ids.append(int(hit["id"]))
        if len(ids) >= limit:
            break
    if not ids and (alt := fuzzy_query(terms)) is not None:
        ids = [int(h["id"]) for h in _run(searcher, alt, filter=flt, limit=limit)]
    return ids[:limit]


def find(db: Database, text: str, filters: Filters, *, page: int = 1) -> Results:
    """Search for this request, falling back to SQL while the index is unavailable."""
    try:
        searcher = index.request_searcher()
    except index.IndexUnavailable:
        terms = split_query(text)
        result = browse(db, filters, page=page, words=terms.phrases + terms.codes + terms.words)
        result.sql_fallback = True
        return result
    return search(searcher, db, text, filters, page=page)


def suggest(db: Database, text: str, category_id: int | None, *, limit: int = 5) -> list[dict]:
    """Suggested articles for this request (SQL when the index is unavailable)."""
    try:
        ids = suggest_ids(index.request_searcher(), text, category_id, limit=limit)
    except index.IndexUnavailable:
        ids = queries.search_sql(
            db, split_query(text).words[:3], category_id=category_id, limit=limit
        )
    articles = queries.get_articles(db, ids)
    return [articles[i] for i in ids if i in articles]
