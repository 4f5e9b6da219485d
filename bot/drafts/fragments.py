"""What the user typed, made into grammar before any template sees it: what every field shares.

People type fragments: "projects.", "that I led the migration", "to send two writing samples",
"about how their team migrated", "Acme, Inc.". Each field has one function that returns the words a
sentence can take as they are, or says which field to rephrase (`Fragment.problem`) when no rule can
make it read well; a draft then leaves that sentence out and says so. The fields' own rules are in
talking_points.py (topic, point, news), promises.py (what the member and the employer promised) and
company_and_role.py; addressee.py points words about a note's reader at the reader, and owners.py
reads which person a fragment is for. Every rule is table-tested in tests/test_fragments.py.

Rules every field follows:
- everything: spaces collapsed, surrounding quotes removed;
- a phrase used inside a sentence (topic, role, promise, news): no trailing punctuation, except the
  full stop of an abbreviation ("Acme Inc.", "N.A."), which a sentence does not double; a first
  word that is capitalised only because it was typed first ("The launch", "Our roadmap") is lower
  case;
- a noun phrase takes "a" or "an" as inflect says, by the letter sound of an all-capital first word
  ("an informational interview", "a UX role").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import inflect

ENGINE = inflect.engine()

_ABBREVIATIONS = frozenset(
    {"inc", "ltd", "co", "corp", "llc", "plc", "jr", "sr", "st", "dr", "mr", "ms", "mrs", "prof", "etc", "vs", "no"}
)
FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "our", "their", "your", "my", "his", "her", "its", "how", "what", "why", "when", "where",
     "which", "this", "that", "these", "those", "some", "new", "upcoming", "building", "working"}
)  # fmt: skip
# A fragment about the member themselves ("I led ...", "my answer ..."), not a phrase a sentence can take.
I_START = re.compile(r"^(?:i|i'm|i've|i'd|i'll|me|my\s+answer)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Fragment:
    """Words ready for a sentence (`text`), or `problem`: which field to rephrase, and why."""

    text: str = ""
    problem: str = ""

    def __bool__(self) -> bool:
        return bool(self.text)


def squash(text: str | None) -> str:
    """Spaces collapsed and surrounding quotes removed."""
    clean = " ".join((text or "").split())
    while len(clean) >= 2 and clean[0] in "\"'“‘" and clean[-1] in "\"'”’":
        clean = clean[1:-1].strip()
    return clean


def ends_with_abbreviation(text: str) -> bool:
    """Whether `text` ends with an abbreviation's full stop ("Acme Inc.", "N.A.")."""
    if not text.endswith("."):
        return False
    last = text.split()[-1] if text.split() else ""
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}", last):  # N.A., U.S., e.g.
        return True
    return last[:-1].lower().lstrip("(") in _ABBREVIATIONS


def strip_end(text: str) -> str:
    """No trailing punctuation, except an abbreviation's full stop ("Acme Inc.")."""
    clean = text.rstrip()
    while clean and clean[-1] in ".,;:!?-–—…" and not ends_with_abbreviation(clean):
        clean = clean[:-1].rstrip()
    return clean


def lower_first_function_word(text: str) -> str:
    """"The launch" -> "the launch": a first word capitalised only because it was typed first."""
    words = text.split(" ", 1)
    if words and words[0][:1].isupper() and words[0].lower() in FUNCTION_WORDS and not words[0].isupper():
        words[0] = words[0].lower()
    return " ".join(words)


def phrase(text: str | None) -> str:
    """A phrase for the middle of a sentence: squashed, no trailing punctuation, first word in the
    case it has inside a sentence."""
    return lower_first_function_word(strip_end(squash(text)))


def two_sentences(text: str) -> bool:
    """Whether `text` holds more than one sentence (an abbreviation's full stop ends none)."""
    for m in re.finditer(r"[.!?]\s+(?=[A-Za-z])", text):
        if not ends_with_abbreviation(text[: m.start() + 1]):
            return True
    return False


def article(noun_phrase: str) -> str:
    """"an informational interview", "a UX role": inflect's article, with the letter sound of an
    all-capital first word."""
    first = noun_phrase.split()[0] if noun_phrase.split() else ""
    if first.isupper() and len(first) > 1:
        return ("an " if first[0] in "AEFHILMNORSX" else "a ") + noun_phrase
    return ENGINE.a(noun_phrase)
