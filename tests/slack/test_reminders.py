"""Reminder DMs end to end: the dispatcher, the Slack notifier, the fake Slack, the DM's buttons."""

from __future__ import annotations

import time
from datetime import date, datetime
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.buttons import ALREADY_DONE, NOT_YOURS
from adapters.slack.notifier import ChannelPacer, SlackNotifier
from bot.ports import Outcome, Recipient
from bot.replies import Action, Draft, Reply
from tests.slack.conftest import ALICE, BOB, BOT_TOKEN, TEAM, Harness
from tests.slack.fake_slack import MESSAGE_BLOCKS, FakeSlack, validate_blocks, validate_view
from tests.slack.signing import texts

# Alice's zone is America/New_York; the clock starts at 13:00 UTC (08:00 there).
ADD = ("add company: Horizon Marketing; role: Marketing Coordinator; when: today 7am; "
       "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the launch")


def notifier_for(fake: FakeSlack, interval: float = 0.0) -> SlackNotifier:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.url)

    async def client_for(team: str) -> AsyncWebClient | None:
        return client

    return SlackNotifier(client_for, ChannelPacer(interval))


def dm(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [{"ts": m.ts, "blocks": m.blocks, "text": m.text} for m in fake.messages.get(fake.dm_channel(user), [])]


async def the_reminder_dm(slack: Harness) -> dict[str, Any]:
    """Alice adds the interview (ADD); two hours on, the dispatcher sends her its one reminder DM."""
    await slack.ask(ADD)
    slack.clock.advance(hours=2)
    await slack.dispatcher.run_once()
    [message] = dm(slack.fake, ALICE)
    return message


async def test_a_reminder_dm_arrives_at_its_time_and_its_buttons_work_for_its_owner_only(slack: Harness) -> None:
    fake = slack.fake
    await slack.ask("settings name: Alice Moreno; email: alice@example.com")
    await slack.ask(ADD)
    dispatcher = slack.dispatcher

    await dispatcher.run_once()
    assert dm(fake, ALICE) == []  # the interview ends at 13:00 UTC; the first DM is due an hour later
    slack.clock.advance(hours=1, minutes=1)
    await dispatcher.run_once()
    [message] = dm(fake, ALICE)
    assert validate_blocks(message["blocks"], MESSAGE_BLOCKS) == []
    shown = texts(message["blocks"])
    assert "Horizon Marketing" in shown and "Subject:" in shown and "Dear Ms. Richardson" in shown
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    for wanted in ("sent", "Snooze 1 hour", "tomorrow morning", "Snooze 3 days", "offer", "rejected",
                   "next round", "Show drafts"):
        assert any(wanted.lower() in label.lower() for label in labels), (wanted, labels)
    assert any(label == "Gmail" or "mailto" in label.lower() or "mail" in label.lower() for label in labels)

    # Bob cannot press Alice's buttons: he is told so, nothing changes.
    channel = fake.dm_channel(ALICE)
    await slack.press_in_message(message, "Mark", BOB, channel, key="bob-press")
    [refusal] = fake.responses_to("bob-press")
    assert refusal["text"] == NOT_YOURS and refusal["response_type"] == "ephemeral"
    assert refusal.get("replace_original") is False
    assert "thank-you" in texts((await slack.ask("list"))["blocks"])

    assert dm(fake, ALICE) == [message]  # the DM is as it was

    # Alice shows the drafts (a new message; the buttons stay), then marks the thank-you sent: the
    # DM itself is updated with chat.update (which, unlike a response_url, works days later too).
    await slack.press_in_message(message, "Show drafts", ALICE, channel, key="drafts")
    assert fake.responses_to("drafts") == []
    reminder, drafts = dm(fake, ALICE)
    assert reminder == message and "Subject:" in texts(drafts["blocks"])
    await slack.press_in_message(message, "Mark", ALICE, channel, key="alice-press")
    updated = dm(fake, ALICE)[0]
    assert fake.responses_to("alice-press") == [] and fake.called("chat.update")
    assert updated["ts"] == message["ts"] and validate_blocks(updated["blocks"], MESSAGE_BLOCKS) == []
    assert not [e for b in updated["blocks"] if b["type"] == "actions" for e in b["elements"] if "value" in e]
    assert "Done" in texts(updated["blocks"]) and "Dear Ms. Richardson" in texts(updated["blocks"])
    listing = texts((await slack.ask("list"))["blocks"])
    assert "check-in" in listing and "thank-you" not in listing

    # A second press on the old copy of the message does not act twice.
    await slack.press_in_message(message, "Mark", ALICE, channel, key="again")
    assert fake.responses_to("again")[0]["text"] == ALREADY_DONE
    await slack.press_in_message(message, "Snooze 3 days", ALICE, channel, key="stale")
    assert fake.responses_to("stale")[0]["text"] == ALREADY_DONE  # any button of that old copy
    await slack.press_in_message(message, "Snooze 3 days", BOB, channel, key="bob-again")
    assert fake.responses_to("bob-again")[0]["text"] == NOT_YOURS
    assert "snoozed" not in texts((await slack.ask("list"))["blocks"]).lower()
    assert len(dm(fake, ALICE)) == 2 and dm(fake, ALICE)[0] == updated


async def test_a_rate_limited_dm_is_retried_after_retry_after(slack: Harness) -> None:
    fake = slack.fake
    await slack.ask(ADD)
    slack.clock.advance(hours=2)
    notifier = notifier_for(fake)
    fake.rate_limit("chat.postMessage", times=1, retry_after=30)
    recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
    result = await notifier.send(recipient, Reply(title="Your thank-you is due"))
    assert result.outcome is Outcome.RETRY and result.retry_after == 30
    assert dm(fake, ALICE) == []

    fake.rate_limit("chat.postMessage", times=1, retry_after=30)
    dispatcher = slack.dispatcher
    stats = await dispatcher.run_once()
    assert stats.retried == 1 and dm(fake, ALICE) == []
    slack.clock.advance(seconds=20)
    await dispatcher.run_once()
    assert dm(fake, ALICE) == []  # not before Retry-After
    slack.clock.advance(minutes=5)
    await dispatcher.run_once()
    assert len(dm(fake, ALICE)) == 1


async def test_server_errors_and_timeouts_are_retried_and_closed_dms_are_permanent(slack: Harness) -> None:
    fake = slack.fake
    notifier = notifier_for(fake)
    recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
    fake.fail("chat.postMessage", "internal_error")
    assert (await notifier.send(recipient, Reply(title="x"))).outcome is Outcome.RETRY
    for error in ("user_not_found", "cannot_dm_bot", "is_archived", "account_inactive", "channel_not_found"):
        fake.fail("chat.postMessage", error)
        result = await notifier.send(recipient, Reply(title="x"))
        assert (result.outcome, result.reason) == (Outcome.PERMANENT, error)
    unreachable = SlackNotifier(lambda team: _client("http://127.0.0.1:9/api/"), ChannelPacer(0))
    assert (await unreachable.send(recipient, Reply(title="x"))).outcome is Outcome.RETRY


async def _client(url: str) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=url, timeout=2)


async def test_an_undelivered_reminder_is_told_with_the_next_command(slack: Harness) -> None:
    fake = slack.fake
    await slack.ask(ADD)
    fake.users[ALICE]["deleted"] = True  # Slack refuses: account_inactive
    slack.clock.advance(hours=2)
    stats = await slack.dispatcher.run_once()
    assert stats.failed == 1 and dm(fake, ALICE) == []
    body = await slack.ask("help")
    assert ":warning:" in texts(body["blocks"]) and "Horizon" in texts(body["blocks"][:2])
    again = await slack.ask("help")
    assert ":warning:" not in texts(again["blocks"])  # told once
    assert "not delivered" in texts((await slack.ask("list"))["blocks"]).lower()  # and the list says so


async def test_a_2500_word_draft_is_delivered_in_pieces_slack_accepts(slack: Harness) -> None:
    fake = slack.fake
    words = " ".join(f"word{i}" for i in range(2500))
    body = "Dear Ms. Richardson,\n\n" + "\n\n".join(words[i : i + 1200] for i in range(0, len(words), 1200))
    drafts = [Draft(kind="thank-you", to_name=f"Person {n}", to_email=None, subject="Thank you", body=body)
              for n in range(4)]
    recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
    result = await notifier_for(fake).send(recipient, Reply(title="Thank-yous due", drafts=drafts))
    assert result.outcome is Outcome.DELIVERED
    posted = fake.called("chat.postMessage")
    assert len(posted) >= 2 and all(validate_blocks(c.args["blocks"], MESSAGE_BLOCKS) == [] for c in posted)
    delivered = " ".join(texts(m["blocks"]) for m in dm(fake, ALICE))
    assert all(f"word{i}" in delivered for i in (0, 1249, 2499))


async def test_a_long_dm_rate_limited_half_way_is_finished_without_repeating_itself(slack: Harness) -> None:
    fake = slack.fake
    body = "\n\n".join(" ".join(f"w{p}x{i}" for i in range(150)) for p in range(12))
    drafts = [Draft(kind="thank-you", to_name=f"Person {n}", to_email=None, subject="Thank you", body=body)
              for n in range(6)]
    fake.rate_limit("chat.postMessage", times=1, retry_after=1, after=1)
    recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
    result = await notifier_for(fake).send(recipient, Reply(title="Thank-yous due", drafts=drafts,
                                                            actions=[Action("Mark sent", "sent #1")]))
    assert result.outcome is Outcome.DELIVERED
    messages = dm(fake, ALICE)
    assert len(messages) >= 2 and len(fake.called("chat.postMessage")) == len(messages) + 1
    assert sum(texts(m["blocks"]).count("Thank-yous due") for m in messages) == 1  # the head went out once
    assert any(b["type"] == "actions" for b in messages[0]["blocks"])  # with the buttons


async def test_messages_to_one_channel_are_paced(slack: Harness) -> None:
    notifier = notifier_for(slack.fake, interval=0.25)
    recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
    started = time.monotonic()
    for _ in range(3):
        await notifier.send(recipient, Reply(title="hi"))
    assert time.monotonic() - started >= 0.5
    assert len(dm(slack.fake, ALICE)) == 3


def at_new_york(day: date, hour: int) -> int:
    """The UNIX time Slack's date-time picker gives when a member in New York picks `hour`:00 on `day`."""
    return int(datetime.combine(day, clock_time(hour), ZoneInfo("America/New_York")).timestamp())


async def test_heard_next_round_asks_when_with_a_date_time_picker_then_closes_the_reminder(slack: Harness) -> None:
    fake = slack.fake
    message = await the_reminder_dm(slack)
    channel = fake.dm_channel(ALICE)
    await slack.press_in_message(message, "next round", ALICE, channel)
    view = fake.called("views.open")[-1].args["view"]
    assert validate_view(view) == [] and view["title"]["text"] == "When is the next round?"
    [picker] = [b for b in view["blocks"] if b["type"] == "input"]
    assert picker["element"]["type"] == "datetimepicker" and not picker.get("optional")
    assert "/interview heard #1 next round Tuesday 10am" in texts(view["blocks"])  # words, if she prefers
    with pytest.raises(ValueError, match="required"):
        fake.view_submission(view, ALICE, {})  # Slack keeps a required picker's form open

    def submit(when: int) -> dict[str, Any]:
        return fake.view_submission(view, ALICE, {"when": when})

    refused = (await slack.sender.interaction(submit(at_new_york(date(2028, 12, 8), 10)))).json()
    assert refused["response_action"] == "errors" and "more than a year" in refused["errors"]["when"]
    assert dm(fake, ALICE) == [message]
    done = (await slack.sender.interaction(submit(at_new_york(date(2026, 12, 8), 10)))).json()
    assert done["response_action"] == "update" and ":x:" not in texts(done["view"]["blocks"])
    await slack.settle()
    [updated] = dm(fake, ALICE)
    assert "Done" in texts(updated["blocks"]) and "Horizon Marketing" in texts(updated["blocks"])
    assert not [b for b in updated["blocks"] if b["type"] == "actions" and "block_id" in b]
    shown = texts((await slack.ask("show #1"))["blocks"])
    assert "Tue Dec 8, 10:00 EST" in shown  # 10:00 as Alice picked it, in her own zone
    again = (await slack.sender.interaction(submit(at_new_york(date(2026, 12, 9), 10)))).json()
    assert again["response_action"] == "errors"  # the same form sent twice acts once


async def test_heard_decision_asks_for_the_day_with_a_date_picker(slack: Harness) -> None:
    fake = slack.fake
    await slack.ask(ADD)
    recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
    await notifier_for(fake).send(recipient, Reply(title="Any news from Horizon Marketing?",
                                                   actions=[Action("Heard: decision date", "heard #1 decision")]))
    [message] = dm(fake, ALICE)
    await slack.press_in_message(message, "decision date", ALICE, fake.dm_channel(ALICE))
    view = fake.called("views.open")[-1].args["view"]
    assert validate_view(view) == [] and view["title"]["text"] == "When will they decide?"
    [picker] = [b for b in view["blocks"] if b["type"] == "input"]
    assert picker["element"]["type"] == "datepicker" and not picker.get("optional")

    done = (await slack.sender.interaction(fake.view_submission(view, ALICE, {"when": "2026-12-15"}))).json()
    assert done["response_action"] == "update" and ":x:" not in texts(done["view"]["blocks"])
    await slack.settle()
    assert "Tue Dec 15" in texts((await slack.ask("show #1"))["blocks"])
    assert "Done" in texts(dm(fake, ALICE)[0]["blocks"])


async def test_a_press_that_changes_nothing_can_be_pressed_again(slack: Harness) -> None:
    fake = slack.fake
    message = await the_reminder_dm(slack)
    await slack.ask("forget confirm")  # the interview is gone: its buttons can only say so
    channel = fake.dm_channel(ALICE)
    for _ in range(2):
        await slack.press_in_message(message, "Mark", ALICE, channel)
        answer = dm(fake, ALICE)[-1]
        assert "You have no interview #1" in texts(answer["blocks"])
    assert dm(fake, ALICE)[0] == message and len(dm(fake, ALICE)) == 3  # the reminder itself unchanged
