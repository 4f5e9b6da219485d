"""A reminder DM goes out once, even when the process that sent it died before writing that down."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.notifier import message_nonce
from adapters.discord.run import make_notifier, make_rest_notifier
from bot.config import Config
from bot.domain import Delivery
from bot.ports import Recipient
from bot.reminders import Dispatcher
from bot.replies import Reply
from tests.discord.conftest import Harness
from tests.discord.fake_discord import NONCE_WINDOW, TOKEN, buttons
from tests.discord.test_commands import long_draft
from tests.dispatch_support import DiesBeforeRecording


async def _step(harness: Harness, user: int) -> Any:
    async with harness.store.transaction() as tx:
        member = await tx.user("discord", str(harness.guild), str(user))
        assert member is not None and member.id is not None
        (interview,) = await tx.interviews(member.id)
    return interview.steps[0]


async def test_a_dm_sent_by_a_process_that_died_is_not_sent_again(harness: Harness) -> None:
    fake, ana = harness.fake, harness.ana
    await harness.add(ana, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00; "
                           "with: Jane Richardson <jane@horizon.example>")
    assert harness.bot is not None
    dying = Dispatcher(DiesBeforeRecording(harness.store), harness.service.reminder_message,  # type: ignore[arg-type]
                       {"discord": make_notifier(harness.bot)}, harness.clock, lease_seconds=60)
    await dying.run_once()
    first = list(fake.dms_to(ana))
    assert first and (await _step(harness, ana)).delivery is not Delivery.DELIVERED

    harness.clock.advance(seconds=61)  # the dead process's lease runs out
    await harness.restart()  # another process: nothing of the first one's memory
    stats = await harness.dispatcher().run_once()
    assert stats.delivered == 1
    assert fake.dms_to(ana) == first, "the member sees the DM once"
    assert fake.nonce_hits == len(first)
    assert (await _step(harness, ana)).dm_count == 1

    # the thank-you's last call is another DM: it goes out
    harness.clock.advance(hours=20)
    assert (await harness.dispatcher().run_once()).delivered == 1
    assert len([m for m in fake.dms_to(ana) if buttons(m)]) == 2
    assert not fake.rejections


async def test_every_part_of_a_long_dm_is_sent_once_when_sent_again(harness: Harness) -> None:
    assert harness.bot is not None
    reply = Reply(title="Follow-up due: thank-you for #1", drafts=[long_draft(2500)])
    recipient = Recipient(1, "discord", str(harness.guild), str(harness.ana))
    for _ in range(2):  # two processes, the second one knowing nothing of the first
        result = await make_notifier(harness.bot).send(recipient, reply, dm_key="7.0")
        assert result.outcome.value == "delivered"
    parts = harness.fake.dms_to(harness.ana)
    assert len(parts) >= 2 and harness.fake.nonce_hits == len(parts)
    another = await make_notifier(harness.bot).send(recipient, reply, dm_key="7.1")
    assert another.outcome.value == "delivered" and len(harness.fake.dms_to(harness.ana)) == 2 * len(parts)


async def test_the_fake_forgets_a_nonce_after_discords_window(harness: Harness) -> None:
    """Outside its few minutes, Discord treats a nonce as new: so does the fake."""
    assert harness.bot is not None
    recipient = Recipient(1, "discord", str(harness.guild), str(harness.ana))
    await make_notifier(harness.bot).send(recipient, Reply(title="Follow-up due"), dm_key="9.0")
    for key, (when, message_id) in list(harness.fake.nonces.items()):
        harness.fake.nonces[key] = (when - NONCE_WINDOW - 1, message_id)
    await make_notifier(harness.bot).send(recipient, Reply(title="Follow-up due"), dm_key="9.0")
    assert len(harness.fake.dms_to(harness.ana)) == 2 and harness.fake.nonce_hits == 0


@given(st.integers(1, 2**63), st.lists(st.tuples(st.integers(1, 10**9), st.integers(0, 3)), min_size=1, max_size=5,
                                        unique_by=lambda t: t[0]), st.integers(0, 9))
def test_nonces_fit_discord_and_name_one_message_of_one_dm(user: int, steps: list[tuple[int, int]], index: int) -> None:
    key = "+".join(f"{step}.{count}" for step, count in sorted(steps))
    nonce = message_nonce(user, key, index)
    assert 1 <= len(nonce) <= 25 and nonce == message_nonce(user, key, index)
    assert nonce != message_nonce(user, key, index + 1)
    assert nonce != message_nonce(user + 1, key, index)
    bumped = "+".join(f"{step}.{count + (i == 0)}" for i, (step, count) in enumerate(sorted(steps)))
    assert nonce != message_nonce(user, bumped, index), "the step's next DM is another message"


async def test_the_fake_refuses_a_nonce_discord_would_refuse(harness: Harness) -> None:
    fake = harness.fake
    channel = fake._dm_channel_payload(harness.ana)["id"]
    async with aiohttp.ClientSession(connector=fake.connector()) as session:
        url = f"{fake.rest_url}/channels/{channel}/messages"
        headers = {"Authorization": f"Bot {TOKEN}"}
        async with session.post(url, json={"content": "hi", "nonce": "x" * 26, "enforce_nonce": True},
                                headers=headers) as response:
            assert response.status == 400 and (await response.json())["code"] == 50035
    assert not fake.dms_to(harness.ana)


def test_a_lease_longer_than_discords_nonce_window_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    config = Config.model_validate({"DISCORD_TOKEN": TOKEN, "DISPATCH_LEASE_SECONDS": 600})
    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        make_rest_notifier(config)
    assert "DISPATCH_LEASE_SECONDS" in caplog.text
    caplog.clear()
    make_rest_notifier(Config.model_validate({"DISCORD_TOKEN": TOKEN}))
    assert not caplog.text
