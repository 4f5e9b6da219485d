"""One `with:` that names several people: "Mr. James O'Connor Jr. <jim@acme.com>, maria lopez
(recruiter)" is two interviewers, each with their own title, e-mail and topic.

The rule, so that nothing is misread in silence:
- people are separated by a comma, " and " or " & " outside brackets, `<...>` and quotes;
- a comma before a suffix or a credential keeps it in the name ("Robert Hale, Jr.", "Ann Lee, PhD",
  "Lee, MBA"): the suffixes and credentials nameparser knows, written as credentials are (PhD,
  MBA, Jr., III), so a first name such as "Ed" is not taken for one;
- after "about", the words belong to the topic ("about pricing and hiring") until a part that
  brings its own e-mail, title in brackets or "about" starts the next person;
- whatever could be read two ways is refused with a hint to give each person their own `with:`:
  a part after a topic that looks like a name ("about pricing, Bob Roe"), a one-word part after a
  comma ("Lee, Ann" may be one person written surname first), a part that looks like a job title
  ("Jane Roe, Marketing Director").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nameparser.config import CONSTANTS

from bot.commands import GrammarError
from bot.typed_text import quoted

_OPEN = {"(": ")", "<": ">", '"': '"', "“": "”"}
_SEPARATOR = re.compile(r",|\s+(?:and|&)\s+", re.IGNORECASE)
_ABOUT = re.compile(r"(?:^|(?<=\s)|(?<=[)>]))about(?=\s|$)", re.IGNORECASE)
_MARKS = re.compile(r"[(<]|(?:^|\s)about(?:\s|$)", re.IGNORECASE)
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "esq", "junior", "senior", "jnr", "snr"})
_SUFFIXES = CONSTANTS.suffix_acronyms | CONSTANTS.suffix_not_acronyms
# Words of job titles: a part made of them is a title typed after a comma, not a person.
_TITLE_WORDS = frozenset(
    {"director", "manager", "engineer", "head", "lead", "vp", "ceo", "cto", "cfo", "coo", "cio", "recruiter",
     "analyst", "designer", "officer", "president", "partner", "founder", "cofounder", "co-founder",
     "coordinator", "specialist", "scientist", "developer", "architect", "consultant", "associate",
     "principal", "chief", "senior", "staff", "hr", "talent", "acquisition", "marketing", "sales", "product",
     "engineering", "operations", "finance", "team", "hiring", "intern", "administrator", "representative",
     "supervisor", "executive", "editor", "professor", "researcher", "advisor", "adviser", "owner", "chair",
     "recruiting", "people", "technical", "program", "project", "vice", "assistant", "of"}
)  # fmt: skip


@dataclass(frozen=True)
class _Part:
    text: str
    after_comma: bool  # the separator before it was a comma (not "and")


def _top_level(text: str) -> list[_Part] | None:
    """`text` cut at the separators outside brackets and quotes; None when a bracket is unclosed
    (the one-person reader then says which)."""
    parts: list[_Part] = []
    start, i, n = 0, 0, len(text)
    after_comma = False
    closing: list[str] = []
    while i < n:
        ch = text[i]
        if closing:
            if ch == closing[-1]:
                closing.pop()
            elif ch in "(<" and closing[-1] == ")":
                closing.append(_OPEN[ch])
            i += 1
            continue
        if ch in _OPEN:
            closing.append(_OPEN[ch])
            i += 1
            continue
        m = _SEPARATOR.match(text, i)
        if m:
            parts.append(_Part(text[start:i].strip(), after_comma))
            after_comma = m.group(0) == ","
            start = i = m.end()
            continue
        i += 1
    if closing:
        return None
    parts.append(_Part(text[start:].strip(), after_comma))
    return parts


def _is_suffix(part: str) -> bool:
    """"Jr.", "III", "PhD", "MBA" (written as a credential is: capitals, a dot, or a known
    generational word), not a first name that happens to be an acronym ("Ed")."""
    words = part.split()
    if not words:
        return False
    for word in words:
        key = word.strip(".").lower()
        if key not in _SUFFIXES:
            return False
        if key not in _GENERATIONAL and "." not in word and not any(c.isupper() for c in word[1:]):
            return False
    return True


def _looks_like_a_name(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words)


def _looks_like_a_title(part: str) -> bool:
    return any(w.strip(".,").lower() in _TITLE_WORDS for w in part.split())


def split_people(text: str) -> list[str] | GrammarError:
    """A `with:` value -> the text of each person it names (one element when it names one)."""
    parts = _top_level(text)
    if parts is None or len(parts) == 1:
        return [text]
    several = "; ".join(f"with: {quoted(part.text, 30)[1:-1]}" for part in parts[:3] if part.text)
    ambiguous = GrammarError(f"I can't tell who is who in {quoted(text, 60)}, so nothing was saved. Several "
                             f"people: {several}. One person: with: {quoted(text, 40)}, a title in brackets: "
                             "with: Jane Roe (Marketing Director).")
    people: list[str] = []
    in_topic = False
    for part in parts:
        if not part.text:
            return ambiguous
        if people and part.after_comma and _is_suffix(_before_marks(part.text)):
            if in_topic:
                return ambiguous
            people[-1] += ", " + part.text  # "Jr. <bob@x.example> about ops" still belongs to Bob
            in_topic = _ABOUT.search(people[-1]) is not None
            continue
        marked = _MARKS.search(part.text) is not None
        if in_topic and not marked:
            if _looks_like_a_name(part.text):
                return ambiguous  # "about pricing, Bob Roe": a topic's last word or a person?
            people[-1] += (", " if part.after_comma else " and ") + part.text
            continue
        if not marked and part.after_comma and (len(part.text.split()) == 1 or _looks_like_a_title(part.text)):
            return ambiguous  # "Lee, Ann" (surname first?), "Jane Roe, Marketing Director" (a title?)
        people.append(part.text)
        in_topic = _ABOUT.search(part.text) is not None
    if len(people) > 1 and any(_looks_like_a_title(_name_part(p)) and not _MARKS.search(p) for p in people):
        return ambiguous
    return people


def _before_marks(part: str) -> str:
    """The words of a part before its first bracket, e-mail or "about"."""
    m = _MARKS.search(part)
    return part[: m.start()].strip() if m else part


def _name_part(person: str) -> str:
    return _ABOUT.split(person, maxsplit=1)[0]
