"""A time in a reply reads as the instant it is, in the member's zone, however often it is written and
in whatever zone the core happens to hold it (the words are kept between commands)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import Rules
from bot.humanize import moment
from bot.time_marks import collecting

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata"]
HELD_IN = st.sampled_from([UTC, *(ZoneInfo(z) for z in ZONES)])
INSTANTS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), allow_imaginary=False)


def expected(at: datetime, zone: str, now: datetime | None) -> str:
    local = at.astimezone(ZoneInfo(zone))
    year = "" if now is None or now.astimezone(ZoneInfo(zone)).year == local.year else f" {local.year}"
    return f"{local:%a %b} {local.day}{year}, {local:%H:%M} {local.tzname()}"


@given(INSTANTS, HELD_IN, INSTANTS, HELD_IN, st.sampled_from(ZONES), st.booleans())
def test_a_moment_reads_as_its_instant_in_the_members_zone(at: datetime, at_zone: ZoneInfo | type[UTC],
                                                           now: datetime, now_zone: ZoneInfo, zone: str,
                                                           fold: bool) -> None:
    held = at.replace(tzinfo=at_zone, fold=int(fold))  # an ambiguous local time: fold picks the instant
    same_in_utc = held.astimezone(UTC)
    current = now.replace(tzinfo=now_zone)
    rules = Rules(tz=zone)
    with collecting() as marks:
        words = [moment(held, rules, current), moment(same_in_utc, rules, current), moment(held, rules)]
    assert words[0] == words[1] == expected(held, zone, current)
    assert words[2] == expected(held, zone, None)
    assert [(m.text, m.at) for m in marks] == [(words[0], held), (words[1], same_in_utc), (words[2], held)]


def test_the_same_wall_time_twice_on_a_clock_change_reads_as_two_times() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2026, 10, 25, 2, 30, tzinfo=berlin)  # CEST, then the clock goes back
    second = first.replace(fold=1)  # CET: equal to `first` as a datetime, an hour later in fact
    rules = Rules(tz="Europe/Berlin")
    assert moment(first, rules) == "Sun Oct 25, 02:30 CEST"
    assert moment(second, rules) == "Sun Oct 25, 02:30 CET"
    assert moment(second.astimezone(UTC), rules) == "Sun Oct 25, 02:30 CET"
