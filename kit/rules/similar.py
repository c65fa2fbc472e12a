"""Earlier calls with similar symptoms: what the desk checks before passing a call on.

The framework asks the desk to look for the same fault on the same asset, in the same room,
in the same category, or described in similar words. Each of those adds to a score; a
shared category alone is too common to count, so it only strengthens another reason.
Pure rules: the calls are plain dicts, the caller fetches the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SAME_EQUIPMENT = 3.0
SAME_ROOM = 2.0
SAME_CATEGORY = 1.0
SUMMARY = 4.0  # times the share of the shorter summary's words found in the other
MIN_SCORE = 1.5  # above a shared category alone
LIMIT = 5

STOPWORDS = frozenset(
    """a an and are as at be but by can cant for from has have in into is it its not no of
    on or our the this to up was when will wont with does doesnt dont isnt my me we when
    again any all there they them their so just very too also""".split()
)


@dataclass(frozen=True)
class Match:
    """One earlier call, how alike it is, and why in words the desk reads."""

    call: Mapping[str, Any]
    score: float
    reasons: tuple[str, ...]


def words(text: str | None) -> frozenset[str]:
    """The meaningful words of a summary: lower case, no stop words, plural "s" dropped."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", (text or "").lower()):
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def shared_words(a: str | None, b: str | None) -> tuple[float, frozenset[str]]:
    """(share of the shorter text's words the other has, the words in common)."""
    left, right = words(a), words(b)
    common = left & right
    if not common:
        return 0.0, common
    return len(common) / min(len(left), len(right)), common


def _same(call: Mapping[str, Any], other: Mapping[str, Any], key: str) -> bool:
    return call.get(key) is not None and call.get(key) == other.get(key)


def score(call: Mapping[str, Any], other: Mapping[str, Any]) -> Match | None:
    """How alike `other` is to `call`, or None when it is not worth showing."""
    total, reasons = 0.0, []
    if _same(call, other, "equipment_id"):
        total += SAME_EQUIPMENT
        reasons.append("same equipment")
    if _same(call, other, "location_id"):
        total += SAME_ROOM
        reasons.append("same room")
    if _same(call, other, "category_id"):
        total += SAME_CATEGORY
        reasons.append("same category")
    share, common = shared_words(call.get("summary"), other.get("summary"))
    if common:
        total += SUMMARY * share
        reasons.append("similar summary: " + ", ".join(sorted(common)))
    if total < MIN_SCORE:
        return None
    return Match(call=other, score=round(total, 3), reasons=tuple(reasons))


def rank(
    call: Mapping[str, Any], candidates: Iterable[Mapping[str, Any]], limit: int = LIMIT
) -> list[Match]:
    """The most similar earlier calls, best first; among equals the most recent first."""
    matches = [
        m
        for other in candidates
        if other.get("id") != call.get("id") and (m := score(call, other)) is not None
    ]
    matches.sort(key=lambda m: str(m.call.get("logged_at") or ""), reverse=True)
    matches.sort(key=lambda m: m.score, reverse=True)
    return matches[:limit]
