"""The forms people type most, read without dateparser: "tomorrow 9am", "next Tuesday 10:30",
"Dec 3 at 2pm", "3 December 14h", "2026-12-03", "25/12", "in 3 days", "2 hours ago".

A reading is local (a naive wall-clock time in the user's zone, and whether a clock time was given),
or a signed offset from now ("in 2 hours"), or INVALID for a form that is recognisably wrong ("25:00",
"31/31"), or an answer asking which of two readings was meant (a numeric date, with no date order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.numeric_dates import DateOrder, read_numeric
from bot.time_words import (
    MONTH_ALT,
    MONTHS,
    NUM_ALT,
    UNIT_ALT,
    UNITS,
    WEEKDAY_ALT,
    WEEKDAYS,
    TimeError,
    number,
    quote_input,
)

Prefer = Literal["past", "future", "nearest"]

DEFAULT_TIME = time(9, 0)  # a bare date means 09:00 local

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def ask_order(text: str, first: tuple[int | None, int, int], second: tuple[int | None, int, int]) -> TimeError:
    def words(parts: tuple[int | None, int, int]) -> str:
        year, month, day = parts
        return f"{_MONTH_NAMES[month - 1]} {day}" + (f", {year}" if year else "")

    return TimeError(
        f"{quote_input(text)} can be read two ways: {words(first)} (day first) or {words(second)} (month "
        f"first). Write the month as a word (e.g. \"{_MONTH_NAMES[first[1] - 1][:3]} {first[2]}\"), or tell "
        "me how you write dates: /interview settings dates: day-first (or month-first)."
    )





CLOCK_12 = re.compile(r"(?:\bat\s+)?\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>am|pm)\b")
CLOCK_24 = re.compile(r"(?:\bat\s+)?\b(?P<h>\d{1,2})(?:[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?|h)\b")
_TIME_WORD = re.compile(r"(?:\bat\s+)?\b(?P<w>noon|midday|midnight)\b")
_BARE_HOUR = re.compile(r"^(?P<day>.*?)\s*(?P<at>\bat\s+)?(?P<h>\d{1,2})$")
_ENDS_WITH_DAY = re.compile(rf"(?:^|\s)(?:today|tonight|tomorrow|tmrw|yesterday|{WEEKDAY_ALT})$")
ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})$")
_MONTH_DAY = re.compile(
    rf"^(?:on\s+)?(?:(?:{WEEKDAY_ALT})\s+)?(?P<mon>{MONTH_ALT})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?(?:\s+(?P<y>\d{{4}}))?$"
)
_DAY_MONTH = re.compile(
    rf"^(?:on\s+)?(?:(?:{WEEKDAY_ALT})\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<mon>{MONTH_ALT})\.?(?:\s+(?P<y>\d{{4}}))?$"
)
_DAY_ONLY = re.compile(r"^(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)$")
_WEEKDAY = re.compile(rf"^(?:on\s+)?(?P<mod>next|this|coming|last|past|previous)?\s*(?P<wd>{WEEKDAY_ALT})$")
_RELATIVE = re.compile(
    rf"^(?:(?P<in>in|after)\s+)?(?P<n>{NUM_ALT})\s*(?P<unit>{UNIT_ALT})(?:\s+(?P<ago>ago|from now|later))?$"
)
_DAY_WORDS = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "yesterday": -1}


INVALID = timedelta.max  # _fast's answer for a form that is recognizably wrong


@dataclass(frozen=True)
class Local:
    at: datetime  # naive, local wall clock
    has_time: bool


def _take_time(text: str) -> tuple[time | None, str] | None:
    """Find one clock time in `text`; returns it and the rest, or None if the time is invalid."""
    relative = _RELATIVE.match(text)
    if relative and (relative["in"] or relative["ago"]):
        return None, text  # "in 2h" is a span of time, not two o'clock
    for pattern in (_TIME_WORD, CLOCK_12, CLOCK_24):
        match = pattern.search(text)
        if not match:
            continue
        rest = (text[: match.start()] + " " + text[match.end() :]).strip()
        groups = match.groupdict()
        if groups.get("w"):
            found = time(0, 0) if groups["w"] == "midnight" else time(12, 0)
            return found, rest
        hour, minute = int(groups["h"]), int(groups.get("m") or 0)
        second = int(groups.get("s") or 0)
        ap = groups.get("ap")
        if ap:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ap == "pm" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        return time(hour, minute, second), rest
    match = _BARE_HOUR.match(text)
    if match and (match["at"] or _ENDS_WITH_DAY.search(match["day"])):
        # "tomorrow 9", "Dec 3 at 3": an hour without am/pm is read in business hours:
        # 8-11 morning, 12 noon, 1-7 afternoon, 13-23 as on a 24-hour clock.
        hour = int(match["h"])
        if hour > 23:
            return None
        if 1 <= hour <= 7:
            hour += 12
        return time(hour, 0), (match["day"] or "").strip()
    return None, text  # no time in the text


def nearest(candidates: list[datetime], ref: datetime, prefer: Prefer) -> datetime:
    if prefer == "future":
        ahead = [c for c in candidates if c >= ref]
        if ahead:
            return min(ahead)
    elif prefer == "past":
        behind = [c for c in candidates if c <= ref]
        if behind:
            return max(behind)
    return min(candidates, key=lambda c: abs(c - ref))


def read_common(text: str, ref: datetime, prefer: Prefer,
          order: DateOrder | None = None) -> Local | timedelta | TimeError | None:
    """Read the common forms. `ref` is now as naive local time. Returns a local reading, a signed
    offset from now (for "in 2 hours"), or None when this path does not know the form."""
    if text == "now" or text == "right now":
        return timedelta(0)
    taken = _take_time(text)
    if taken is None:
        return INVALID  # a clock time that cannot be ("25:00", "13pm"): dateparser would drop it
    clock, rest = taken
    rest = re.sub(r"^(?:on|at)\s+|\s+(?:at|on)$", "", rest).strip()
    rest = re.sub(r"\s+at\s+", " ", rest)
    has_time = clock is not None
    tod = clock or DEFAULT_TIME

    def at(day: date) -> datetime:
        return datetime.combine(day, tod)

    today = ref.date()
    if not rest:
        if not has_time:
            return None
        if prefer == "nearest":
            return Local(at(today), True)
        return Local(nearest([at(today + timedelta(days=k)) for k in (-1, 0, 1)], ref, prefer), True)
    if rest in _DAY_WORDS:
        return Local(at(today + timedelta(days=_DAY_WORDS[rest])), has_time)
    if rest in ("day after tomorrow", "the day after tomorrow"):
        return Local(at(today + timedelta(days=2)), has_time)
    if rest in ("day before yesterday", "the day before yesterday"):
        return Local(at(today - timedelta(days=2)), has_time)
    match = _WEEKDAY.match(rest)
    if match:
        wanted = WEEKDAYS[match["wd"]]
        ahead = (wanted - today.weekday()) % 7
        mod = match["mod"]
        if mod == "next":
            return Local(at(today + timedelta(days=ahead or 7)), has_time)
        if mod in ("this", "coming"):
            return Local(at(today + timedelta(days=ahead)), has_time)
        if mod in ("last", "past", "previous"):
            back = (today.weekday() - wanted) % 7
            return Local(at(today - timedelta(days=back or 7)), has_time)
        back = (today.weekday() - wanted) % 7
        options = [at(today + timedelta(days=ahead)), at(today - timedelta(days=back)),
                   at(today + timedelta(days=ahead + 7)), at(today - timedelta(days=back + 7))]  # fmt: skip
        return Local(nearest(options, ref if has_time else at(today), prefer), has_time)
    match = ISO_DATE.match(rest)
    if match:
        day = date_or_none(int(match["y"]), int(match["mo"]), int(match["d"]))
        return INVALID if day is None else Local(at(day), has_time)
    numeric = read_numeric(rest, order)
    if numeric is not None:
        if numeric.ask is not None:
            return ask_order(rest, *numeric.ask)
        if numeric.day is None:
            return INVALID
        year, month, dom = numeric.day
        if year is not None:
            found_day = date_or_none(year, month, dom)
            return INVALID if found_day is None else Local(at(found_day), has_time)
        days = [d for y in (today.year - 1, today.year, today.year + 1) if (d := date_or_none(y, month, dom))]
        return Local(nearest([at(d) for d in days], ref if has_time else at(today), prefer), has_time)
    match = _MONTH_DAY.match(rest) or _DAY_MONTH.match(rest)
    if match:
        month, dom = MONTHS[match["mon"]], int(match["d"])
        if match["y"]:
            day = date_or_none(int(match["y"]), month, dom)
            return INVALID if day is None else Local(at(day), has_time)
        days = [d for y in (today.year - 1, today.year, today.year + 1) if (d := date_or_none(y, month, dom))]
        if not days:
            return None
        return Local(nearest([at(d) for d in days], ref if has_time else at(today), prefer), has_time)
    match = _DAY_ONLY.match(rest)
    if match:
        dom = int(match["d"])
        days = []
        for shift in (-1, 0, 1):
            y, m = divmod(today.year * 12 + today.month - 1 + shift, 12)
            if d := date_or_none(y, m + 1, dom):
                days.append(d)
        if not days:
            return None
        return Local(nearest([at(d) for d in days], ref if has_time else at(today), prefer), has_time)
    match = _RELATIVE.match(rest)
    if match and not has_time:
        amount = number(match["n"])
        if match["in"] and match["ago"] == "ago":
            return None
        sign = -1 if match["ago"] == "ago" else 1
        unit = UNITS[match["unit"]]
        if amount > 100_000:
            return None
        if unit in ("days", "weeks") and amount == int(amount):
            # whole days keep the local clock time across a DST change
            local = ref + sign * timedelta(days=int(amount) * (7 if unit == "weeks" else 1))
            return Local(local, True)
        return sign * timedelta(**{unit: amount})
    return None


def date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
