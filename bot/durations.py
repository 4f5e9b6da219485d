"""Lengths of time as people type them: "45m", "1h30", "1.5h", "an hour", "3d", "90" (minutes)."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.time_words import (
    DURATION_EXAMPLES,
    MAX_INPUT,
    NUM_ALT,
    UNIT_ALT,
    UNITS,
    TimeError,
    normalize,
    number,
    quote_input,
    unreadable,
)

MAX_DURATION = timedelta(days=366)

_DURATION_PART = re.compile(rf"(?P<n>{NUM_ALT})\s*(?P<unit>{UNIT_ALT})\b")


def parse_duration(text: str) -> timedelta | TimeError:
    """A positive length of time: "45m", "45 min", "1h30", "1.5h", "2h", "3d", "1 week", "1:30",
    "an hour", "half an hour"; a bare number is minutes ("90"). At most 366 days."""
    try:
        if len(text) > MAX_INPUT:
            return TimeError(f"{quote_input(text)} is too long to be a duration. Try {DURATION_EXAMPLES}.")
        norm = normalize(text)
        norm = re.sub(r"^(?:in|for|after)\s+", "", norm)
        norm = re.sub(r"\s+(?:from now|later)$", "", norm)
        total = span_of(norm)
        if total is None:
            return unreadable(text, "a duration", DURATION_EXAMPLES)
        if total <= timedelta(0):
            return TimeError(f"{quote_input(text)} is no time at all. Try {DURATION_EXAMPLES}.")
        if total > MAX_DURATION:
            return TimeError(f"{quote_input(text)} is too long; the most is 366 days.")
        return total
    except Exception:  # pragma: no cover - a last guard
        return unreadable(text, "a duration", DURATION_EXAMPLES)


def span_of(norm: str) -> timedelta | None:
    if not norm:
        return None
    if re.fullmatch(r"\d{1,7}", norm):
        return timedelta(minutes=int(norm))
    if match := re.fullmatch(r"(\d{1,4}):(\d{2})", norm):
        return timedelta(hours=int(match[1]), minutes=int(match[2])) if int(match[2]) < 60 else None
    if match := re.fullmatch(r"(\d{1,4})\s*h(?:ours?|rs?)?\s*(\d{1,2})", norm):  # 1h30
        return timedelta(hours=int(match[1]), minutes=int(match[2])) if int(match[2]) < 60 else None
    if norm in ("half an hour", "half hour", "a half hour"):
        return timedelta(minutes=30)
    if norm in ("half a day", "half day"):
        return timedelta(hours=12)
    pos, total = 0, timedelta(0)
    rest = norm.replace(" and ", " ")
    for match in _DURATION_PART.finditer(rest):
        if rest[pos : match.start()].strip():
            return None
        amount = number(match["n"])
        if amount > 1_000_000:
            return None
        total += timedelta(**{UNITS[match["unit"]]: amount})
        pos = match.end()
    if pos == 0 or rest[pos:].strip():
        return None
    return total
