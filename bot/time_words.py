"""The words of times and durations ("tomorrow", "Tue", "hrs", "a couple of"), the clean-up every
reading starts with, and the answer for text that cannot be read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_INPUT = 200  # longer input is refused without parsing

TIME_EXAMPLES = '"tomorrow 2pm", "next Tuesday 10:30" or "2026-12-03 14:00"'
DATE_EXAMPLES = '"next Friday", "Dec 12" or "2026-12-12"'
DURATION_EXAMPLES = '"45m", "1h30" or "3d"'
SNOOZE_EXAMPLES = '"2h", "3d", "tomorrow 9am" or "Monday 10:00"'


@dataclass(frozen=True)
class TimeError:
    """Input that could not be read; `message` is ready to show to the user."""

    message: str

    def __str__(self) -> str:
        return self.message


def quote_input(text: str, limit: int = 60) -> str:
    """The user's text, shortened and on one line, for quoting it back."""
    clean = "".join(ch if ch.isprintable() else " " for ch in text)
    clean = " ".join(clean.split())
    if len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return f'"{clean}"'


def unreadable(text: str, what: str, examples: str) -> TimeError:
    if not text or not text.strip():
        noun = what.removeprefix("a ").removeprefix("an ")
        return TimeError(f"No {noun} given. Try {examples}.")
    return TimeError(f"I couldn't read {quote_input(text)} as {what}. Try {examples}.")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").lower()
    text = re.sub(r"\b([ap])\.\s?m\.?(?=\s|$|,)", r"\1m", text)
    text = re.sub(r"[,;]+", " ", text)
    text = " ".join(_spelled(word) for word in text.split())
    text = _END_OF_DAY.sub("5pm", text)
    text = _END_OF_WEEK.sub("this friday", text)
    return text.strip(" .")


# "EOD Friday", "by COB tomorrow", "end of day": the end of a working day, 5pm; "end of the week":
# the coming Friday, today included.
_END_OF_DAY = re.compile(r"\b(?:eod|cob|eob|end of (?:the )?(?:business |working |work )?day|close of business)\b")
_END_OF_WEEK = re.compile(r"\b(?:eow|end of (?:the |this )?(?:work |working |business )?week)\b")


# Day and month names people mistype ("tommorow", "wensday", "yesturday", "Febuary"). A word that
# is none of the known words, starts with the name's first letter ("blursday" is a joke, not a slip)
# and is within one slip (two for a name of eight letters or more) of
# one of these, nearer than to any other, reads as it ("thuesday", as near Tuesday as Thursday, does
# not); every reading is said back under "I read", so a wrong guess shows.
_SPELLED = ("today", "tonight", "tomorrow", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday", "january", "february", "april", "august", "september", "october", "november",
            "december")  # fmt: skip
_ALIASES = {"tmw": "tomorrow", "tmrow": "tomorrow", "2morrow": "tomorrow", "2moro": "tomorrow",
            "tonite": "tonight", "2day": "today", "weds": "wednesday", "nxt": "next"}  # fmt: skip


def _slips(a: str, b: str, most: int) -> int:
    """Letters typed wrong, missing, extra or swapped with their neighbour between `a` and `b`
    (more than `most` once that is certain)."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def _spelled(word: str) -> str:
    if word in _ALIASES:
        return _ALIASES[word]
    bare = word.rstrip(".")
    if len(bare) < 5 or not bare.isalpha() or not bare.isascii() or bare in _KNOWN:
        return word
    slips = {name: _slips(bare, name, 2 if len(name) >= 8 else 1) for name in _SPELLED if name[0] == bare[0]}
    near = {name: n for name, n in slips.items() if n <= (2 if len(name) >= 8 else 1)}
    nearest = [name for name, n in near.items() if n == min(near.values())]
    return nearest[0] if len(nearest) == 1 else word



WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
UNITS = {
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
}  # fmt: skip
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "a couple of": 2}  # fmt: skip

MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
NUM_ALT = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


_KNOWN = frozenset([*_SPELLED, *WEEKDAYS, *MONTHS, *UNITS, *NUMBER_WORDS, "morning", "afternoon", "evening",
                    "night", "noon", "midnight", "hours", "later", "until", "after", "before", "about", "around",
                    "earlier", "weeks", "month", "months", "years", "minutes"])


def number(word: str) -> float:
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word.replace(",", "."))
