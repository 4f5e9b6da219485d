"""Forget means gone on Slack: after `forget confirm` (typed or pressed) nothing of the member is
written again, the home tab refresh included; opening the home tab records nobody."""

from __future__ import annotations

from sqlalchemy import text

from tests.slack.conftest import ALICE, BOB, TEAM, Harness
from tests.slack.signing import button_payload, find_button, texts
from tests.slack.test_requests import home_opened


async def rows_of(slack: Harness, user: str) -> int:
    async with slack.store.engine.connect() as conn:
        result = await conn.execute(text("SELECT count(*) FROM users WHERE external_id = :u"), {"u": user})
        return int(result.scalar_one())


async def test_forget_confirm_leaves_no_row_behind_even_after_the_home_tab_refresh(slack: Harness) -> None:
    await slack.ask("add company: Quillfeather; role: Analyst; when: yesterday 2pm")
    await slack.settle()
    assert await rows_of(slack, ALICE) == 1
    body = await slack.ask("forget confirm")
    assert "deleted" in texts(body["blocks"]).lower()
    await slack.settle()  # the home tab is published again after the change
    assert ALICE in slack.fake.home and "Quillfeather" not in texts(slack.fake.home[ALICE]["blocks"])
    assert await rows_of(slack, ALICE) == 0
    await slack.sender.event(home_opened(ALICE, "EvForget1"))  # and when she looks again
    await slack.settle()
    assert await rows_of(slack, ALICE) == 0


async def test_forget_by_button_leaves_no_row_behind(slack: Harness) -> None:
    await slack.ask("add company: Quillfeather; role: Analyst; when: yesterday 2pm")
    answer, key = await slack.command("forget")
    body = answer.json()
    block_id, button = find_button(body["blocks"], "Delete everything")
    payload = button_payload(user=ALICE, team=TEAM, message={"blocks": body["blocks"]}, channel="C0GENERAL",
                             block_id=block_id, button=button, response_url=slack.fake.response_url(key))
    assert (await slack.sender.interaction(payload)).status == 200
    await slack.settle()
    assert "deleted" in texts(slack.fake.responses_to(key)[-1]["blocks"]).lower()
    assert await rows_of(slack, ALICE) == 0


async def test_opening_the_home_tab_records_nobody(slack: Harness) -> None:
    await slack.sender.event(home_opened(BOB, "EvNew1"))
    await slack.settle()
    assert "How Followthrough works" in texts(slack.fake.home[BOB]["blocks"])
    assert await rows_of(slack, BOB) == 0
