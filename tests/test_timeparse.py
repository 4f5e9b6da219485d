"""Times, dates and durations as users type them, read in their own zone (DST included)."""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.numeric_dates import order_from_locale
from bot.timeparse import (
    TimeError,
    parse_date,
    parse_duration,
    parse_snooze,
    parse_when,
    read_moment,
    valid_timezone,
)

# Friday 27 November 2026, 15:00 UTC (16:00 in Berlin, 02:00 Saturday in Sydney).
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
BERLIN = "Europe/Berlin"
SYDNEY = "Australia/Sydney"


def local(tz: str, *args: int) -> datetime:
    """An aware UTC moment from a local wall-clock time in `tz`."""
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)  # type: ignore[arg-type,misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday 2pm", (2026, 11, 26, 14, 0)),
        ("next Tuesday 10:30", (2026, 12, 1, 10, 30)),
        ("Dec 3 at 2pm", (2026, 12, 3, 14, 0)),
        ("December 3rd, 2:30 PM", (2026, 12, 3, 14, 30)),
        ("3 December 2026 14:00", (2026, 12, 3, 14, 0)),
        ("in 3 days", (2026, 11, 30, 16, 0)),
        ("2026-12-03 14:00", (2026, 12, 3, 14, 0)),
        ("2026-12-03T14:00", (2026, 12, 3, 14, 0)),
        ("2026-12-03", (2026, 12, 3, 9, 0)),  # a bare date means 09:00 local
        ("tomorrow 9am", (2026, 11, 28, 9, 0)),
        ("Tomorrow at 9 a.m.", (2026, 11, 28, 9, 0)),
        ("today 14:00", (2026, 11, 27, 14, 0)),
        ("now", (2026, 11, 27, 16, 0)),
        ("noon tomorrow", (2026, 11, 28, 12, 0)),
        ("the day after tomorrow", (2026, 11, 29, 9, 0)),
        ("last Friday", (2026, 11, 20, 9, 0)),
        ("3 days ago", (2026, 11, 24, 16, 0)),
        ("in 2 hours", (2026, 11, 27, 18, 0)),
        ("Tuesday 2pm", (2026, 11, 24, 14, 0)),  # nearest Tuesday: 3 days back beats 4 ahead
        ("tomorrow 9", (2026, 11, 28, 9, 0)),  # an hour alone is read in business hours
        ("Dec 3 at 3", (2026, 12, 3, 15, 0)),
        ("the 3rd at 10", (2026, 12, 3, 10, 0)),
        ("next tue 14:30", (2026, 12, 1, 14, 30)),
        ("9.30am", (2026, 11, 27, 9, 30)),
    ],
)
def test_when_reads_common_forms_in_the_users_zone(text: str, expected: tuple[int, ...]) -> None:
    assert parse_when(text, BERLIN, NOW) == local(BERLIN, *expected)


def test_next_weekday_is_the_coming_one_even_on_that_weekday() -> None:
    tuesday = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert parse_when("next Tuesday 10:30", "UTC", tuesday) == datetime(2026, 12, 8, 10, 30, tzinfo=UTC)
    assert parse_when("next Wednesday", "UTC", tuesday) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert parse_when("this Tuesday 10:30", "UTC", tuesday) == datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    assert parse_when("last Tuesday", "UTC", tuesday) == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_prefer_decides_dates_without_a_year_and_bare_weekdays() -> None:
    # On 27 Nov, "Nov 20" is a week ago; "future" means next year's.
    assert parse_when("Nov 20 2pm", "UTC", NOW, prefer="nearest") == datetime(2026, 11, 20, 14, tzinfo=UTC)
    assert parse_when("Nov 20 2pm", "UTC", NOW, prefer="past") == datetime(2026, 11, 20, 14, tzinfo=UTC)
    assert parse_when("Nov 20 2pm", "UTC", NOW, prefer="future") == datetime(2027, 11, 20, 14, tzinfo=UTC)
    # "Jan 5" from late November: the coming January is nearest.
    assert parse_when("Jan 5 10:00", "UTC", NOW) == datetime(2027, 1, 5, 10, tzinfo=UTC)
    assert parse_when("Jan 5 10:00", "UTC", NOW, prefer="past") == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert parse_when("Tuesday 2pm", "UTC", NOW, prefer="future") == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert parse_when("Tuesday 2pm", "UTC", NOW, prefer="past") == datetime(2026, 11, 24, 14, tzinfo=UTC)
    assert parse_when("2pm", "UTC", NOW, prefer="future") == datetime(2026, 11, 28, 14, tzinfo=UTC)
    assert parse_when("2pm", "UTC", NOW, prefer="past") == datetime(2026, 11, 27, 14, tzinfo=UTC)


def test_results_are_aware_utc() -> None:
    moment = parse_when("tomorrow 9am", SYDNEY, NOW)
    assert isinstance(moment, datetime)
    assert moment.utcoffset() == timedelta(0)


# ---------------------------------------------------------------------------------------- DST


def test_berlin_autumn_change_keeps_the_local_clock() -> None:
    # Saturday 24 Oct 2026, 10:00 CEST; clocks go back on Sunday 25 Oct at 03:00.
    before = local(BERLIN, 2026, 10, 24, 10, 0)
    assert parse_when("tomorrow 9am", BERLIN, before) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)  # CET
    assert parse_when("in 3 days", BERLIN, before) == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert parse_when("in 24 hours", BERLIN, before) == before + timedelta(hours=24)
    assert parse_snooze("3d", BERLIN, before) == before + timedelta(days=3)  # a duration is exact
    # 02:30 happens twice that night: the first one (still CEST) is taken.
    assert parse_when("2026-10-25 02:30", BERLIN, before) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_berlin_spring_gap_moves_forward() -> None:
    # Sunday 29 Mar 2026: 02:00 -> 03:00; 02:30 does not exist and becomes 03:30 CEST.
    now = local(BERLIN, 2026, 3, 27, 12, 0)
    assert parse_when("2026-03-29 02:30", BERLIN, now) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert parse_when("Monday 9am", BERLIN, now, prefer="future") == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert parse_when("tomorrow 9am", BERLIN, local(BERLIN, 2026, 3, 28, 20, 0)) == datetime(
        2026, 3, 29, 7, 0, tzinfo=UTC
    )


def test_sydney_changes_in_both_directions() -> None:
    # Sydney springs forward on Sunday 4 Oct 2026 (AEST +10 -> AEDT +11).
    saturday = local(SYDNEY, 2026, 10, 3, 12, 0)
    assert parse_when("tomorrow 9am", SYDNEY, saturday) == datetime(2026, 10, 3, 22, 0, tzinfo=UTC)
    assert parse_when("today 9am", SYDNEY, saturday) == datetime(2026, 10, 2, 23, 0, tzinfo=UTC)
    # And falls back on Sunday 5 Apr 2026 (AEDT +11 -> AEST +10).
    april = local(SYDNEY, 2026, 4, 4, 12, 0)
    assert parse_when("tomorrow 9am", SYDNEY, april) == datetime(2026, 4, 4, 23, 0, tzinfo=UTC)
    assert parse_date("tomorrow", SYDNEY, april) == date(2026, 4, 5)
    # 15:00 UTC on 27 Nov is already Saturday 28 Nov in Sydney.
    assert parse_date("today", SYDNEY, NOW) == date(2026, 11, 28)
    assert parse_when("yesterday 2pm", SYDNEY, NOW) == local(SYDNEY, 2026, 11, 27, 14, 0)


# ---------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Friday", date(2026, 12, 4)),
        ("Friday", date(2026, 11, 27)),  # today counts as the future
        ("Dec 12", date(2026, 12, 12)),
        ("12 December", date(2026, 12, 12)),
        ("2026-12-12", date(2026, 12, 12)),
        ("in 2 weeks", date(2026, 12, 11)),
        ("tomorrow", date(2026, 11, 28)),
        ("Nov 2", date(2027, 11, 2)),  # passed this year: next year's
        ("the 3rd", date(2026, 12, 3)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, BERLIN, NOW) == expected


def test_parse_date_prefer_past() -> None:
    assert parse_date("Nov 2", BERLIN, NOW, prefer="past") == date(2026, 11, 2)
    assert parse_date("Monday", BERLIN, NOW, prefer="past") == date(2026, 11, 23)


# ---------------------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45m", timedelta(minutes=45)),
        ("45 min", timedelta(minutes=45)),
        ("1h30", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("1.5h", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1 week", timedelta(weeks=1)),
        ("2 weeks", timedelta(weeks=2)),
        ("90", timedelta(minutes=90)),
        ("1:30", timedelta(minutes=90)),
        ("an hour", timedelta(hours=1)),
        ("half an hour", timedelta(minutes=30)),
        ("2 hours and 15 minutes", timedelta(minutes=135)),
        (" 30 MINUTES ", timedelta(minutes=30)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "0m", "1h99", "5 parsecs", "h", "1000d", "9" * 40])
def test_bad_durations_are_explained(text: str) -> None:
    result = parse_duration(text)
    assert isinstance(result, TimeError)
    assert "45m" in result.message or "366 days" in result.message


# ---------------------------------------------------------------------------------------- snooze


def test_snooze_takes_a_duration_or_a_time() -> None:
    assert parse_snooze("2h", BERLIN, NOW) == NOW + timedelta(hours=2)
    assert parse_snooze("3d", BERLIN, NOW) == NOW + timedelta(days=3)
    assert parse_snooze("90", BERLIN, NOW) == NOW + timedelta(minutes=90)
    assert parse_snooze("tomorrow 9am", BERLIN, NOW) == local(BERLIN, 2026, 11, 28, 9, 0)
    assert parse_snooze("Monday 10:00", BERLIN, NOW) == local(BERLIN, 2026, 11, 30, 10, 0)
    assert parse_snooze("9am", BERLIN, NOW) == local(BERLIN, 2026, 11, 28, 9, 0)  # the next 9am
    assert parse_snooze("Friday 10am", BERLIN, NOW) == local(BERLIN, 2026, 12, 4, 10, 0)


def test_snooze_into_the_past_is_refused() -> None:
    result = parse_snooze("yesterday 9am", BERLIN, NOW)
    assert isinstance(result, TimeError)
    assert '"yesterday 9am"' in result.message and "past" in result.message


# ---------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text",
    ["blursday", "", "   ", "3", "Feb 30 2pm", "25:00", "13pm", "🙂🙂", "x" * 5000, "next blursday",
     "2026-13-45", "\x00\x01", "tomorrow 99:99", "in 3", "tomorrow at 30", "soon"],
)  # fmt: skip
def test_unreadable_times_are_quoted_back_with_examples(text: str) -> None:
    result = parse_when(text, BERLIN, NOW)
    assert isinstance(result, TimeError), result
    assert "tomorrow 2pm" in result.message
    if text.strip() and len(text) < 60 and text.isprintable():
        assert f'"{text}"' in result.message
    assert len(result.message) < 200


def test_the_message_reads_as_the_brief_says() -> None:
    result = parse_when("blursday", "UTC", NOW)
    assert result == TimeError(
        'I couldn\'t read "blursday" as a time. Try "tomorrow 2pm", "next Tuesday 10:30" or "2026-12-03 14:00".'
    )


def test_unknown_zone_is_an_error_not_a_crash() -> None:
    assert isinstance(parse_when("tomorrow 9am", "Mars/Olympus", NOW), TimeError)
    assert isinstance(parse_date("tomorrow", "", NOW), TimeError)
    assert isinstance(parse_snooze("tomorrow 9am", "../etc/passwd", NOW), TimeError)
    assert valid_timezone("Europe/Berlin") and not valid_timezone("Europe/Nowhere")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_nothing_raises_on_any_text(text: str) -> None:
    for result in (
        parse_when(text, BERLIN, NOW),
        parse_date(text, SYDNEY, NOW),
        parse_duration(text),
        parse_snooze(text, "UTC", NOW),
    ):
        assert isinstance(result, TimeError | datetime | date | timedelta)
        if isinstance(result, datetime):
            assert result.tzinfo is not None


@pytest.mark.parametrize(("locale", "order"), [
    ("en-US", "month-first"), ("en_US.UTF-8", "month-first"), ("en-GB", "day-first"), ("de", "day-first"),
    ("fr_FR.UTF-8", "day-first"), ("pt-BR", "day-first"), ("C", None), ("", None), (None, None),
])
def test_the_date_order_follows_the_platform_locale(locale: str | None, order: str | None) -> None:
    assert order_from_locale(locale) == order


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 31), st.integers(1, 31), st.sampled_from(["/", ".", "-"]),
       st.sampled_from([None, "day-first", "month-first"]))
def test_a_numeric_date_is_read_as_written_or_asked_about(a: int, b: int, sep: str, order: Any) -> None:
    found = read_moment(f"{a:02d}{sep}{b:02d}{sep}2026", BERLIN, NOW, order=order)
    readings = {(2026, m, d) for m, d in ((b, a), (a, b)) if m <= 12 and d <= monthrange(2026, m)[1]}
    if isinstance(found, TimeError):
        assert len(readings) == 2 and order is None and "two ways" in found.message or not readings, found
        return
    day = found.at.astimezone(ZoneInfo(BERLIN)).date()
    assert (day.year, day.month, day.day) in readings
    if len(readings) == 2:
        assert (day.month, day.day) == ((b, a) if order == "day-first" else (a, b))
