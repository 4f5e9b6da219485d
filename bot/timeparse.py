"""Natural-language times and dates, read in the user's own IANA time zone (lengths of time are
read by `durations`, the shared vocabulary lives in `time_words`).

Pure functions: every one takes the current moment as `now` (aware) and the user's zone name, and
returns either a value or a `TimeError` whose message quotes the input back with examples that can
be read. Nothing here raises, whatever the input (empty, very long, unicode, nonsense).

Common forms are read by a fast path (`common_times`: ISO dates, `tomorrow 9am`, `next Tuesday
10:30`, `Dec 3 at 2pm`, `in 3 days`); anything else goes to dateparser, imported lazily on first use (it is slow to
import). Weekday names are always read here, never by dateparser: "next Tuesday" is the coming
Tuesday, "last Tuesday" the one before today, a bare "Tuesday" depends on `prefer`.

Wall-clock arithmetic is done in the user's zone and converted to UTC with zoneinfo, so "in 3 days"
or "tomorrow 9am" across a daylight-saving change still lands at 09:00 local. A local time that
does not exist (the hour skipped in spring) moves forward by the gap; an ambiguous one (the
repeated hour in autumn) is the first of the two.

What is never guessed: a numeric date that reads two ways follows the user's date order or is asked
about (`numeric_dates`); a zone abbreviation is read in the IANA zone it means (`zone_names`); a
year outside 1900-2100 is refused; dateparser's reading is dropped when it lands more than about a
year from today in a year the text does not contain ("Dec 1 14h" is never 1 December 2014).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.common_times import CLOCK_12, CLOCK_24, DEFAULT_TIME, INVALID, ISO_DATE, Local, Prefer, read_common
from bot.durations import MAX_DURATION, parse_duration, span_of
from bot.numeric_dates import DateOrder
from bot.time_words import (
    DATE_EXAMPLES,
    DURATION_EXAMPLES,
    MAX_INPUT,
    MONTH_ALT,
    MONTHS,
    NUMBER_WORDS,
    SNOOZE_EXAMPLES,
    TIME_EXAMPLES,
    UNITS,
    WEEKDAYS,
    TimeError,
    normalize,
    quote_input,
    unreadable,
)
from bot.zone_names import take_zone

__all__ = [  # what callers use; the words and durations live in time_words and durations
    "DATE_EXAMPLES", "DURATION_EXAMPLES", "MAX_DURATION", "MONTHS", "NUMBER_WORDS", "SNOOZE_EXAMPLES",
    "TIME_EXAMPLES", "UNITS", "WEEKDAYS", "Moment", "Prefer", "TimeError", "human_date", "human_day_of",
    "local_now", "parse_date", "parse_duration", "parse_snooze", "parse_when", "quote_input", "read_moment", "to_utc",
    "valid_timezone",
]


MIN_YEAR, MAX_YEAR = 1900, 2100  # a year outside is refused, never stored
FAR_OFF = timedelta(days=400)  # a date read without a written year lands at most this far from today


@dataclass(frozen=True)
class Moment:
    """A time as read: `at` (aware UTC), whether a clock time was given, and the zone the text
    named with an abbreviation ("2pm EST" -> America/New_York; None: the user's own zone)."""

    at: datetime
    has_time: bool
    zone: str | None = None


def _out_of_range(text: str) -> TimeError:
    return TimeError(f"{quote_input(text)} is outside the years {MIN_YEAR} to {MAX_YEAR} I can keep. "
                     f"Try {TIME_EXAMPLES}.")


# --------------------------------------------------------------------------------------------------
# helpers


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError on odd keys, ...
        return None


def valid_timezone(name: str) -> bool:
    """True for an IANA zone name zoneinfo knows (`Europe/Berlin`, `UTC`)."""
    return bool(name) and len(name) <= 64 and _zone(name) is not None


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall-clock time in `tz` as aware UTC (DST gaps move forward, folds take the
    first occurrence)."""
    aware = local.replace(tzinfo=tz, fold=0)
    utc = aware.astimezone(UTC)
    # A time in a spring-forward gap does not round-trip; zoneinfo with fold=0 reads it with the
    # offset before the change, which moves it forward by the gap, as wanted.
    return utc


def local_now(now: datetime, tz: ZoneInfo) -> datetime:
    """`now` as a naive local wall-clock time in `tz`."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(tz).replace(tzinfo=None)



# --------------------------------------------------------------------------------------------------
# the slow path: dateparser, imported on first use


@lru_cache(maxsize=4)
def _dateparser_settings(prefer: Prefer) -> dict[str, Any]:
    return {
        "PREFER_DATES_FROM": {"past": "past", "future": "future", "nearest": "current_period"}[prefer],
        "PREFER_DAY_OF_MONTH": "first",
        "STRICT_PARSING": False,
    }


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    import dateparser  # slow: imported only when the fast path does not know a form

    return dateparser


_HAS_CLOCK = re.compile(r"\d\s*(?:am|pm)\b|\d[:h]\d\d|\bnoon\b|\bmidnight\b|o'clock|\bmorning\b|\bevening\b")


def _slow(text: str, ref: datetime, prefer: Prefer) -> datetime | Local | None:
    core = re.sub(r"\b(?:in|at|on|the|of|by|for)\b", " ", text)
    if not re.search(r"[a-z]", core) and not re.search(r"\d[-/.]\d", core):
        return None  # a bare number ("3") is no moment; dateparser would guess a month
    try:
        settings = dict(_dateparser_settings(prefer))
        settings["RELATIVE_BASE"] = ref
        found = _dateparser().parse(text, languages=["en"], settings=settings)
    except Exception:
        return None
    if found is None:
        return None
    if found.tzinfo is not None:  # the text named its own zone ("2pm EST")
        return found.astimezone(UTC)
    has_time = bool(_HAS_CLOCK.search(text)) or found.time() != time(0, 0)
    if not has_time:
        found = datetime.combine(found.date(), DEFAULT_TIME)
    return Local(found, has_time)


# --------------------------------------------------------------------------------------------------
# public functions


_WRITTEN_YEAR = re.compile(r"(?<!\d)(?:1[0-9]|2[0-9])\d\d(?!\d)|'\d\d\b|/\d\d$")


_MONTH_WORD = re.compile(rf"\b(?:{MONTH_ALT})\b")
_DAY_NUMBER = re.compile(r"(?<![\d:])\b\d{1,2}(?:st|nd|rd|th)?\b(?![:\d])")


def _month_without_day(norm: str) -> bool:
    """"Jan 2026", "next March": a month named with no day in it (dateparser would take the 1st)."""
    if not _MONTH_WORD.search(norm):
        return False
    return not _DAY_NUMBER.search(CLOCK_12.sub(" ", CLOCK_24.sub(" ", norm)))


def _read(text: str, tz: str, now: datetime, prefer: Prefer,
          order: DateOrder | None = None) -> Moment | TimeError | None:
    """The moment `text` names, an answer saying why it cannot be kept, or None (unreadable)."""
    zone = _zone(tz)
    if zone is None:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    raw = text.strip()
    named, without_zone = take_zone(raw)
    if named is not None and without_zone:
        raw, zone = without_zone, _zone(named) or zone
    if ISO_DATE.match(raw[:10]) and len(raw) > 10:
        try:
            iso = datetime.fromisoformat(raw)
        except ValueError:
            iso = None
        if iso is not None:
            if not MIN_YEAR <= iso.year <= MAX_YEAR:
                return _out_of_range(text)
            if iso.tzinfo is not None:
                return Moment(iso.astimezone(UTC), True, named)
            return Moment(to_utc(iso, zone), True, named)
    norm = normalize(raw)
    ref = local_now(now, zone)
    found: Local | timedelta | datetime | TimeError | None = read_common(norm, ref, prefer, order)
    if found is INVALID:
        return None
    if isinstance(found, TimeError):
        return found
    from_dateparser = found is None
    if found is None:
        found = _slow(norm, ref, prefer)
    if found is None:
        return None
    if isinstance(found, Local) and not MIN_YEAR <= found.at.year <= MAX_YEAR:
        return _out_of_range(text)
    try:
        if isinstance(found, timedelta):
            result, has_time = now.astimezone(UTC) + found, True
        elif isinstance(found, Local):
            result, has_time = to_utc(found.at, zone), found.has_time
        else:
            result, has_time = found, True
    except (OverflowError, ValueError):
        return _out_of_range(text)
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        return _out_of_range(text)
    if from_dateparser and _month_without_day(norm):
        return TimeError(f"{quote_input(text)} names a month but not the day. Which day? Try "
                         f'"{result.astimezone(zone):%b} 12" or "{result.astimezone(zone):%Y-%m}-12".')
    if from_dateparser and abs(result - now) > FAR_OFF and not _WRITTEN_YEAR.search(norm):
        # dateparser took a number for a year ("Dec 1 14h" as 2014): a year nobody wrote is no reading
        return None
    return Moment(result, has_time, named)


def read_moment(text: str, tz: str, now: datetime, prefer: Prefer = "nearest",
                order: DateOrder | None = None) -> Moment | TimeError:
    """parse_when, with what else was read: whether a clock time was given and the zone an
    abbreviation named. A numeric date that reads two ways follows `order`; with no order, the
    answer asks which was meant."""
    try:
        if len(text) > MAX_INPUT:
            return TimeError(f"{quote_input(text)} is too long to be a time. Try {TIME_EXAMPLES}.")
        if _zone(tz) is None:
            return TimeError(f"Unknown time zone {quote_input(tz)}. Use an IANA name such as Europe/Berlin.")
        read = _read(text, tz, now, prefer, order)
    except Exception:  # pragma: no cover - a last guard: never raise on user input
        read = None
    if read is None:
        return unreadable(text, "a time", TIME_EXAMPLES)
    return read


def parse_when(text: str, tz: str, now: datetime, prefer: Prefer = "nearest",
               order: DateOrder | None = None) -> datetime | TimeError:
    """A moment such as "yesterday 2pm", "next Tuesday 10:30", "Dec 3 at 2pm", "in 3 days",
    "2026-12-03 14:00", "tomorrow 9am", "today 14:00" or "now", read in the IANA zone `tz`;
    returned as an aware UTC datetime.

    A date without a clock time means 09:00 local that day ("2026-12-03" -> 09:00). A date without a
    year, a bare weekday ("Tuesday 2pm") or a bare clock time ("2pm") is resolved by `prefer`:
    "nearest" (the default, for an interview's `when`, which may be past or future), "future" (the
    next such moment, for reminders) or "past". "next Tuesday" is always the coming Tuesday (a week
    ahead when today is Tuesday), "this Tuesday" the coming one with today included, "last Tuesday"
    the one before today. "in 3 days" keeps the local clock time across a DST change; "in 2 hours"
    is exactly two hours from now. An hour without am/pm after a day or "at" ("tomorrow 9", "Dec 3
    at 3") is read in business hours: 8-11 in the morning, 1-7 in the afternoon, 13-23 on a 24-hour
    clock; "14h" is 14:00. A zone abbreviation ("2pm EST") reads the time in the zone it names.
    Years outside 1900-2100 are refused; a year the text does not contain is never guessed more
    than about a year away.
    """
    read = read_moment(text, tz, now, prefer, order)
    return read if isinstance(read, TimeError) else read.at


def parse_date(text: str, tz: str, now: datetime, prefer: Prefer = "future",
               order: DateOrder | None = None) -> date | TimeError:
    """A calendar day in the user's zone: "next Friday", "Dec 12", "2026-12-12", "in 2 weeks",
    "tomorrow". A day without a year, or a bare weekday, is resolved by `prefer` (default: the next
    such day, today included)."""
    try:
        if len(text) > MAX_INPUT:
            return TimeError(f"{quote_input(text)} is too long to be a date. Try {DATE_EXAMPLES}.")
        zone = _zone(tz)
        if zone is None:
            return TimeError(f"Unknown time zone {quote_input(tz)}. Use an IANA name such as Europe/Berlin.")
        aware_now = now if now.tzinfo else now.replace(tzinfo=UTC)
        read = _read(text, tz, aware_now, prefer, order)
        if read is None:
            return unreadable(text, "a date", DATE_EXAMPLES)
        if isinstance(read, TimeError):
            return read
        return read.at.astimezone(zone).date()
    except Exception:  # pragma: no cover - a last guard
        return unreadable(text, "a date", DATE_EXAMPLES)


def parse_snooze(text: str, tz: str, now: datetime, order: DateOrder | None = None) -> datetime | TimeError:
    """When a snoozed reminder should come back: a duration from now ("2h", "3d", "90", "1h30") or a
    time ("tomorrow 9am", "Monday 10:00", "9am", "14:30": the next such moment). The result is in the
    future."""
    try:
        if len(text) > MAX_INPUT:
            return TimeError(f"{quote_input(text)} is too long. Try {SNOOZE_EXAMPLES}.")
        if not text.strip():
            return TimeError(f"No duration or time given. Try {SNOOZE_EXAMPLES}.")
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        # "14:30" in a snooze is the clock, the next 14:30 (a length is "1h30"), as in "Monday 14:30"
        clock = re.fullmatch(r"(?:at\s+)?(\d{1,2}):\d{2}", normalize(text))
        span = parse_duration(text) if clock is None or int(clock[1]) > 23 else TimeError("")
        if isinstance(span, timedelta):
            return now.astimezone(UTC) + span
        if "too long" in span.message and span_of(normalize(text)) is not None:
            return span
        moment = parse_when(text, tz, now, prefer="future", order=order)
        if isinstance(moment, TimeError):
            if not moment.message.startswith(("I couldn't read", "No ")):
                return moment
            return unreadable(text, "a duration or a time", SNOOZE_EXAMPLES)
        if moment <= now:
            return TimeError(f"{quote_input(text)} is already past. Try {SNOOZE_EXAMPLES}.")
        return moment
    except Exception:  # pragma: no cover - a last guard
        return unreadable(text, "a duration or a time", SNOOZE_EXAMPLES)


def human_date(day: date) -> str:
    """`Tuesday, December 1`."""
    return f"{day:%A, %B} {day.day}"


def human_day_of(moment: datetime, tz: str) -> str:
    """The local day of an aware moment, `Tuesday, December 1`."""
    zone = _zone(tz) or ZoneInfo("UTC")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return human_date(moment.astimezone(zone).date())
