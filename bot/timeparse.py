"""Natural-language times and dates, read in the user's own IANA time zone (lengths of time are
read by `durations`, the shared vocabulary lives in `time_words`).

Pure functions: every one takes the current moment as `now` (aware) and the user's zone name, and
returns either a value or a `TimeError` whose message quotes the input back with examples that can
be read. Nothing here raises, whatever the input (empty, very long, unicode, nonsense).

Common forms are read by a fast path (ISO dates, `tomorrow 9am`, `next Tuesday 10:30`, `Dec 3 at
2pm`, `in 3 days`); anything else goes to dateparser, imported lazily on first use (it is slow to
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
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.durations import MAX_DURATION, parse_duration, span_of
from bot.numeric_dates import DateOrder, read_numeric
from bot.time_words import (
    DATE_EXAMPLES,
    DURATION_EXAMPLES,
    MAX_INPUT,
    MONTH_ALT,
    MONTHS,
    NUM_ALT,
    NUMBER_WORDS,
    SNOOZE_EXAMPLES,
    TIME_EXAMPLES,
    UNIT_ALT,
    UNITS,
    WEEKDAY_ALT,
    WEEKDAYS,
    TimeError,
    normalize,
    number,
    quote_input,
    unreadable,
)
from bot.zone_names import take_zone

__all__ = [  # what callers use; the words and durations live in time_words and durations
    "DATE_EXAMPLES", "DURATION_EXAMPLES", "MAX_DURATION", "MONTHS", "NUMBER_WORDS", "SNOOZE_EXAMPLES",
    "TIME_EXAMPLES", "UNITS", "WEEKDAYS", "Moment", "TimeError", "human_date", "human_day_of", "local_now",
    "parse_date", "parse_duration", "parse_snooze", "parse_when", "quote_input", "read_moment", "to_utc",
    "valid_timezone",
]

Prefer = Literal["past", "future", "nearest"]

DEFAULT_TIME = time(9, 0)  # a bare date means 09:00 local
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


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def _ask_order(text: str, first: tuple[int | None, int, int], second: tuple[int | None, int, int]) -> TimeError:
    def words(parts: tuple[int | None, int, int]) -> str:
        year, month, day = parts
        return f"{_MONTH_NAMES[month - 1]} {day}" + (f", {year}" if year else "")

    return TimeError(
        f"{quote_input(text)} can be read two ways: {words(first)} (day first) or {words(second)} (month "
        f"first). Write the month as a word (e.g. \"{_MONTH_NAMES[first[1] - 1][:3]} {first[2]}\"), or tell "
        "me how you write dates: /interview settings dates: day-first (or month-first)."
    )


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
# the fast path: a local reading (naive local datetime, whether a time was given) or an absolute one


_TIME_12 = re.compile(r"(?:\bat\s+)?\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>am|pm)\b")
_TIME_24 = re.compile(r"(?:\bat\s+)?\b(?P<h>\d{1,2})(?:[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?|h)\b")
_TIME_WORD = re.compile(r"(?:\bat\s+)?\b(?P<w>noon|midday|midnight)\b")
_BARE_HOUR = re.compile(r"^(?P<day>.*?)\s*(?P<at>\bat\s+)?(?P<h>\d{1,2})$")
_ENDS_WITH_DAY = re.compile(rf"(?:^|\s)(?:today|tonight|tomorrow|tmrw|yesterday|{WEEKDAY_ALT})$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})$")
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
class _Local:
    at: datetime  # naive, local wall clock
    has_time: bool


def _take_time(text: str) -> tuple[time | None, str] | None:
    """Find one clock time in `text`; returns it and the rest, or None if the time is invalid."""
    relative = _RELATIVE.match(text)
    if relative and (relative["in"] or relative["ago"]):
        return None, text  # "in 2h" is a span of time, not two o'clock
    for pattern in (_TIME_WORD, _TIME_12, _TIME_24):
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


def _nearest(candidates: list[datetime], ref: datetime, prefer: Prefer) -> datetime:
    if prefer == "future":
        ahead = [c for c in candidates if c >= ref]
        if ahead:
            return min(ahead)
    elif prefer == "past":
        behind = [c for c in candidates if c <= ref]
        if behind:
            return max(behind)
    return min(candidates, key=lambda c: abs(c - ref))


def _fast(text: str, ref: datetime, prefer: Prefer,
          order: DateOrder | None = None) -> _Local | timedelta | TimeError | None:
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
            return _Local(at(today), True)
        return _Local(_nearest([at(today + timedelta(days=k)) for k in (-1, 0, 1)], ref, prefer), True)
    if rest in _DAY_WORDS:
        return _Local(at(today + timedelta(days=_DAY_WORDS[rest])), has_time)
    if rest in ("day after tomorrow", "the day after tomorrow"):
        return _Local(at(today + timedelta(days=2)), has_time)
    if rest in ("day before yesterday", "the day before yesterday"):
        return _Local(at(today - timedelta(days=2)), has_time)
    match = _WEEKDAY.match(rest)
    if match:
        wanted = WEEKDAYS[match["wd"]]
        ahead = (wanted - today.weekday()) % 7
        mod = match["mod"]
        if mod == "next":
            return _Local(at(today + timedelta(days=ahead or 7)), has_time)
        if mod in ("this", "coming"):
            return _Local(at(today + timedelta(days=ahead)), has_time)
        if mod in ("last", "past", "previous"):
            back = (today.weekday() - wanted) % 7
            return _Local(at(today - timedelta(days=back or 7)), has_time)
        back = (today.weekday() - wanted) % 7
        options = [at(today + timedelta(days=ahead)), at(today - timedelta(days=back)),
                   at(today + timedelta(days=ahead + 7)), at(today - timedelta(days=back + 7))]  # fmt: skip
        return _Local(_nearest(options, ref if has_time else at(today), prefer), has_time)
    match = _ISO_DATE.match(rest)
    if match:
        day = _date_or_none(int(match["y"]), int(match["mo"]), int(match["d"]))
        return INVALID if day is None else _Local(at(day), has_time)
    numeric = read_numeric(rest, order)
    if numeric is not None:
        if numeric.ask is not None:
            return _ask_order(rest, *numeric.ask)
        if numeric.day is None:
            return INVALID
        year, month, dom = numeric.day
        if year is not None:
            found_day = _date_or_none(year, month, dom)
            return INVALID if found_day is None else _Local(at(found_day), has_time)
        days = [d for y in (today.year - 1, today.year, today.year + 1) if (d := _date_or_none(y, month, dom))]
        return _Local(_nearest([at(d) for d in days], ref if has_time else at(today), prefer), has_time)
    match = _MONTH_DAY.match(rest) or _DAY_MONTH.match(rest)
    if match:
        month, dom = MONTHS[match["mon"]], int(match["d"])
        if match["y"]:
            day = _date_or_none(int(match["y"]), month, dom)
            return INVALID if day is None else _Local(at(day), has_time)
        days = [d for y in (today.year - 1, today.year, today.year + 1) if (d := _date_or_none(y, month, dom))]
        if not days:
            return None
        return _Local(_nearest([at(d) for d in days], ref if has_time else at(today), prefer), has_time)
    match = _DAY_ONLY.match(rest)
    if match:
        dom = int(match["d"])
        days = []
        for shift in (-1, 0, 1):
            y, m = divmod(today.year * 12 + today.month - 1 + shift, 12)
            if d := _date_or_none(y, m + 1, dom):
                days.append(d)
        if not days:
            return None
        return _Local(_nearest([at(d) for d in days], ref if has_time else at(today), prefer), has_time)
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
            return _Local(local, True)
        return sign * timedelta(**{unit: amount})
    return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


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


def _slow(text: str, ref: datetime, prefer: Prefer) -> datetime | _Local | None:
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
    return _Local(found, has_time)


# --------------------------------------------------------------------------------------------------
# public functions


_WRITTEN_YEAR = re.compile(r"(?<!\d)(?:1[0-9]|2[0-9])\d\d(?!\d)|'\d\d\b|/\d\d$")


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
    if _ISO_DATE.match(raw[:10]) and len(raw) > 10:
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
    found: _Local | timedelta | datetime | TimeError | None = _fast(norm, ref, prefer, order)
    if found is INVALID:
        return None
    if isinstance(found, TimeError):
        return found
    from_dateparser = found is None
    if found is None:
        found = _slow(norm, ref, prefer)
    if found is None:
        return None
    if isinstance(found, _Local) and not MIN_YEAR <= found.at.year <= MAX_YEAR:
        return _out_of_range(text)
    try:
        if isinstance(found, timedelta):
            result, has_time = now.astimezone(UTC) + found, True
        elif isinstance(found, _Local):
            result, has_time = to_utc(found.at, zone), found.has_time
        else:
            result, has_time = found, True
    except (OverflowError, ValueError):
        return _out_of_range(text)
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        return _out_of_range(text)
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
    """When a snoozed reminder should come back: a duration from now ("2h", "3d", "90") or a time
    ("tomorrow 9am", "Monday 10:00", "9am": the next such moment). The result is in the future."""
    try:
        if len(text) > MAX_INPUT:
            return TimeError(f"{quote_input(text)} is too long. Try {SNOOZE_EXAMPLES}.")
        if not text.strip():
            return TimeError(f"No duration or time given. Try {SNOOZE_EXAMPLES}.")
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        span = parse_duration(text)
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
