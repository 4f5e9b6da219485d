"""/interview admin stats: aggregate figures only, "fewer than 5" for figures about fewer than five
members, a PNG chart of the monthly figures; through Service.handle on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.actor import Actor
from bot.career_center.disclosure import median, protect
from bot.career_center.records import Tally
from bot.replies import Reply
from bot.service import Service
from tests.clock import FakeClock
from tests.service_support import ok

BOSS = Actor("console", "local", "boss", is_admin=True)
START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday


def member(i: int) -> Actor:
    return Actor("console", "local", f"member{i}")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def default_tz() -> str:
    return "UTC"



def log(i: int, when: str) -> str:
    return (f"add company: Secretcorp{i}; role: Spy {i}; when: {when}; "
            f"with: Ms. Hidden Person{i} <p{i}@secret.example>; topics: classified project {i}")


async def stats_text(service: Service) -> tuple[str, Reply]:
    reply = await ok(service, BOSS, "admin stats")
    return reply.as_text(), reply


async def test_figures_about_fewer_than_five_members_are_hidden(service: Service, clock: FakeClock) -> None:
    clock.set(START + timedelta(hours=2))  # the first interviews have ended: their thank-yous can be marked
    for i in range(1, 5):  # four members, however many interviews
        for day in (5, 6, 7):
            await ok(service, member(i), log(i, f"2026-10-0{day} 09:00"))
        await ok(service, member(i), "sent #1 thank-you")
    text, reply = await stats_text(service)
    assert "Members using the bot: fewer than 5" in text
    assert "Interviews logged: fewer than 5" in text
    assert "Thank-yous marked sent within 24 h: fewer than 5" in text
    assert "2026-10: fewer than 5 members" in text
    assert "interview — still waiting: fewer than 5" in text
    assert "12" not in text.replace("12 months", "")  # not even the count of interviews
    assert reply.files == []  # nothing to chart

    await ok(service, member(5), log(5, "2026-10-05 09:00"))
    text, reply = await stats_text(service)
    assert "Members using the bot: 5" in text
    assert "Interviews logged: 13" in text
    assert "2026-10: 5 members, interviews: 13" in text
    assert "interview — still waiting: 13" in text and "withheld" not in text
    chart = reply.files[0]
    assert chart.filename == "followthrough-stats.png" and chart.mime == "image/png"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n") and len(chart.content) > 5_000


async def test_the_figures_count_thank_yous_check_ins_and_outcomes(service: Service, clock: FakeClock) -> None:
    # Five members, interviews on Monday October 5, 09:00 UTC (ends 10:00; thank-you due by Tuesday 10:00).
    for i in range(1, 6):
        await ok(service, member(i), log(i, "2026-10-05 09:00"))
    clock.set(datetime(2026, 10, 5, 18, 0, tzinfo=UTC))
    for i in (1, 2, 3):
        await ok(service, member(i), "sent #1 thank-you")  # within 24 h
    clock.set(datetime(2026, 10, 7, 12, 0, tzinfo=UTC))
    await ok(service, member(4), "sent #1 thank-you")  # late; member 5 never marks it
    # check-in 1 marked sent 10, 11, 12, 14 and 16 days after the interview: median 12
    for i, days in zip(range(1, 6), (10, 11, 12, 14, 16), strict=True):
        clock.set(datetime(2026, 10, 5 + days, 12, 0, tzinfo=UTC))
        await ok(service, member(i), "sent #1 check-in")
    clock.set(datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    for i in range(1, 6):
        await ok(service, member(i), "heard #1 rejected")
    await ok(service, member(1), log(1, "2026-11-02 09:00"))
    await ok(service, member(1), "heard #2 offer")

    text, reply = await stats_text(service)
    assert "Members using the bot: 5" in text
    assert "Interviews logged: 6" in text
    assert "Thank-yous marked sent within 24 h: 60% of 6" not in text  # November's is still due: not counted
    assert "Thank-yous marked sent within 24 h: 60% of 5" in text
    assert "Median days from the interview to check-in 1 marked sent: 12 days" in text
    # November (one member, one interview) is hidden; with October's count it would be 6 - 5: so
    # October's count is withheld too, and likewise the rejections beside the one offer.
    assert ("2026-10: 5 members, interviews: withheld; thank-yous sent within 24 h: 60% of 5; "
            "median to check-in 1: 12 days") in text
    assert "2026-11: fewer than 5 members" in text
    assert "interview — offer: fewer than 5; rejected: withheld" in text
    assert '"withheld": a figure about five members or more' in text
    for secret in ("Secretcorp", "Spy", "Hidden", "Person", "secret.example", "classified", "member1"):
        assert secret not in text
    assert reply.files and reply.files[0].content.startswith(b"\x89PNG")


async def test_other_communities_do_not_count(service: Service) -> None:
    for i in range(1, 6):
        await ok(service, Actor("console", "elsewhere", f"m{i}"), log(i, "2026-10-05 09:00"))
    text, reply = await stats_text(service)
    assert "Members using the bot: fewer than 5" in text
    assert "By month" not in text and reply.files == []


@pytest.mark.parametrize(
    ("tallies", "expected"),
    [
        ([(13, 5)], [True]),  # nothing small: everything shown
        ([(5, 5), (1, 1)], [False, False]),  # the small one, and the only other one with it
        ([(9, 6), (5, 5), (2, 1)], [True, False, False]),  # the smallest other one goes with it
        ([(9, 6), (5, 5), (2, 1), (1, 1)], [True, False, False, False]),
        ([(9, 6), (7, 5), (0, 0)], [True, True, False]),  # an empty figure hides nothing
        ([(2, 1), (3, 2)], [False, False]),  # all small: only their sum, the total, is shown
    ],
)
def test_a_small_figure_cannot_be_worked_out_from_the_total(
    tallies: list[tuple[int, int]], expected: list[bool]
) -> None:
    cells = [Tally(count, members) for count, members in tallies]
    may_show = protect(cells)
    assert may_show == expected
    hidden = [c for c, may in zip(cells, may_show, strict=True) if not may]
    # What subtraction from the total gives is a sum over five members or more, or nothing at all.
    assert not any(c.count for c in hidden) or len(hidden) == len(cells) or any(c.members >= 5 for c in hidden)


def test_the_median_of_a_histogram() -> None:
    assert median({}) is None
    assert median({12: 1}) == 12
    assert median({10: 1, 11: 1, 12: 1, 14: 1, 16: 1}) == 12
    assert median({10: 2, 14: 2}) == 12
    assert median({3: 5, 40: 1}) == 3
