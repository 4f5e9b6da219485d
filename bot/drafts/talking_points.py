"""What a note talks about: the topics discussed, a point the member wants to add, and news.

- a topic: a leading "about"/"discussing" is dropped; a topic that is a clause ("they migrated to
  Kubernetes") reads as "how they migrated ..."; one that starts with "I" or holds two sentences
  cannot be made into a phrase: rephrase it;
- a point is a sentence: a leading "that" (or "to add that") is dropped, it starts with a capital
  and ends with a full stop, a lone "i" is "I";
- news is what "I saw ___" takes: "that ..." for a clause, "the news of ..." for an achievement;
- in a note to the person a topic or piece of news belongs to, words pointing at that person point
  at the reader (addressee.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.drafts.addressee import agree_first, to_addressee
from bot.drafts.fragments import I_START, Fragment, phrase, squash, strip_end, two_sentences

_SUBJECT_START = re.compile(r"^(?:they|he|she|we|you|the\s+team|their\s+team|his\s+team|her\s+team)\b(?=\s+\w)",
                            re.IGNORECASE)  # a clause: its subject and more ("their team migrated")
_TOPIC_LEAD = re.compile(
    r"^(?:about|regarding|re:|discussing|discussed|we\s+discussed|we\s+talked\s+about|talked\s+about|on\s+the\s+topic\s+of)\s+",
    re.IGNORECASE,
)
_POINT_LEAD = re.compile(
    r"^(?:(?:i\s+(?:also\s+)?(?:wanted|want|meant|forgot)\s+to\s+(?:add|say|mention)|to\s+add|also|add)\s*(?:that\b|:)?\s*"
    r"|that\s+|:\s*)",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\w+ed|won|led|began|got|made|wrote|spoke|gave|became|took|ran|built|opened|raised|shipped|hit|grew|cut|"
    r"brought|taught|sold|drew|set|kept|found|went|did|saw|had|was|were|is|are|has|have|moved|joined"
)
_AUXILIARIES = frozenset({"did", "was", "were", "is", "are", "has", "have", "had"})
_ACHIEVEMENTS = re.compile(
    r"promotion|award|launch|release|funding|round|anniversary|milestone|acquisition|expansion|win|prize|"
    r"new\s+role|new\s+job|ipo|recognition|honou?r|appointment|grant",
    re.IGNORECASE,
)


def topic(text: str | None, *, to_owner: bool = False) -> Fragment:
    """A topic for "learning about ___" (see the module docstring)."""
    clean = _TOPIC_LEAD.sub("", squash(text))
    if not clean:
        return Fragment()
    if two_sentences(clean):
        return Fragment(problem="make the topic one phrase, not sentences (e.g. about the data platform migration)")
    clean = phrase(clean)
    if I_START.match(clean):
        return Fragment(problem="make the topic what was discussed, not what you did (e.g. about the launch plan)")
    if _SUBJECT_START.match(clean):
        clean = "how " + clean[0].lower() + clean[1:]
    if to_owner:
        clean = to_addressee(clean)
    return Fragment(clean)


@lru_cache(maxsize=256)
def point(text: str | None) -> Fragment:
    """An extra point to an answer, as a sentence (see the module docstring)."""
    clean = squash(text)
    for _ in range(2):
        clean = _POINT_LEAD.sub("", clean).strip()
    if not clean:
        return Fragment()
    clean = re.sub(r"(?<![\w'])i(?=(?:'m|'ve|'d|'ll)?(?![\w']))", "I", clean)
    lead = clean.split()[0].lower()
    if _PAST.fullmatch(lead) and lead not in _AUXILIARIES:
        clean = "I " + clean[0].lower() + clean[1:]
    clean = clean[0].upper() + clean[1:]
    if clean[-1] not in ".!?":
        clean = strip_end(clean)
        if not clean.endswith("."):
            clean += "."
    if len(clean.split()) < 3:
        return Fragment(problem="make the point a whole thought (e.g. point: I led a campaign that doubled sign-ups)")
    return Fragment(clean)


def news(text: str | None, *, to_owner: bool = False) -> Fragment:
    """Something new about the person or the company ("launched the mobile app", "her promotion to
    VP", "an article on fraud models", "Acme raised a Series B"), as the object of "I saw ___":
    a clause is "that ..." (a bare past-tense verb gets "your team" as its subject: every reader
    works there), an achievement is "the news of ...", another thing is itself with "the" (or
    "your" in its person's note)."""
    clean = phrase(text)
    if not clean:
        return Fragment()
    if two_sentences(clean) or I_START.match(clean):
        return Fragment(problem="make the news one phrase (e.g. news: launched the mobile app)")
    words = clean.split()
    first = words[0].lower()
    if _PAST.fullmatch(first):
        body = "that " + ("you " + agree_first(clean) if to_owner else "your team " + clean)
    elif _SUBJECT_START.match(clean) or any(_PAST.fullmatch(w.lower()) for w in words[1:3]):
        body = "that " + clean
    else:
        if first in ("a", "an", "the", "some", "my", "our"):
            clean = " ".join(words[1:])
            first = "the"
        possessive = first in ("your", "their", "his", "her", "its")
        thing = clean if possessive else ("your " if to_owner else "the ") + clean
        body = ("the news of " + thing) if _ACHIEVEMENTS.search(clean) else thing
    if to_owner:
        body = to_addressee(body)
    return Fragment(body)
