"""/interview admin stats: aggregate figures only, "fewer than 5" for figures about fewer than five
members, a PNG chart of the monthly figures; through Service.handle on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.actor import Actor
from bot.career_center.stats import median
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
def service(store: Any, clock: FakeClock) -> Service:
    return Service(store, clock, default_tz="UTC")



def log(i: int, when: str) -> str:
    return (f"add company: Secretcorp{i}; role: Spy {i}; when: {when}; "
            f"with: Ms. Hidden Person{i} <p{i}@secret.example>; topics: classified project {i}")


async def stats_text(service: Service) -> tuple[str, Reply]:
    reply = await ok(service, BOSS, "admin stats")
    return reply.as_text(), reply


async def test_figures_about_fewer_than_five_members_are_hidden(service: Service, clock: FakeClock) -> None:
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
    assert "2026-10: 5 members, 13 interviews" in text
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
    assert ("2026-10: 5 members, 5 interviews; thank-yous sent within 24 h: 60% of 5; "
            "median to check-in 1: 12 days") in text
    assert "2026-11: fewer than 5 members" in text
    assert "interview — rejected: 5; offer: fewer than 5" not in text
    assert "interview — offer: fewer than 5; rejected: 5" in text
    for secret in ("Secretcorp", "Spy", "Hidden", "Person", "secret.example", "classified", "member1"):
        assert secret not in text
    assert reply.files and reply.files[0].content.startswith(b"\x89PNG")


async def test_other_communities_do_not_count(service: Service) -> None:
    for i in range(1, 6):
        await ok(service, Actor("console", "elsewhere", f"m{i}"), log(i, "2026-10-05 09:00"))
    text, reply = await stats_text(service)
    assert "Members using the bot: fewer than 5" in text
    assert "By month" not in text and reply.files == []


def test_the_median_of_a_histogram() -> None:
    assert median({}) is None
    assert median({12: 1}) == 12
    assert median({10: 1, 11: 1, 12: 1, 14: 1, 16: 1}) == 12
    assert median({10: 2, 14: 2}) == 12
    assert median({3: 5, 40: 1}) == 3
