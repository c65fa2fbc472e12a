"""Who a hand-typed caller could be: "Mrs Khan, ext 214" is probably Ayesha Khan on 214.

The desk types what the caller says: a courtesy title and a surname, a first name, a job
title ("the head of maths"), an extension. Each directory entry scores by what it shares
with that text:

- an extension or phone number: the person's phone ends with the digits typed (at least
  three digits, so "2" or "14" match nobody): 6;
- the surname (the last word of the name): 5; another word of the name: 3; the start of a
  name word, three letters or more ("Ayes"): 2;
- a word of the job title or department, four letters or more ("maths", "bursar"): 2.

Courtesy titles (Mr, Mrs, Dr...) and filler words ("ext", "from", "the") are ignored. A
person sharing nothing scores 0 and is never suggested. Suggestions are ranked by score,
then name, and at most `limit` are returned. The text is cut at 120 characters and to 12
words, so the cost is bounded by the number of people given. No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 120
MAX_WORDS = 12
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr doctor prof professor sir dame rev revd father fr madam".split()
)
FILLER = frozenset(
    "ext extn extension x tel phone on at from the of in and a an is for it room rm "
    "calling call about teacher staff".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True)
class TypedCaller:
    """The parts of what the desk typed that can match someone."""

    words: tuple[str, ...]
    digits: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    person: Mapping[str, Any]
    score: int
    reasons: tuple[str, ...]  # e.g. ("surname Khan", "extension 214")


def read_caller(text: str) -> TypedCaller:
    """Words (lower case, no courtesy titles or filler) and digit runs from typed text."""
    tokens = _TOKEN.findall(str(text or "")[:MAX_TEXT].casefold())[:MAX_WORDS]
    digits = tuple(t for t in tokens if t.isdigit() and len(t) >= 3)
    words = tuple(
        t
        for t in tokens
        if not t.isdigit() and t not in HONORIFICS and t not in FILLER and len(t) >= 2
    )
    return TypedCaller(words=words, digits=digits)


def _digits_of(phone: str) -> str:
    return "".join(ch for ch in str(phone or "") if ch.isdigit())


def score_person(typed: TypedCaller, person: Mapping[str, Any]) -> Suggestion:
    """How well one directory entry fits what was typed, and why."""
    display = _TOKEN.findall(str(person.get("name") or ""))
    names = [n.casefold() for n in display]
    surname = names[-1] if names else ""
    titles = {
        w
        for field in ("role", "department")
        for w in _TOKEN.findall(str(person.get(field) or "").casefold())
        if len(w) >= 4 and w not in FILLER
    }
    score, reasons = 0, []
    phone = _digits_of(person.get("phone", ""))
    for run in typed.digits:
        if phone and phone.endswith(run):
            score += 6
            reasons.append(f"extension {run}")
            break
    for word in dict.fromkeys(typed.words):
        if word == surname:
            score, reason = score + 5, f"surname {display[-1]}"
        elif word in names:
            score, reason = score + 3, f"name {display[names.index(word)]}"
        elif len(word) >= 3 and any(n.startswith(word) for n in names):
            score, reason = score + 2, f"name starting “{word}”"
        elif len(word) >= 4 and word in titles:
            score, reason = score + 2, f"job “{word}”"
        else:
            continue
        reasons.append(reason)
    return Suggestion(person=person, score=score, reasons=tuple(reasons))


def suggest_callers(
    text: str, people: Iterable[Mapping[str, Any]], limit: int = 5
) -> list[Suggestion]:
    """The people the typed caller could be, best first; empty when nothing fits."""
    typed = read_caller(text)
    if not typed.words and not typed.digits:
        return []
    scored = [score_person(typed, p) for p in people]
    found = [s for s in scored if s.score > 0]
    found.sort(key=lambda s: (-s.score, str(s.person.get("name") or "").casefold()))
    return found[:limit]
