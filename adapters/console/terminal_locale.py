"""The console's locale, as the terminal's environment says (LC_ALL, then LC_TIME, then LANG):
which clock it reads (12 or 24 hours) and the language tag handed to the core.

Times in the core's answers are written on a 24-hour clock ("Tue Dec 1, 14:00 CET"); a console
whose locale reads a 12-hour clock shows them as "Tue Dec 1, 2:00 PM CET". Only the pieces the core
noted as times (`Reply.time_marks`) are changed: see `render.clock_words`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Literal

from bot.actor import Actor

HourCycle = Literal[12, 24]

# Regions whose usual clock is the 12-hour one (CLDR's time data prefers "h" there). A language
# can override its region: Canada reads 12 hours in English, 24 in French.
TWELVE_HOUR_REGIONS = frozenset({
    "US", "CA", "AU", "NZ", "IN", "PK", "BD", "PH", "MY", "SG", "HK", "TW", "KR",
    "EG", "SA", "AE", "JO", "KW", "QA", "OM", "BH", "IQ", "SY", "LB", "YE", "LY", "SD",
})
TWENTY_FOUR_HOUR_LANGUAGES_IN_12_HOUR_REGIONS = frozenset({("fr", "CA")})

_LOCALE = re.compile(r"^(?P<lang>[A-Za-z]{2,3})(?:[_-](?P<region>[A-Za-z]{2}|\d{3}))?(?:[.@].*)?$")


@dataclass(frozen=True)
class TerminalLocale:
    tag: str | None  # a BCP 47 tag such as "en-US" (as Slack and Discord send theirs), None for C/POSIX
    hour_cycle: HourCycle


def from_environment(environ: Mapping[str, str]) -> TerminalLocale:
    """The locale that governs times: the first of LC_ALL, LC_TIME, LANG that is set and not empty."""
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return parse(value)
    return TerminalLocale(tag=None, hour_cycle=24)


def parse(value: str) -> TerminalLocale:
    """`en_US.UTF-8` -> en-US, 12 hours; `de_DE.UTF-8` -> de-DE, 24; `C.UTF-8` -> no tag, 24."""
    match = _LOCALE.match(value.strip())
    if match is None or match["lang"].upper() in ("C", "POSIX"):
        return TerminalLocale(tag=None, hour_cycle=24)
    lang = match["lang"].lower()
    region = (match["region"] or "").upper()
    tag = f"{lang}-{region}" if region else lang
    twelve = region in TWELVE_HOUR_REGIONS and (lang, region) not in TWENTY_FOUR_HOUR_LANGUAGES_IN_12_HOUR_REGIONS
    return TerminalLocale(tag=tag, hour_cycle=12 if twelve else 24)


def with_locale(actor: Actor, terminal: TerminalLocale) -> Actor:
    """The actor with the terminal's locale, when the core's Actor has a `locale` field to carry it
    (the core reads it for the order of numeric dates); the actor unchanged otherwise."""
    if terminal.tag is None or "locale" not in {f.name for f in fields(actor)}:
        return actor
    if getattr(actor, "locale", None):
        return actor  # set by whoever built the actor: theirs wins
    return replace(actor, locale=terminal.tag)  # type: ignore[call-arg, unused-ignore]


# "14:00 CET", "09:30 UTC", "23:15 +03": a clock time followed by a zone, as the core writes them.
# Not a time already on a 12-hour clock ("2:00 PM"), nor part of a longer number or an ISO offset.
_CLOCK = re.compile(r"(?<![\d:+\-T.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"
                    r"(?= (?![AaPp]\.?[Mm]\b)(?:[A-Z]{2,5}\b|[+-]\d{2}))")


def on_clock(text: str, hour_cycle: HourCycle) -> str:
    """Times written by the core on a 24-hour clock, shown on the terminal's clock."""
    if hour_cycle == 24:
        return text
    return _CLOCK.sub(_twelve, text)


def _twelve(match: re.Match[str]) -> str:
    hour, minute = int(match[1]), match[2]
    suffix = "AM" if hour < 12 else "PM"
    return f"{hour % 12 or 12}:{minute} {suffix}"
