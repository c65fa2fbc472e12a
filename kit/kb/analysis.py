"""The school's analyser as Whoosh sees it, and the synonym table it reads.

`kit.rules.words` decides what the terms of a text are; this module hands them to Whoosh
(with positions and character offsets, so phrases and highlighting work) and loads the
synonyms from `knowledge_base/synonyms.txt`. `version()` names the analyser and the synonym
table together: an index built under another version is rebuilt on its next use, so a
school that upgrades the kit or edits its synonyms never searches with stale terms.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, Token

from kit.assets import find
from kit.rules import words

# Raise when `kit.rules.words` changes what terms a text gives.
ANALYSER_VERSION = "school-1"


def synonyms_path() -> Path:
    return find("knowledge_base") / "synonyms.txt"


@functools.lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> tuple[words.Synonyms, str]:
    text = Path(path).read_text(encoding="utf-8") if stamp else ""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return words.Synonyms.parse(text), f"{ANALYSER_VERSION}:{digest}"


def _loaded() -> tuple[words.Synonyms, str]:
    path = synonyms_path()
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = 0.0
    return _load(str(path), stamp)


def synonyms() -> words.Synonyms:
    """The synonym table (re-read when the file changes)."""
    return _loaded()[0]


def version() -> str:
    """The analyser and synonym table an index must have been built with."""
    return _loaded()[1]


def query_positions(text: str) -> list[words.Position]:
    """A query's positions, with synonyms marked, exactly as its words were indexed."""
    return words.positions(text, synonyms())


class SchoolAnalyzer(Analyzer):
    """Whoosh's view of `kit.rules.words.positions` (pickled into the index's schema)."""

    def __init__(self, version: str = "") -> None:
        self.version = version

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SchoolAnalyzer) and other.version == self.version

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for number, position in enumerate(words.positions(value or "", synonyms())):
            for term in position.terms:
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = term
                if positions:
                    token.pos = start_pos + number
                if chars:
                    token.startchar = start_char + position.start
                    token.endchar = start_char + position.end
                yield token
