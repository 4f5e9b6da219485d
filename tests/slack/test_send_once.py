"""A reminder DM goes out once on Slack: a process that dies between posting and recording does not
cause a second copy (the next one finds the first in the DM's history by its metadata)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from adapters.slack.sent_once import EVENT_TYPE
from bot.ports import Outcome, Recipient
from bot.reminders import Dispatcher
from bot.replies import Action, Draft, Reply
from tests.dispatch_support import DiesBeforeRecording
from tests.slack.conftest import ALICE, TEAM, Harness
from tests.slack.signing import texts
from tests.slack.test_reminders import ADD, dm, notifier_for

RECIPIENT = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
REMINDER = Reply(title="Your thank-you to Horizon is due", actions=[Action("Mark sent", "sent #1")])


async def test_a_dm_posted_by_a_process_that_died_is_not_posted_again(slack: Harness) -> None:
    fake = slack.fake
    first = notifier_for(fake)
    assert (await first.send(RECIPIENT, REMINDER, dm_key="7.0")).outcome is Outcome.DELIVERED
    [posted] = fake.messages[fake.dm_channel(ALICE)]
    assert posted.metadata == {"event_type": EVENT_TYPE, "event_payload": {"dm_key": "7.0", "part": 0}}
    # The process dies before recording; another one claims the same reminder later.
    second = notifier_for(fake)
    assert (await second.send(RECIPIENT, REMINDER, dm_key="7.0")).outcome is Outcome.DELIVERED
    assert len(dm(fake, ALICE)) == 1 and len(fake.called("chat.postMessage")) == 1
    # The step's next DM (its last call) has another key: it goes out.
    assert (await second.send(RECIPIENT, REMINDER, dm_key="7.1")).outcome is Outcome.DELIVERED
    assert len(dm(fake, ALICE)) == 2
    # What a process delivered itself it does not even look up again.
    looked = len(fake.called("conversations.history"))
    assert (await second.send(RECIPIENT, REMINDER, dm_key="7.1")).outcome is Outcome.DELIVERED
    assert len(fake.called("conversations.history")) == looked and len(dm(fake, ALICE)) == 2


async def test_a_long_dm_cut_short_by_a_crash_is_finished_without_repeating_its_start(slack: Harness) -> None:
    fake = slack.fake
    body = "\n\n".join(" ".join(f"w{p}x{i}" for i in range(150)) for p in range(12))
    long_dm = Reply(title="Thank-yous due", actions=[Action("Mark sent", "sent #1")],
                    drafts=[Draft(kind="thank-you", to_name=f"Person {n}", to_email=None, subject="Thank you",
                                  body=body) for n in range(6)])
    dying = notifier_for(fake)
    fake.delay("chat.postMessage", 0.3)
    task = asyncio.create_task(dying.send(RECIPIENT, long_dm, dm_key="9.0"))
    while not fake.messages.get(fake.dm_channel(ALICE)):
        await asyncio.sleep(0.05)
    task.cancel()  # killed after its first message, before the rest
    with pytest.raises(asyncio.CancelledError):
        await task
    fake.delay("chat.postMessage", 0)
    await asyncio.sleep(0.35)
    sent_before = len(dm(fake, ALICE))
    assert sent_before >= 1
    assert (await notifier_for(fake).send(RECIPIENT, long_dm, dm_key="9.0")).outcome is Outcome.DELIVERED
    messages = dm(fake, ALICE)
    assert sum(texts(m["blocks"]).count("Thank-yous due") for m in messages) == 1  # the head once
    parts = [m.metadata["event_payload"]["part"] for m in fake.messages[fake.dm_channel(ALICE)] if m.metadata]
    assert sorted(parts) == list(range(len(parts)))  # every part once, none missing


async def test_without_history_access_the_dm_still_goes_out_and_a_rate_limit_defers_it(
        slack: Harness, caplog: pytest.LogCaptureFixture) -> None:
    fake = slack.fake
    notifier = notifier_for(fake)
    fake.rate_limit("conversations.history", times=1, retry_after=7)
    result = await notifier.send(RECIPIENT, REMINDER, dm_key="3.0")
    assert (result.outcome, result.retry_after) == (Outcome.RETRY, 7) and dm(fake, ALICE) == []
    fake.fail("conversations.history", "missing_scope", times=2)
    with caplog.at_level(logging.WARNING):
        assert (await notifier.send(RECIPIENT, REMINDER, dm_key="3.0")).outcome is Outcome.DELIVERED
        assert (await notifier.send(RECIPIENT, REMINDER, dm_key="4.0")).outcome is Outcome.DELIVERED
    assert len(dm(fake, ALICE)) == 2
    assert sum("im:history" in r.getMessage() for r in caplog.records) == 1  # said once


async def test_a_worker_killed_after_posting_is_followed_by_no_second_copy(slack: Harness) -> None:
    fake = slack.fake
    await slack.ask(ADD)
    slack.clock.advance(hours=2)
    dying = Dispatcher(DiesBeforeRecording(slack.store), slack.service.reminder_message,  # type: ignore[arg-type]
                       {"slack": notifier_for(fake)}, slack.clock, max_attempts=3, lease_seconds=60)
    await dying.run_once()
    [posted] = dm(fake, ALICE)  # it went out; nothing recorded it
    slack.clock.advance(seconds=61)  # the claim's lease runs out: another worker takes the reminder
    survivor = Dispatcher(slack.store, slack.service.reminder_message, {"slack": notifier_for(fake)}, slack.clock,
                          max_attempts=3, lease_seconds=60)
    stats = await survivor.run_once()
    assert stats.delivered == 1  # recorded as delivered now...
    assert dm(fake, ALICE) == [posted] and len(fake.called("chat.postMessage")) == 1  # ...without a second copy
    assert fake.called("conversations.history")  # found by its metadata in the DM
    assert (await survivor.run_once()).delivered == 0
