"""What was promised: what the member offered to send, and what the employer said they would do.

- a promise ("my portfolio", "to send two writing samples", "a case study") is the thing to attach:
  "send"/"share"/"forward" and a leading "to" are dropped, an article or "my" becomes "the" for
  "the ... I mentioned", and inflect tells "it" from "they"; a promise that is an action, not a
  thing ("to call next week"), cannot be attached: rephrase it;
- what the employer promised ("they will send the schedule by Friday") is what they would do, said
  to them: "send the schedule by Friday".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.drafts.addressee import to_addressee
from bot.drafts.fragments import (
    ENGINE,
    FUNCTION_WORDS,
    I_START,
    Fragment,
    lower_first_function_word,
    phrase,
    squash,
    strip_end,
    two_sentences,
)

_SEND_VERBS = re.compile(
    r"^(?:(?:i\s+(?:will|would|'ll|can|could)\s+|i'll\s+|i\s+promised\s+to\s+|promised\s+to\s+|to\s+)?"
    r"(?:send(?:\s+(?:over|along|you|them|him|her))?|share|forward|e-?mail|provide|attach|pass\s+along"
    r"|get\s+(?:you|them|him|her)|follow\s+up\s+with|include)\s+)",
    re.IGNORECASE,
)
_DETERMINERS = re.compile(
    r"^(?:the|a|an|my|our|some|this|these|those|that|one|two|three|four|five|six|several|a\s+few|a\s+couple\s+of|\d+)\s",
    re.IGNORECASE,
)
_HEAD_NOUN_STOP = re.compile(r"\s(?:of|from|for|on|about|that|which|with|in|to|showing|covering)\s", re.IGNORECASE)
_VAGUE = frozenset({"to", "it", "them", "something", "stuff", "things", "more", "info", "information", "details"})


@dataclass(frozen=True)
class Promise:
    """Something the user offered to send: `thing` ("the writing samples"), as typed ("two writing
    samples"), and whether it is plural (for "it"/"they")."""

    thing: str = ""
    typed: str = ""
    plural: bool = False
    problem: str = ""


def _head_noun(thing: str) -> str:
    head = _HEAD_NOUN_STOP.split(" " + thing + " ", maxsplit=1)[0].strip()
    return head.split()[-1] if head.split() else ""


def _is_plural(thing: str) -> bool:
    m = re.match(r"^(?:two|three|four|five|six|several|a\s+few|a\s+couple\s+of|some|these|those|\d+)\s", thing, re.I)
    if m and not thing.lower().startswith(("1 ", "one ")):
        return not thing.lower().startswith("some ") or _is_plural(thing[5:])
    noun = _head_noun(thing).lower()
    if not noun or not noun.endswith("s") or noun.endswith(("ss", "us", "is", "ics")):
        return False
    return bool(ENGINE.singular_noun(noun))


@lru_cache(maxsize=256)
def promise(text: str | None) -> Promise:
    """What the user offered to send, as "I've attached ___ I mentioned" takes it."""
    clean = strip_end(squash(text))
    if not clean:
        return Promise()
    typed = _SEND_VERBS.sub("", clean)
    typed = re.sub(r"\s+(?:i|we)\s+(?:mentioned|discussed|promised|talked\s+about)$", "", typed, flags=re.IGNORECASE)
    typed = re.sub(r"\s+(?:to\s+(?:you|them|him|her)|over|along)$", "", typed, flags=re.IGNORECASE)
    vague = all(w.lower() in FUNCTION_WORDS | _VAGUE for w in typed.split())
    if vague or re.match(r"^to\s", typed, re.IGNORECASE) or I_START.match(typed) or two_sentences(typed):
        return Promise(problem="make the promise the thing you will attach (e.g. promised: my portfolio)")
    typed = lower_first_function_word(typed)
    words = typed.split()
    first = words[0].lower() if words else ""
    if first in ("my", "our", "a", "an", "this", "that", "one"):
        thing = "the " + " ".join(words[1:])
    elif first in ("some",):
        thing = "the " + " ".join(words[1:])
    elif _DETERMINERS.match(typed):
        thing = typed if first == "the" else "the " + typed
    else:
        thing = "the " + typed
    if len(thing.split()) < 2:
        return Promise(problem="make the promise the thing you will attach (e.g. promised: my portfolio)")
    return Promise(thing=thing, typed=typed, plural=_is_plural(typed))


_MODAL = re.compile(
    r"^(?:(?:they|he|she|we)['’](?:ll|d)\s+|(?:(?:they|he|she|the\s+team|the\s+recruiter|[A-Z][\w'-]*)\s+)?"
    r"(?:will|'ll|would|should|said\s+(?:they|he|she)\s+(?:would|will|'d)|are\s+going\s+to|is\s+going\s+to"
    r"|plans?\s+to|promised\s+to|to)\s+)",
    re.IGNORECASE,
)
_PROMISE_VERBS = frozenset(
    {"send", "share", "get", "let", "call", "email", "e-mail", "reach", "follow", "decide", "come", "make",
     "schedule", "update", "circle", "contact", "reply", "respond", "confirm", "finalize", "finalise", "provide",
     "set", "give", "introduce", "connect", "forward", "check", "arrange", "book", "review", "post", "talk"}
)  # fmt: skip


def their_promise(text: str | None) -> Fragment:
    """What the employer said they would do, as "you mentioned that you would ___" takes it:
    "they will send the schedule by Friday" and "send the schedule by Friday" both read "send the
    schedule by Friday"; a thing ("feedback by Friday") reads "share feedback by Friday"; words
    pointing at them point at the reader ("their decision" is "your decision")."""
    clean = phrase(text)
    if not clean:
        return Fragment()
    if two_sentences(clean) or I_START.match(clean):
        return Fragment(problem="make what they promised one phrase (e.g. they-promised: send the schedule by Friday)")
    stripped = _MODAL.sub("", clean, count=1)
    first = stripped.split()[0].lower() if stripped.split() else ""
    if stripped == clean and first not in _PROMISE_VERBS:
        stripped = "share " + stripped
    return Fragment(to_addressee(stripped[0].lower() + stripped[1:]))
