"""How search reads words: one analyser for indexing and for the query, everywhere.

The knowledge base (Whoosh) and the call log (SQLite FTS5) both turn text into the same
terms through `positions`, so what an article or a call says and what a person types meet
on the same forms:

- case and accents fold ("Café" is "cafe"), apostrophes go ("can't" is "cant");
- a hyphenated or dotted word is one position holding the joined word and its parts:
  "Wi-Fi" is "wifi" (also "wi", "fi"), "e-mail" is "email"; two words that a school writes
  either way ("wi fi", "log in", "set up") join the same way (`COMPOUNDS`);
- words are stemmed (Porter, with "-er" nouns folded onto their verb: "printer" is "print");
- an error code is kept whole and also found by its parts and digits: "0x80070005" holds
  "80070005", "ERR_CONNECTION_RESET" holds "err", "connect", "reset", "49.4C02" holds "4c02";
- a synonym group (school IT words, kept as data in `knowledge_base/synonyms.txt`) adds one
  marker term, "=" and the group's first word, to every member: "beamer" and "projector"
  share "=projector".

Cost: one regular expression pass and a stem per word (stems are cached); text is cut at
`MAX_CHARS` so a pasted log file costs the same as a page of it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem

MAX_CHARS = 100_000  # analysed per text; the rest of a pasted log is ignored
# Letters or digits, joined by . _ - : or an apostrophe (never at either end).
RAW = re.compile(r"[^\W_]+(?:(?:['’]|[._:\-]+)[^\W_]+)*")
SEPARATORS = re.compile(r"[._:\-]+")
HEX = re.compile(r"^0x([0-9a-f]{4,})$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Contractions typed without the apostrophe carry no meaning to search on.
CONTRACTIONS = frozenset(
    "cant cannot wont dont doesnt isnt didnt wasnt arent couldnt wouldnt shouldnt hasnt "
    "havent im ive its thats theres".split()
)
# What people add to every call ("it's not working, please help") says nothing about which.
FILLER = frozenset(
    "please help thanks thank hi hello urgent issue problem work working works".split()
)
STOPS = frozenset(STOP_WORDS) | CONTRACTIONS | FILLER | {"s", "t"}

# Written as one word or two: joined wherever the two appear side by side.
COMPOUNDS = frozenset(
    "wifi email login logon logout signin signout setup popup antivirus username password "
    "laptop desktop webcam whiteboard smartboard touchscreen headset headphones keyboard "
    "onedrive powerpoint chromebook ipad screensaver startup shutdown backup printout "
    "halfterm doublesided offline online".split()
)


@functools.lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    """Porter's stem, also folding "-er" nouns onto their verb ("printer", "printing": print).

    Porter keeps "printer" whole, but staff search "printing" for a printer fault, and
    "charger", "scanner" and "adapter" likewise.
    """
    root = stem(word)
    if len(root) >= 6 and root.endswith("er"):
        root = root[:-2]
    if len(root) >= 4 and root[-1] == root[-2] and root[-1] not in "aeioulsz":
        root = root[:-1]  # "scann" (scanning, scanner): scan
    return root


def fold(text: str) -> str:
    """Lower case without accents or control characters ("Café" -> "cafe")."""
    text = CONTROL.sub(" ", text)
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class Position:
    """One place in the text: its main term and the others found at the same place."""

    main: str
    start: int
    end: int
    alts: list[str] = field(default_factory=list)
    code: bool = False  # an error code or identifier: never stemmed, weighs more

    @property
    def terms(self) -> list[str]:
        return [self.main, *(a for a in self.alts if a != self.main)]


@dataclass(frozen=True)
class Synonyms:
    """Groups of words that mean the same thing to a school's desk.

    Each group is a tuple of phrases, each phrase the tuple of its stemmed main terms;
    the group's marker is "=" and its first phrase.
    """

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Synonyms:
        """One group a line, members separated by "/" or ","; "#" starts a comment."""
        groups = []
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            members = [m.strip() for m in re.split(r"[/,]", line) if m.strip()]
            phrases = []
            for member in members:
                mains = tuple(p.main for p in positions(member))
                if mains and mains not in phrases:
                    phrases.append(mains)
            if len(phrases) >= 2:
                groups.append(tuple(phrases))
        return cls(tuple(groups))

    @functools.cached_property
    def _by_first(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for group in self.groups:
            marker = "=" + "_".join(group[0])
            for phrase in group:
                index.setdefault(phrase[0], []).append((phrase, marker))
        return index

    def mark(self, found: list[Position]) -> None:
        """Add each matched group's marker to every position of the phrase it matched."""
        lookup = self._by_first
        if not lookup:
            return
        mains = [p.main for p in found]
        for i, position in enumerate(found):
            for phrase, marker in lookup.get(position.main, ()):
                if tuple(mains[i : i + len(phrase)]) == phrase:
                    for covered in found[i : i + len(phrase)]:
                        if marker not in covered.alts:
                            covered.alts.append(marker)


NO_SYNONYMS = Synonyms()


def _raw_words(text: str) -> Iterable[tuple[str, int, int]]:
    for match in RAW.finditer(text[:MAX_CHARS]):
        yield match.group(), match.start(), match.end()


def _position(raw: str, start: int, end: int) -> Position | None:
    found = _analysed(raw)
    if found is None:
        return None
    main, alts, code = found
    return Position(main, start, end, list(alts), code=code)


@functools.lru_cache(maxsize=100_000)
def _folded(raw: str) -> str:
    return fold(raw)


def _analyse(raw: str) -> tuple[str, tuple[str, ...], bool] | None:
    """(main term, other terms, is a code) for one raw word: the same word, the same terms."""
    word = _folded(raw).replace("'", "").replace("’", "")
    parts = [p for p in SEPARATORS.split(word) if p]
    if not parts:
        return None
    joined = "".join(parts)
    has_digit = any(c.isdigit() for c in word)
    if len(parts) == 1:
        if has_digit and len(word) >= 3 and not word.isdigit() or len(word) >= 6 and has_digit:
            hex_digits = HEX.match(word)
            alts = [hex_digits.group(1)] if hex_digits else []
            return word, tuple(alts), True
        if word in STOPS or not word.isalnum() or len(word) == 1 and not word.isdigit():
            return None
        return (word if word.isdigit() else stem_word(word)), (), False
    coded = has_digit or any(sep in word for sep in "._:")
    alts = []
    for part in parts:
        hex_digits = HEX.match(part)
        if hex_digits:
            alts.append(hex_digits.group(1))
        if part.isdigit() or any(c.isdigit() for c in part):
            alts.append(part)
        elif len(part) >= 2 and part not in STOPS:
            alts.append(stem_word(part))
    if coded:
        return word, tuple(alts), True
    return stem_word(joined), tuple(alts), False


# Cached apart from the rule so that `make mutation` can change the rule itself: mutmut
# leaves decorated functions alone.
_analysed = functools.lru_cache(maxsize=100_000)(_analyse)


def positions(text: str, synonyms: Synonyms = NO_SYNONYMS) -> list[Position]:
    """The text's positions in order, compounds joined and synonyms marked."""
    raws = list(_raw_words(text or ""))
    found: list[Position] = []
    i = 0
    while i < len(raws):
        raw, start, end = raws[i]
        if i + 1 < len(raws):
            first, second = _folded(raw), _folded(raws[i + 1][0])
            if first.isalpha() and second.isalpha() and first + second in COMPOUNDS:
                alts = [stem_word(w) for w in (first, second) if w not in STOPS and len(w) > 1]
                found.append(Position(stem_word(first + second), start, raws[i + 1][2], alts))
                i += 2
                continue
        position = _position(raw, start, end)
        if position is not None:
            found.append(position)
        i += 1
    synonyms.mark(found)
    return found


def terms(text: str, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """Every term of the text, as indexed (mains, parts, digits and synonym markers)."""
    return [term for position in positions(text, synonyms) for term in position.terms]


PASTE_LIMIT = 2000  # characters of a search box kept: a pasted log is searched on its start


def pasted_text(value: str | None) -> str | None:
    """A search box's text without control characters, cut to `PASTE_LIMIT` characters."""
    if value is None:
        return None
    return CONTROL.sub(" ", value[:PASTE_LIMIT])
