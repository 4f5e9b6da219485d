"""Members DM the bot the same text as /interview; the answer comes back in the DM."""

from __future__ import annotations

from tests.slack.conftest import ALICE, BOB, Harness
from tests.slack.fake_slack import MESSAGE_BLOCKS, validate_blocks
from tests.slack.signing import texts


def dm_texts(slack: Harness, user: str) -> list[str]:
    return [texts(m.blocks) for m in slack.fake.messages.get(slack.fake.dm_channel(user), [])]


async def say(slack: Harness, user: str, text: str, **kw: object) -> str:
    """`user` DMs the bot `text`; returns the bot's answer (the last new message in the DM)."""
    before = len(dm_texts(slack, user))
    answer = await slack.sender.event(slack.fake.dm_event(user, text, **kw))  # type: ignore[arg-type]
    assert answer.status == 200 and answer.elapsed < 3
    await slack.settle()
    new = slack.fake.messages.get(slack.fake.dm_channel(user), [])[before:]
    assert all(validate_blocks(m.blocks, MESSAGE_BLOCKS) == [] for m in new)
    return "\n".join(texts(m.blocks) for m in new)


async def test_a_dm_runs_the_same_command_as_slash_interview_and_is_answered_in_the_dm(slack: Harness) -> None:
    assert "Zephyrine" in await say(slack, ALICE, "add company: Zephyrine Labs; role: Analyst; when: yesterday 2pm")
    listing = await say(slack, ALICE, "list")
    assert "Zephyrine" in listing and "thank-you" in listing
    assert "Analyst" in await say(slack, ALICE, "/interview show #1")
    assert "Analyst" in await say(slack, ALICE, "Interview show #1")
    assert ":x:" in await say(slack, ALICE, "lst")  # the same short, specific answer as the command's
    assert "Zephyrine" not in await say(slack, BOB, "list")  # each member's own data
    assert ALICE in slack.fake.home  # the home tab follows a change


async def test_the_bots_own_messages_edits_and_other_subtypes_are_not_answered(slack: Harness) -> None:
    await say(slack, ALICE, "list")
    posted = len(slack.fake.called("chat.postMessage"))
    assert await say(slack, ALICE, "list", bot=True) == ""  # the bot's own message, echoed by Slack
    assert await say(slack, ALICE, "list", subtype="message_changed") == ""
    assert await say(slack, ALICE, "list", subtype="message_deleted") == ""
    assert await say(slack, ALICE, "list", subtype="bot_message") == ""
    assert len(slack.fake.called("chat.postMessage")) == posted


async def test_a_form_command_in_a_dm_offers_a_button_that_opens_the_form(slack: Harness) -> None:
    answer = await say(slack, ALICE, "add")
    assert "form" in answer.lower()
    message = slack.fake.messages[slack.fake.dm_channel(ALICE)][-1]
    await slack.press_in_message({"ts": message.ts, "blocks": message.blocks, "text": message.text}, "interview",
                                 ALICE, slack.fake.dm_channel(ALICE))
    opened = slack.fake.called("views.open")[-1].args["view"]
    assert opened["callback_id"] == "ft-form" and {"company", "role", "when"} <= {
        b["block_id"] for b in opened["blocks"] if b["type"] == "input"}


async def test_a_reply_in_a_thread_is_answered_in_that_thread(slack: Harness) -> None:
    await say(slack, ALICE, "list", thread_ts="1700000000.000001")
    assert slack.fake.called("chat.postMessage")[-1].args["thread_ts"] == "1700000000.000001"


async def test_a_message_event_that_says_it_is_from_someone_elses_dm_is_not_answered(slack: Harness) -> None:
    event = slack.fake.dm_event(ALICE, "list")
    event["event"]["channel"] = slack.fake.dm_channel(BOB)
    assert (await slack.sender.event(event)).status == 200
    await slack.settle()
    assert slack.fake.messages.get(slack.fake.dm_channel(BOB)) is None
