"""The spelling check: which words of a draft no list knows, and what was probably meant.

Known words are SCOWL's "large" American and British lists (Debian's wamerican-large and
wbritish-large, see words/LICENSE-SCOWL.txt; words/en.txt), the words of careers and technology
SCOWL lacks (words/careers.txt), a few more (words/extra.txt), the names and words the user typed
for the interview, and the community's own word list that its admins keep (`admin words`).

Shapes that are names or acronyms rather than words are not checked: a word with a capital inside
(GitHub, HubSpot, iOS, McKinsey), an acronym (SQL, KPI) and its plural (KPIs), words with accents
or in other scripts. The user's own words and the community's also count with an ending (the
community's "Handshake" covers "Handshake's"; "zoomer", "zoomers"), and a closed compound of two
common words of four letters or more ("storyboarding", "moodboard") is a word.

A suggestion is the known word one edit away (a letter dropped, added, changed, or two swapped),
or two edits away for words of up to 8 letters: those with the same first letter first, then the
most common (word frequencies from pyspellchecker's English list).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ENDINGS = ("'s", "'", "s", "es", "ed", "d", "ing", "er", "ers", "ly")
WORD_LISTS = ("en.txt", "careers.txt", "extra.txt")
COMPOUND_PART = 4  # letters each part of a closed compound needs
COMPOUND_FREQUENCY = 1_000  # and how common each part must be (pyspellchecker's counts)


@dataclass(frozen=True)
class Misspelling:
    word: str  # as written
    suggestions: tuple[str, ...]  # most likely first; empty when nothing is close


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """Every known lowercase word (about 135,000), loaded once."""
    folder = resources.files("bot.drafts").joinpath("words")
    words: set[str] = set()
    for name in WORD_LISTS:
        text = folder.joinpath(name).read_text("utf-8")
        words.update(w.strip() for w in text.split("\n") if w.strip() and not w.startswith("#"))
    return frozenset(words)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    """How common each English word is (pyspellchecker's list), for ranking suggestions."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(distance=1).word_frequency.dictionary)


def words_of(text: str) -> set[str]:
    """The lowercase words of a user-given text (names, company, role, topics), for exclusion."""
    found = {w.lower().replace("’", "'") for w in _TOKEN.findall(text)}
    return found | {w.removesuffix("'s") for w in found}


def _is_name_or_acronym(word: str) -> bool:
    if len(word) < 2 or (word.isupper() and len(word) <= 6) or _ACRONYM_PLURAL.fullmatch(word):
        return True
    if any(c.isupper() for c in word[1:]):  # GitHub, iOS, McKinsey, SaaS
        return True
    return not word.replace("’", "'").isascii()  # accents and other scripts: not these lists' business


def _known(word: str, words: frozenset[str], own: set[str]) -> bool:
    low = word.lower().replace("’", "'")
    if low in words or low in own:
        return True
    for ending in ENDINGS:
        stem = low[: -len(ending)]
        if low.endswith(ending) and len(stem) >= 2:
            if ending in ("'s", "'") and stem in words:
                return True
            # the user's own word with an ending ("Grafanix's"); a dictionary word's own forms are
            # in the dictionary, so "brand" typed in a topic does not make "brandd" a word
            own_stem = stem if stem in own else stem + "e" if ending in ("ed", "ing", "er", "ers") else ""
            if own_stem in own and own_stem not in words:
                return True
    if "'" in low:  # a contraction the list lacks: its first part
        head = low.split("'", 1)[0]
        return head in words or head in own
    return _compound(low, words)


def _compound(low: str, words: frozenset[str]) -> bool:
    """Two common known words of four letters or more written as one ("storyboarding",
    "moodboard"); rare parts ("foll" + "lowing") do not make a word of a misspelling."""
    if len(low) < 2 * COMPOUND_PART:
        return False
    frequency = _frequencies()
    return any(low[:i] in words and low[i:] in words and frequency.get(low[:i], 0) >= COMPOUND_FREQUENCY
               and frequency.get(low[i:], 0) >= COMPOUND_FREQUENCY
               for i in range(COMPOUND_PART, len(low) - COMPOUND_PART + 1))


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in LETTERS}
            | {a + c + b for a, b in splits for c in LETTERS})


def suggestions(word: str, own: Iterable[str] = (), limit: int = 3) -> tuple[str, ...]:
    """The known words most likely meant by `word`, most common first, in `word`'s case."""
    for ending in ("'s", "’s"):
        if word.lower().endswith(ending) and len(word) > 3:
            return tuple(s + ending for s in suggestions(word[: -len(ending)], own, limit))
    low = word.lower()
    words = dictionary()
    extra = set(own)

    def known(candidates: Iterable[str]) -> set[str]:
        return {c for c in candidates if c in words or c in extra}

    first = _edits(low)
    found = known(first)
    if not found and len(low) <= 8:
        found = known(e2 for e1 in first for e2 in _edits(e1))
    frequency = _frequencies()
    ranked = sorted(found, key=lambda c: (c[:1] != low[:1], -frequency.get(c, 0), c))[:limit]
    if word[:1].isupper():
        ranked = [c[:1].upper() + c[1:] for c in ranked]
    return tuple(ranked)


def misspellings(text: str, excluded: Iterable[str], *, suggest: bool = True) -> list[Misspelling]:
    """Words of `text` no list knows (`excluded`: the user's and the community's own words), in
    order, once each, with what was probably meant."""
    words = dictionary()
    own = {w.lower() for w in excluded}
    clean = _URL.sub(" ", _EMAIL.sub(" ", text))
    seen: list[str] = []
    for word in _WORD.findall(clean):
        if _is_name_or_acronym(word) or word in seen or _known(word, words, own):
            continue
        seen.append(word)
    return [Misspelling(w, suggestions(w, own) if suggest else ()) for w in seen]


def misspelled(text: str, excluded: Iterable[str]) -> list[str]:
    """The misspelled words of `text` (see `misspellings`), without suggestions."""
    return [m.word for m in misspellings(text, excluded, suggest=False)]


__all__ = ["Misspelling", "dictionary", "misspelled", "misspellings", "suggestions", "words_of"]
