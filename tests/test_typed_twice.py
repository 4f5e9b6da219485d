"""News from the employer or an update typed twice (a double tap, a message pasted again) changes
nothing the second time and the answer says so; a next round on an interview already closed by its outcome is
refused and changes nothing, because it would plan follow-ups no list shows."""

from __future__ import annotations

import pytest

from bot.actor import Actor
from bot.service import Service
from tests.service_support import exported_interview, ok

ALICE = Actor("console", "local", "alice")
PAST = "add company: Horizon Marketing; role: Analyst; when: yesterday 10:00; with: Jane Roe"
NEWS = [
    *(f"heard #1 next round {when}" for when in
      ("tomorrow 2pm", "Thu 10:30", "Dec 10 9am", "in 3 days", "next Monday 14h", "TOMORROW   2 PM")),
    *(f"heard #1 decision {day}" for day in ("next Friday", "Dec 18", "in 2 weeks", "none")),
    "heard #1 offer", "heard #1 rejected", "heard #1 withdrawn",
    "heard Horizon Marketing decision Friday", "heard Horizon Marketing next round Friday 11am",
]


@pytest.mark.parametrize("news", NEWS)
async def test_the_same_news_twice_changes_nothing_the_second_time_and_says_so(
        service: Service, news: str) -> None:
    await ok(service, ALICE, PAST + "; decision: Dec 30")
    await ok(service, ALICE, "sent #1")
    first = await ok(service, ALICE, news)
    assert "nothing changed" not in first.title.lower(), first.title
    before = await exported_interview(service, ALICE)
    again = await ok(service, ALICE, news)
    assert "nothing changed" in again.title, again.title
    assert await exported_interview(service, ALICE) == before
    assert not again.drafts


@pytest.mark.parametrize("first", ["tomorrow 2pm", "Dec 10 9am"])
async def test_a_next_round_at_another_time_still_starts_a_round(service: Service, first: str) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, f"heard #1 next round {first}")
    await ok(service, ALICE, "heard #1 next round Dec 17 10:00")
    assert (await exported_interview(service, ALICE))["round"] == 3


@pytest.mark.parametrize("outcome", ["offer", "rejected", "withdrawn"])
@pytest.mark.parametrize("when", ["tomorrow 2pm", "next Tuesday 10:00", "Dec 10"])
async def test_a_next_round_on_an_interview_closed_by_its_outcome_is_refused(
        service: Service, outcome: str, when: str) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, f"heard #1 {outcome}")
    before = await exported_interview(service, ALICE)
    refused = await service.handle(ALICE, f"heard #1 next round {when}")
    assert refused.error and f"closed ({outcome})" in refused.title and "reopen #1" in refused.title
    assert await exported_interview(service, ALICE) == before
    await ok(service, ALICE, "reopen #1")
    assert "Round 2" in (await ok(service, ALICE, f"heard #1 next round {when}")).title


UPDATES = ["role: Senior Analyst", "when: Nov 30 15:00", "length: 45m", "with: Ana Ruiz", "with: tom lee",
           "with: Ms. Jane Roe (Director) <jane@horizon.example>", "topics: the roadmap, the pilot",
           "decision: Dec 18", "promised: my portfolio", "they-promised: feedback by Friday",
           "point: I led the migration", "news: Jane: her promotion", "tone: casual", "kind: phone-screen",
           "company: Horizon Media", "remove: Jane Roe", "ROLE:  Senior   Analyst ", "length: 1h; tone: formal"]


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("fields", UPDATES)
async def test_the_same_update_twice_changes_nothing_the_second_time_and_says_so(
        service: Service, fields: str, closed: bool) -> None:
    await ok(service, ALICE, PAST)
    if closed:
        await ok(service, ALICE, "heard #1 rejected")
    first = await ok(service, ALICE, f"update #1 {fields}")
    assert first.title.startswith("Updated #1"), first.title
    before = await exported_interview(service, ALICE)
    again = await service.handle(ALICE, f"update #1 {fields}")
    if fields.startswith("remove"):  # nobody left of that name: refused, and said why
        assert again.error and "Jane Roe" in again.title
    else:
        assert again.title.startswith("Nothing changed on #1 Horizon"), again.title
        assert again.title.endswith("it already says that.") and not again.error
    assert await exported_interview(service, ALICE) == before
