"""What every grammar does to the text a person typed: clean it, quote it back, check its length,
and find the word they probably meant."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from bot.commands import GrammarError
from bot.domain import LIMITS

TEXT_LIMITS: dict[str, int] = {
    **LIMITS,
    # Times, dates and durations stay text for the service to read; they are short.
    "when": 100,
    "decision": 100,
    "length": 40,
    "snooze": 100,
    "deadline": 100,
    "tz": 64,
}

LABELS: dict[str, str] = {
    "company": "Company",
    "role": "Role",
    "when": "When",
    "they-promised": "What they promised",
    "length": "Length",
    "topics": "Topics",
    "decision": "Decision",
    "promised": "Promised",
    "point": "Point",
    "name": "Name",
    "title": "An interviewer's title",
    "email": "An e-mail address",
    "topic": "An interviewer's topic",
    "phone": "Phone",
    "snooze": "A snooze",
    "deadline": "A deadline",
    "tz": "A time zone",
}


_BIDI_AND_BOM = {
    *range(0x202A, 0x202F),  # embeddings and overrides
    *range(0x2066, 0x206A),  # isolates
    0xFEFF,
}


def clean(text: str) -> str:
    """Drop what no value may hold (NUL and other control characters, lone surrogates, bidi
    overrides); tabs become spaces, line breaks become "\n" for the caller to decide."""
    if text.isprintable():
        return text  # the usual case; fast
    out: list[str] = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n":
            out.append(ch)
        elif ch in "\r\u2028\u2029":
            out.append("\n")
        elif ch in "\t\v\f\x85":
            out.append(" ")
        elif ord(ch) in _BIDI_AND_BOM or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str) -> str:
    return text.replace("\n", " ")


def quoted(text: str, limit: int = 40) -> str:
    """User text quoted back in an answer: one line, short."""
    text = " ".join(clean(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    word = word.lower()[:40]
    options = list(options)
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    if found:
        return found[0]
    if len(word) >= 2:
        starts = [o for o in options if o.startswith(word)]
        if len(starts) == 1:
            return starts[0]
    return None


def over_limit(key: str, value: str) -> GrammarError | None:
    limit = TEXT_LIMITS.get(key)
    if limit is not None and len(value) > limit:
        return GrammarError(f"{LABELS.get(key, key.capitalize())} is limited to {limit} characters.")
    return None


_PREFIXES = ("/interview", "interview")


def command_in(typed: str) -> str:
    """The command in what a member typed where the slash command is not needed (a DM, the
    console): `/interview list`, `interview list` and `list` are the same, a bare `/interview` is
    `help`, and blank text is ''. The same on every platform."""
    text = typed.strip()
    for prefix in _PREFIXES:
        if text.lower().startswith(prefix) and (len(text) == len(prefix) or text[len(prefix)].isspace()):
            return text[len(prefix):].strip() or "help"
    return text.lstrip("/").strip()
