"""The values of `settings` (and of an admin's defaults): a time zone, hours, a tone, a name, a phone."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from zoneinfo import available_timezones

from bot.commands import GrammarError, Settings
from bot.field_grammar import no_repeats, parse_email, parse_tone, split_pairs
from bot.typed_text import TEXT_LIMITS, over_limit, quoted

SETTING_KEYS = ("name", "email", "phone", "tz", "quiet", "morning", "tone", "dates")

# How a member writes 03/04; "auto" goes back to what their platform's locale says.
_DATE_ORDER_WORDS = {
    "dayfirst": "day-first", "dmy": "day-first", "ddmm": "day-first", "ddmmyyyy": "day-first", "day": "day-first",
    "monthfirst": "month-first", "mdy": "month-first", "mmdd": "month-first", "mmddyyyy": "month-first",
    "month": "month-first", "us": "month-first", "auto": "", "locale": "", "none": "", "clear": "",
}

_SETTING_ALIASES = {"date order": "dates", "date-order": "dates", "date": "dates", "timezone": "tz",
                    "time zone": "tz", "zone": "tz", "e-mail": "email", "mail": "email"}
_CLEARABLE = ("name", "email", "phone")
_SETTINGS_EXAMPLE = "/interview settings tz: Europe/Berlin; quiet: 21:00-08:00; morning: 09:00"
_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9().\-/ ]+(?:\s*(?:x|ext\.?)\s*[0-9]+)?", re.IGNORECASE)
_RANGE = re.compile(r"(.+?)\s*(?:-|–|—|\bto\b)\s*(.+)", re.IGNORECASE)


def parse_clock(value: str) -> str | None:
    """`09:00`, `9`, `9am`, `9:30 pm`, `21.15` -> `HH:MM`; None if it is not a time of day."""
    m = _CLOCK.fullmatch(value.strip())
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    meridiem = (m.group(3) or "").lower().replace(".", "")
    if minute > 59:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


_OFFSET = re.compile(r"(?:utc|gmt)?\s*[+\-−]\s*[0-9]{1,2}(?::?[0-9]{2})?", re.IGNORECASE)


def _tz(value: str) -> str | GrammarError:
    candidate = "_".join(value.split())
    if _OFFSET.fullmatch(value.strip()):
        return GrammarError(
            f"Use a time zone name, not an offset like {quoted(value)}: e.g. Europe/Berlin or America/New_York "
            "(they follow summer time)."
        )
    if len(candidate) <= TEXT_LIMITS["tz"]:
        found = _zones().get(candidate.lower())
        if found:
            return found
    zones = _zones()
    guess = difflib.get_close_matches(candidate.lower()[:64], list(zones), n=1, cutoff=0.6)
    hint = f' Did you mean "{zones[guess[0]]}"?' if guess else ""
    return GrammarError(f"Unknown time zone {quoted(value)}.{hint} Use a name like Europe/Berlin or America/New_York.")


def read_setting(key: str, value: str) -> str | GrammarError:
    """One setting's value, checked and normalised: tz -> its IANA spelling, quiet -> `HH:MM-HH:MM`,
    morning -> `HH:MM`, tone -> `formal`/`casual`. (Admin defaults may reuse it for quiet, morning, tone.)"""
    if key == "name":
        if error := over_limit("name", value):
            return error
        return " ".join(value.split())
    if key == "email":
        return parse_email(value, "email: alex@example.com")
    if key == "phone":
        if error := over_limit("phone", value):
            return error
        if not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 5:
            return GrammarError(f"{quoted(value)} is not a phone number. Example: phone: +1 555 010 0199")
        return " ".join(value.split())
    if key == "tz":
        return _tz(value)
    if key == "dates":
        word = re.sub(r"[\s/._-]+", "", value.lower())
        if word not in _DATE_ORDER_WORDS:
            return GrammarError(f"{quoted(value)} is not a date order. Example: dates: day-first (03/04 is 3 April) "
                                "or dates: month-first (03/04 is March 4)")
        return _DATE_ORDER_WORDS[word]
    if key == "tone":
        tone = parse_tone(value)
        return tone if isinstance(tone, GrammarError) else tone.value
    if key == "morning":
        clock = parse_clock(value) if len(value) <= 40 else None
        if clock is None:
            return GrammarError(f"{quoted(value)} is not a time of day. Example: morning: 09:00 (or 9am)")
        return clock
    # quiet
    example = "quiet: 21:00-08:00 (or 9pm-8am)"
    m = _RANGE.fullmatch(value) if len(value) <= 40 else None
    start, end = (parse_clock(m.group(1)), parse_clock(m.group(2))) if m else (None, None)
    if start is None or end is None:
        return GrammarError(f"{quoted(value)} is not a range of hours. Example: {example}")
    if start == end:
        return GrammarError(f"Quiet hours need a start and an end that differ. Example: {example}")
    return f"{start}-{end}"


def parse_settings(rest: str) -> Settings | GrammarError:
    pairs = split_pairs(rest, SETTING_KEYS, _SETTING_ALIASES, "setting", _SETTINGS_EXAMPLE)
    if isinstance(pairs, GrammarError):
        return pairs
    if error := no_repeats(pairs):
        return error
    values: dict[str, str] = {}
    for key, value in pairs:
        if key in _CLEARABLE and value.lower() in ("-", "none", "clear"):
            values[key] = ""  # the service clears it
            continue
        normal = read_setting(key, value)
        if isinstance(normal, GrammarError):
            return normal
        values[key] = normal
    return Settings(values=values)
