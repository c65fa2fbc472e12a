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
"""

from __future__ import annotations

import re
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
    found = analysis.query_positions(text)[:MAX_POSITIONS]
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
