"""A member can DM the bot the same text as after /interview, and is answered in the DM."""

from __future__ import annotations

from tests.discord.conftest import Harness
from tests.discord.fake_discord import message_text


def texts(messages: list[dict[str, object]]) -> str:
    return "\n".join(message_text(m) for m in messages)  # type: ignore[arg-type]


async def dm(harness: Harness, user: int, text: str) -> str:
    """The member's DM, and what the bot answered to it in the DM."""
    before = len(harness.fake.dms_to(user))
    assert await harness.fake.user_dm(user, text), "the bot asked for DM events"
    answered = await harness.fake.wait_dms(user, before + 1)
    return texts(answered[before:])


async def test_a_member_with_reminders_lists_their_server_interviews_by_dm(harness: Harness) -> None:
    ana = harness.ana
    await harness.add(ana, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00")
    assert (await harness.dispatcher().run_once()).delivered == 1  # a reminder DM from the server's data
    listed = await dm(harness, ana, "list")
    assert "Horizon Marketing" in listed
    shown = await dm(harness, ana, "/interview show #1")
    assert "Marketing Coordinator" in shown
    assert all(m["allowed_mentions"] == {"parse": []} for m in harness.fake.dms_to(ana))
    assert not harness.fake.rejections


async def test_a_member_new_to_the_bot_can_log_and_list_by_dm(harness: Harness) -> None:
    cleo = harness.fake.add_user("cleo")
    await dm(harness, cleo, "settings tz: Europe/Berlin")
    logged = await dm(harness, cleo, "add company: Acme Labs; role: Data Analyst; when: yesterday 2pm")
    assert "Logged #1" in logged
    assert "Acme Labs" in await dm(harness, cleo, "list")
    # the member's server data is another space: nothing leaks into it
    in_server = await harness.fake.slash(cleo, "interview list", guild_id=harness.guild)
    assert "Acme Labs" not in in_server.text()


async def test_bad_text_gets_a_short_answer_and_changes_nothing(harness: Harness) -> None:
    ben = harness.ben
    answer = await dm(harness, ben, "blorp #3")
    assert "blorp" in answer and "Traceback" not in answer and len(answer) < 500
    assert "No interviews" in await dm(harness, ben, "list")
    refused = await dm(harness, ben, "admin stats")
    assert "aggregate figures" not in refused


async def test_other_bots_are_not_answered(harness: Harness) -> None:
    fake = harness.fake
    robot = fake.add_user("robot")
    fake.users[robot]["bot"] = True
    assert await fake.user_dm(robot, "list")
    await dm(harness, harness.ana, "help")  # answered after the robot's DM would have been
    assert not fake.dms_to(robot)
