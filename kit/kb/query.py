"""Turning what a person typed into a Whoosh query, without Whoosh's query language.

Nothing typed is ever parsed as syntax: `AND`, `title:`, `*`, `(` and quotes in odd places
are words or nothing, so no query can fail to parse. The words go through the same
analyser as the articles (`kit.kb.analysis`), then:
- each word matches in any field, weighted by `FIELD_BOOSTS` (title and keywords above the
  body); a word's parts and synonyms count a little less than the word itself;
- an article matching more of the words ranks higher (a coordination bonus), and the words
  side by side in its title, tags or symptoms more again (`PHRASE_BOOSTS`);
- a "quoted phrase" must appear as written.
A pasted error message is searched on its first `MAX_POSITIONS` words.

A call's suggestions ask a bounded question instead (`distinctive_query`, as Lucene's
MoreLikeThis does): only the call's rarest terms, so that at 10,000 articles a word found in
thousands of them never makes each of those a candidate to score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.query import And, AndMaybe, FuzzyTerm, Or, Phrase, Query, Term

from kit.kb import analysis
from kit.rules import words

FIELD_BOOSTS = {
    "title": 3.0,
    "tags": 2.5,
    "errors": 3.0,
    "applies": 1.2,
    "symptoms": 1.2,
    "cause": 0.7,
    "fix": 0.5,
}
PHRASE_BOOSTS = {"title": 4.0, "tags": 2.0, "symptoms": 2.0, "errors": 3.0}
ALT_WEIGHT = 0.5  # a word's parts ("wi", "fi" of "wi-fi")
SYNONYM_WEIGHT = 0.6  # another member of its synonym group
CODE_WEIGHT = 2.0  # an error code says more than any word
COORDINATION = 0.9
MAX_CHARS = 300  # of a query; a pasted message is searched on its beginning
MAX_POSITIONS = 16
QUOTED = re.compile(r'"([^"]+)"')
# Suggestions (`distinctive_query`): MoreLikeThis's maxQueryTerms and maxDocFreqPct, and
# the fields that say what a caller would see (the cause and fix say what to do about it).
SUGGEST_WORDS = 6
MAX_DOC_SHARE = 0.05
COMMON_FLOOR = 100  # a term in fewer articles than this is never too common to score
SUGGEST_FIELDS = {
    name: FIELD_BOOSTS[name] for name in ("title", "tags", "errors", "symptoms", "applies")
}


@dataclass
class Terms:
    """A query split into phrases that must appear and words that rank."""

    phrases: list[list[words.Position]] = field(default_factory=list)
    positions: list[words.Position] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)  # the words as typed, for "did you mean"

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.positions)

    def sql_words(self) -> list[str]:
        """Plain words for the SQL stand-in search while the index is unavailable."""
        return [w for w in self.typed if len(w) >= 2][:5]


def split_query(text: str) -> Terms:
    """The query's phrases and ranked words, through the shared analyser."""
    text = (text or "")[:MAX_CHARS]
    terms = Terms()
    for phrase in QUOTED.findall(text):
        found = analysis.query_positions(phrase)
        if found:
            terms.phrases.append(found[:MAX_POSITIONS])
    rest = QUOTED.sub(" ", text)
    terms.positions = analysis.query_positions(rest)[:MAX_POSITIONS]
    terms.typed = [w for w in re.findall(r"[^\W\d_]+", words.fold(rest)) if w not in words.STOPS][
        :MAX_POSITIONS
    ]
    return terms


def _term_weights(position: words.Position) -> list[tuple[str, float]]:
    main = CODE_WEIGHT if position.code else 1.0
    weighted = [(position.main, main)]
    for term in position.terms[1:]:
        weighted.append((term, SYNONYM_WEIGHT if term.startswith("=") else ALT_WEIGHT))
    return weighted


def position_query(position: words.Position, boosts: dict[str, float] = FIELD_BOOSTS) -> Query:
    """One word in any field, its parts and synonyms weighing less."""
    return Or(
        [
            Term(name, term, boost=boost * weight)
            for name, boost in boosts.items()
            for term, weight in _term_weights(position)
        ]
    )


def phrase_query(found: list[words.Position], boosts: dict[str, float], slop: int = 1) -> Query:
    """The words side by side (Whoosh's slop 1), or with `slop` - 1 words between."""
    if len(found) == 1:
        return position_query(found[0], boosts)
    mains = [p.main for p in found]
    return Or([Phrase(name, mains, slop=slop, boost=boost) for name, boost in boosts.items()])


def ranked_query(found: list[words.Position]) -> Query | None:
    """The words, each optional, more of them and side by side ranking higher."""
    if not found:
        return None
    parts = [position_query(p) for p in found]
    if len(found) >= 2:
        parts.append(phrase_query(found, PHRASE_BOOSTS, slop=2))
    return Or(parts, scale=COORDINATION)


def build_query(terms: Terms) -> Query | None:
    """Quoted phrases all required; the other words rank what has them."""
    required = [phrase_query(p, FIELD_BOOSTS, slop=1) for p in terms.phrases]
    ranked = ranked_query(terms.positions)
    if required:
        return AndMaybe(And(required), ranked) if ranked is not None else And(required)
    return ranked


def context_query(text: str, weight: float = 0.4) -> Query | None:
    """Words that say where a call belongs (category, equipment): a light nudge only."""
    found = list({p.main: p for p in analysis.query_positions(text)}.values())[:MAX_POSITIONS]
    if not found:
        return None
    boosts = {"applies": 1.5 * weight, "tags": 1.0 * weight, "title": 1.0 * weight}
    return Or([position_query(p, boosts) for p in found])


def fuzzy_query(terms: Terms) -> Query | None:
    """Each typed word within one or two typing slips of a word in any article."""
    parts: list[Query] = [
        FuzzyTerm("spell", w, maxdist=1 if len(w) < 7 else 2, prefixlength=1)
        for w in terms.typed
        if len(w) >= 4
    ]
    parts += [Term("errors", p.main) for p in terms.positions if p.code]
    return Or(parts) if parts else None


DocFrequency = Callable[[str, str], int]  # (field, term) -> articles holding it


def too_common(articles: int, share: float = MAX_DOC_SHARE) -> float:
    """Held by more articles than this, a term says too little to make them candidates."""
    return max(share * articles, COMMON_FLOOR)


def distinctive_query(
    terms: Terms,
    doc_frequency: DocFrequency,
    articles: int,
    *,
    share: float = MAX_DOC_SHARE,
    fields: dict[str, float] = SUGGEST_FIELDS,
) -> Query | None:
    """The call's words as a bounded query for its suggestions (as MoreLikeThis asks).

    Each word is looked for in `fields` only (`SUGGEST_FIELDS`), weighted as the search
    page weights them, quoted phrases ranking like other words. A word held in a field by
    more than `share` of the articles (and by more than `COMMON_FLOOR`) says little there
    and is left out of that field; of the rest, only the `SUGGEST_WORDS` words held by the
    fewest articles count. So a word found in thousands of articles never makes each of
    them a candidate, while a knowledge base of a few hundred articles keeps every word.
    The words side by side rank higher, in the fields where the rarest of them is not too
    common. When every word is too common, the one rarest (field, term) alone; None when
    no article holds any of them.
    """
    ceiling = too_common(articles, share)
    positions = [p for phrase in terms.phrases for p in phrase] + terms.positions
    kept: dict[int, list[tuple[int, Query]]] = {}
    common: list[tuple[int, Query]] = []
    for number, position in enumerate(positions[:MAX_POSITIONS]):
        for name, boost in fields.items():
            for term, weight in _term_weights(position):
                found = doc_frequency(name, term)
                pair = (found, Term(name, term, boost=boost * weight))
                if 0 < found <= ceiling:
                    kept.setdefault(number, []).append(pair)
                elif found:
                    common.append(pair)
    if not kept:  # every word too common: the rarest alone (one list, Whoosh skips blocks)
        return min(common, key=lambda pair: pair[0])[1] if common else None
    words = sorted(kept, key=lambda n: min(found for found, _ in kept[n]))[:SUGGEST_WORDS]
    parts: list[Query] = [Or([t for _, t in kept[n]]) for n in sorted(words)]
    mains = [p.main for p in positions[:MAX_POSITIONS]]
    if len(words) >= 2:
        for name, boost in PHRASE_BOOSTS.items():
            if 0 < min(doc_frequency(name, m) for m in mains) <= ceiling:
                parts.append(Phrase(name, mains, slop=2, boost=boost))
    return Or(parts, scale=COORDINATION) if parts else None


def distinctive_fuzzy_query(
    terms: Terms,
    doc_frequency: DocFrequency,
    close_words: Callable[[str, int], list[str]],
    articles: int,
) -> Query | None:
    """`fuzzy_query` for suggestions: only words no article has (typing slips), and only
    the close words and codes that are not too common. `close_words(word, maxdist)` lists
    the index's words within `maxdist` slips of `word` (Whoosh's `terms_within`)."""
    ceiling = too_common(articles)
    parts: list[Query] = []
    for typed in terms.typed:
        if len(typed) < 4 or doc_frequency("spell", typed):
            continue
        for close in close_words(typed, 1 if len(typed) < 7 else 2):
            if doc_frequency("spell", close) <= ceiling:
                parts.append(Term("spell", close))
    parts += [
        Term("errors", p.main)
        for p in terms.positions
        if p.code and 0 < doc_frequency("errors", p.main) <= ceiling
    ]
    return Or(parts) if parts else None
