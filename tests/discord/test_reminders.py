"""Reminder DMs on Discord: embeds, drafts, buttons that survive a restart, closed DMs, rate limits."""

from __future__ import annotations

from typing import Any

from bot.domain import Delivery
from bot.ports import Recipient
from bot.replies import Action, Reply
from tests.discord.conftest import Harness
from tests.discord.fake_discord import buttons, message_text
from tests.discord.test_commands import long_draft

JANE = "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand launch"


def plain(label: str) -> str:
    """A button's label without the interview it names (`Snooze 1 hour (#3)` -> `Snooze 1 hour`)."""
    return label.split(" (#")[0]


def button(messages: list[dict[str, Any]], label: str) -> tuple[dict[str, Any], str]:
    for message in messages:
        for b in buttons(message):
            if plain(b.get("label", "")) == label:
                return message, b["custom_id"]
    raise AssertionError(f"no button {label!r} in {[b.get('label') for m in messages for b in buttons(m)]}")


async def test_reminder_dm_shows_what_is_due_with_drafts_and_buttons(harness: Harness) -> None:
    await harness.add(harness.ana, f"company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00; "
                                   f"{JANE}")
    stats = await harness.dispatcher().run_once()
    assert stats.delivered == 1
    dms = harness.fake.dms_to(harness.ana)
    text = "\n".join(message_text(m) for m in dms)
    assert "thank-you" in text.lower() and "Horizon Marketing" in text
    assert "Dear Ms. Richardson" in text
    labels = [plain(b["label"]) for m in dms for b in buttons(m)]
    assert {"Show drafts", "Snooze 1 hour", "Heard: offer"} <= set(labels)
    assert any(label.startswith("Mark") and "sent" in label for label in labels)
    assert any(b.get("url", "").startswith("https://") for m in dms for b in buttons(m)), "web compose links"
    assert all(m["allowed_mentions"] == {"parse": []} for m in dms)
    assert all(len(b.get("custom_id", "")) <= 100 for m in dms for b in buttons(m))
    assert not harness.fake.rejections


async def test_buttons_act_for_their_owner_once_and_survive_a_restart(harness: Harness) -> None:
    fake, ana, ben = harness.fake, harness.ana, harness.ben
    await harness.add(ana, f"company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00; {JANE}")
    await harness.add(ana, "company: Acme Labs; role: Data Analyst; when: today 9:00; with: Sam Lee <sam@acme.example>")
    assert (await harness.dispatcher().run_once()).delivered == 2
    dms = fake.dms_to(ana)
    horizon = [m for m in dms if "Horizon" in message_text(m) and buttons(m)]
    acme = [m for m in dms if "Acme" in message_text(m) and buttons(m)]

    # Before a restart: Show drafts answers privately and leaves the message as it was
    message, show = button(horizon, "Show drafts")
    shown = await fake.press(ana, message, show)
    assert "Dear Ms. Richardson" in shown.text() and shown.messages()[0]["flags"] & 64
    # Snooze acts, and the message loses its state-changing buttons so it cannot act twice
    message, snooze = button(acme, "Snooze 3 days")
    snoozed = await fake.press(ana, message, snooze)
    assert snoozed.response_type == 7, snoozed.text()
    edited = fake.messages[int(message["id"])]
    assert edited["content"].startswith("✅ Snoozed")
    left = [plain(b["label"]) for b in buttons(edited)]
    assert "Snooze 3 days" not in left and "Show drafts" in left
    assert not any(label.startswith("Mark") for label in left)

    await harness.restart()

    # Someone else pressing Ana's button gets a refusal and changes nothing
    mark_label = next(b["label"] for m in horizon for b in buttons(m) if b["label"].startswith("Mark"))
    message, mark = button(horizon, plain(mark_label))
    refused = await fake.press(ben, message, mark)
    assert "someone else" in refused.text()
    assert not fake.messages[int(message["id"])]["content"].startswith("✅")
    # After the restart the owner's press still works
    pressed = await fake.press(ana, message, mark)
    assert pressed.response_type == 7
    assert fake.messages[int(message["id"])]["content"].startswith("✅")
    listed = await fake.slash(ana, "interview show", {"interview": "1"}, guild_id=harness.guild)
    assert "thanked" in listed.text()
    message, show = button([fake.messages[int(message["id"])]], "Show drafts")
    again = await fake.press(ana, message, show)
    assert again.messages()
    assert not fake.rejections


async def test_heard_next_round_asks_when_with_a_form(harness: Harness) -> None:
    fake, ana = harness.fake, harness.ana
    await harness.add(ana, f"company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00; {JANE}")
    await harness.dispatcher().run_once()
    message, next_round = button(fake.dms_to(ana), "Heard: next round")
    asked = await fake.press(ana, message, next_round)
    assert asked.response_type == 9 and asked.response is not None
    answered = await fake.submit_modal(ana, asked.response["custom_id"], {"when": "next Tuesday 10:00"},
                                       message=message)
    assert answered.response_type == 7
    assert "next round" in fake.messages[int(message["id"])]["content"]


async def test_closed_dms_keep_the_reminder_and_the_user_is_told(harness: Harness) -> None:
    fake = harness.fake
    cleo = fake.add_user("cleo", dms_closed=True)
    await harness.add(cleo, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00")
    stats = await harness.dispatcher().run_once()
    assert stats.failed == 1 and not fake.dms_to(cleo)
    async with harness.store.transaction() as tx:
        user = await tx.user("discord", str(harness.guild), str(cleo))
        assert user is not None and user.id is not None
        (interview,) = await tx.interviews(user.id)
    step = interview.steps[0]
    assert step.is_open and step.delivery is Delivery.FAILED and "50007" in (step.last_error or "")
    # a generic line in the server's notice channel: pings Cleo only, says nothing of the job
    (notice,) = fake.channel_posts
    assert notice["channel_id"] == str(fake.channel_id(harness.guild, "followthrough-notices"))
    assert f"<@{cleo}>" in notice["content"] and "Horizon" not in notice["content"]
    assert notice["allowed_mentions"]["parse"] == []
    assert [str(u) for u in notice["allowed_mentions"]["users"]] == [str(cleo)]
    # the next command tells her, privately
    listed = await fake.slash(cleo, "interview list", guild_id=harness.guild)
    assert "could not be delivered" in listed.text(), listed.text()
    assert listed.messages()[0]["flags"] & 64
    again = await fake.slash(cleo, "interview list", guild_id=harness.guild)
    assert "could not be delivered" not in again.text()


async def test_a_rate_limit_is_waited_out_not_dropped(harness: Harness) -> None:
    fake = harness.fake
    await harness.add(harness.ana, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00")
    fake.limit_next(2, retry_after=0.05, is_global=True)
    stats = await harness.dispatcher().run_once()
    assert stats.delivered == 1 and fake.rate_limited == 2
    assert len([m for m in fake.dms_to(harness.ana) if buttons(m)]) == 1


async def test_a_2500_word_draft_dm_stays_within_limits_and_text_with_everyone_cannot_ping(
        harness: Harness) -> None:
    assert harness.bot is not None
    from adapters.discord.run import make_notifier

    notifier = make_notifier(harness.bot)
    reply = Reply(title="Follow-up due: thank-you for #1 @everyone Corp – Lead @here", drafts=[long_draft(2500)],
                  actions=[Action("Mark thank-you sent", "sent #1 thank-you", "primary"),
                           Action("Show drafts", "draft #1")])
    result = await notifier.send(Recipient(1, "discord", str(harness.guild), str(harness.ana)), reply)
    assert result.outcome.value == "delivered", result
    dms = harness.fake.dms_to(harness.ana)
    assert len(dms) >= 2 and not harness.fake.rejections
    assert "@everyone Corp" in dms[0]["content"]
    assert all(m["allowed_mentions"] == {"parse": []} for m in dms)
    assert [b["label"] for b in buttons(dms[-1]) if not b.get("url")] == ["Mark thank-you sent (#1)",
                                                                           "Show drafts (#1)"]
