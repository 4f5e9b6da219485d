"""/interview on Discord: every subcommand, typed options, autocomplete, forms, ephemeral answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from adapters.discord.commands import InterviewGroup
from adapters.discord.run import sync_commands_async, sync_when_changed_async
from bot.config import Config
from bot.replies import Draft, Link, Reply
from tests.discord.conftest import Harness
from tests.discord.fake_discord import TOKEN, Interaction, buttons, message_text

HORIZON = ("company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00; "
           "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand launch")


def assert_ephemeral_and_quiet(record: Interaction) -> None:
    """Only the user sees it, and nothing in it can ping anyone."""
    assert record.messages(), "no answer"
    for message in record.messages():
        assert message["flags"] & 64, "answers are ephemeral"
        assert message["allowed_mentions"] == {"parse": []}, message["allowed_mentions"]


async def test_every_subcommand_answers_the_user_privately(harness: Harness) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild

    async def run(path: str, options: dict[str, Any] | None = None) -> str:
        record = await fake.slash(ana, path, options, guild_id=guild)
        assert record.response_type in (4, 5), (path, record.response_type)
        assert_ephemeral_and_quiet(record)
        return record.text()

    assert "Settings saved" in await run("interview settings", {"tz": "Europe/Berlin", "name": "Ana Lopez",
                                                                "email": "ana@example.com"})
    await harness.add(ana, HORIZON)
    assert "Horizon" in await run("interview list")
    assert "Horizon" in await run("interview list", {"all": True})
    shown = await run("interview show", {"interview": "1"})
    assert "Jane Richardson" in shown and "brand launch" in shown
    assert "Updated" in await run("interview update", {"interview": "1", "topics": "the TikTok pilot",
                                                       "with": "Mr. Omar Haddad (Recruiter) <omar@horizon.example>"})
    drafts = await run("interview draft", {"interview": "1"})
    assert "Dear Ms. Richardson" in drafts and "Dear Mr. Haddad" in drafts
    assert "Ana Lopez" in drafts
    assert "marked sent" in await run("interview sent", {"interview": "1", "kind": "thank-you"})
    assert "Snoozed" in await run("interview snooze", {"interview": "1", "until": "30d"})
    assert "decide by" in await run("interview heard", {"interview": "1", "news": "decision", "when": "next Friday"})
    assert "timeline" in (await run("interview offer-elsewhere", {"interview": "1", "deadline": "tomorrow"})).lower()

    calendar = await fake.slash(ana, "interview calendar", guild_id=guild)
    assert_ephemeral_and_quiet(calendar)
    assert any(a["filename"].endswith(".ics") for m in calendar.messages() for a in m["attachments"])
    export = await fake.slash(ana, "interview export", guild_id=guild)
    files = dict(f for m in export.messages() for f in fake.messages[int(m["id"])]["_files"])
    exported = json.loads(next(data for name, data in files.items() if name.endswith(".json")))
    assert "Horizon Marketing" in json.dumps(exported)

    assert "help" in (await run("interview help")).lower()
    assert "add" in (await run("interview help", {"command": "add"})).lower()

    warning = await fake.slash(ana, "interview forget", guild_id=guild)
    assert "cannot be undone" in warning.text()
    delete = next(b for m in warning.messages() for b in buttons(m) if b["label"] == "Delete everything")
    pressed = await fake.press(ana, warning.messages()[-1], delete["custom_id"], guild_id=guild)
    assert "deleted" in pressed.original["content"]  # type: ignore[index]
    assert "No interviews" in await run("interview list")
    assert not fake.rejections


async def test_bad_input_gets_the_cores_short_answer(harness: Harness) -> None:
    record = await harness.fake.slash(harness.ana, "interview show", {"interview": "7"}, guild_id=harness.guild)
    assert "You have no interview #7" in record.text()
    record = await harness.fake.slash(harness.ana, "interview add", {"company": "X", "role": "Y", "when": "blorp"},
                                      guild_id=harness.guild)
    assert "blorp" in record.text()
    assert_ephemeral_and_quiet(record)


async def test_first_use_asks_for_the_time_zone(harness: Harness) -> None:
    record = await harness.fake.slash(harness.ben, "interview list", guild_id=harness.guild)
    assert "time zone" in record.text() and "/interview settings tz:" in record.text()


async def test_staff_commands_are_hidden_from_members_and_work_for_manage_server(harness: Harness) -> None:
    fake = harness.fake
    assert fake.picker(harness.guild) == ["interview"]
    assert fake.picker(harness.guild, admin=True) == ["interview", "interview-admin"]
    assert fake.picker(None) == ["interview"], "the bot's DMs offer the member commands only"
    with pytest.raises(PermissionError):
        await fake.slash(harness.ana, "interview-admin stats", guild_id=harness.guild)
    allowed = await fake.slash(harness.ben, "interview-admin stats", guild_id=harness.guild, admin=True)
    assert "Manage Server" not in allowed.text()
    assert_ephemeral_and_quiet(allowed)
    defaults = await fake.slash(harness.ben, "interview-admin defaults", {"check-in": "10d", "tone": "casual"},
                                guild_id=harness.guild, admin=True)
    assert "defaults saved" in defaults.text() and "10 days" in defaults.text()


@pytest.mark.parametrize("by", ["name", "id"])
async def test_staff_by_role_run_staff_commands_without_manage_server(harness: Harness, by: str) -> None:
    fake, guild = harness.fake, harness.guild
    staff = await fake.add_role(guild, "Career Center Staff")
    students = await fake.add_role(guild, "Students")
    harness.staff_role = "career center staff" if by == "name" else str(staff)
    await harness.restart()
    fake.allow_role(guild, "interview-admin", staff)  # the server admin's one step under Integrations
    assert "interview-admin" in fake.picker(guild, roles=(students, staff))
    assert "interview-admin" not in fake.picker(guild, roles=(students,))
    saved = await fake.slash(harness.ana, "interview-admin defaults", {"check-in": "12d"}, guild_id=guild,
                             roles=(students, staff))
    assert "defaults saved" in saved.text() and "12 days" in saved.text()
    stats = await fake.slash(harness.ana, "interview-admin stats", guild_id=guild, roles=(staff,))
    assert "aggregate figures" in stats.text()
    assert not fake.rejections


async def test_a_member_shown_the_staff_command_by_a_wrong_override_is_still_refused(harness: Harness) -> None:
    fake = harness.fake
    helpers = await fake.add_role(harness.guild, "Peer Helpers")
    fake.allow_role(harness.guild, "interview-admin", helpers)  # an admin's mistake in Integrations
    assert "interview-admin" in fake.picker(harness.guild, roles=(helpers,))
    refused = await fake.slash(harness.ana, "interview-admin defaults", {"check-in": "12d"}, guild_id=harness.guild,
                               roles=(helpers,))
    assert "staff" in refused.text() and "saved" not in refused.text()
    shown = await fake.slash(harness.ben, "interview-admin defaults", guild_id=harness.guild, admin=True)
    assert "12" not in shown.text()


async def test_template_set_opens_a_multiline_form_for_admins(harness: Harness) -> None:
    fake = harness.fake
    record = await fake.slash(harness.ben, "interview-admin template", {"kind": "thank-you", "action": "set"},
                              guild_id=harness.guild, admin=True)
    assert record.response_type == 9
    assert record.response is not None
    assert record.response["components"][0]["components"][0]["style"] == 2  # paragraph
    submitted = await fake.submit_modal(harness.ben, record.response["custom_id"],
                                        {"text": "Dear {{ name }},\nthank you."}, guild_id=harness.guild,
                                        admin=True)
    assert submitted.messages() and "Manage Server" not in submitted.text()


async def test_commands_register_within_discords_rules(harness: Harness) -> None:
    config = Config(DISCORD_TOKEN=TOKEN, DISCORD_API_URL=harness.fake.api_url)  # type: ignore[call-arg]
    names = await sync_commands_async(config, harness.guild, tls=harness.fake.client_tls())
    assert sorted(names) == ["interview", "interview-admin"]
    command, staff = sorted(harness.fake.commands[harness.guild], key=lambda c: c["name"])
    subs = {o["name"]: o for o in command["options"]}
    assert set(subs) == {"add", "list", "show", "update", "draft", "sent", "snooze", "heard", "reopen",
                         "offer-elsewhere", "settings", "calendar", "export", "forget", "help"}
    assert {o["name"] for o in staff["options"]} == {"defaults", "template", "words", "stats"}
    assert staff["default_member_permissions"] == str(1 << 5) and command["default_member_permissions"] is None
    assert {o["name"] for o in subs["add"]["options"]} >= {"company", "role", "when", "with", "topics"}
    assert next(o for o in subs["show"]["options"] if o["name"] == "interview")["autocomplete"] is True
    assert next(o for o in subs["settings"]["options"] if o["name"] == "tz")["autocomplete"] is True
    assert not harness.fake.rejections


async def test_members_can_install_the_bot_to_their_own_account(harness: Harness) -> None:
    """A user install: /interview in any server, the bot's DMs and group DMs; staff commands only
    where a server installed the bot."""
    registered = {c["name"]: c for c in harness.fake.commands[None]}
    assert registered["interview"]["integration_types"] == [0, 1]
    assert registered["interview"]["contexts"] == [0, 1, 2]
    assert registered["interview-admin"]["integration_types"] == [0]
    assert registered["interview-admin"]["contexts"] == [0]
    in_dm = await harness.fake.slash(harness.ana, "interview list")  # the bot's DM, as a user install allows
    assert "No interviews" in in_dm.text()
    with pytest.raises(PermissionError):
        await harness.fake.slash(harness.ana, "interview-admin stats", admin=True)


async def test_commands_are_sent_to_discord_only_when_they_changed(harness: Harness,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake = harness.fake
    config = Config(DISCORD_TOKEN=TOKEN, DISCORD_API_URL=fake.api_url)  # type: ignore[call-arg]
    puts = fake.command_puts  # the harness registered them when it started
    again = await sync_when_changed_async(config, tls=fake.client_tls())
    assert not again.changed and fake.command_puts == puts
    # a release that changes a description registers again, once
    monkeypatch.setattr(InterviewGroup.list_, "description", "Your interviews, soonest next step first")
    changed = await sync_when_changed_async(config, tls=fake.client_tls())
    assert changed.changed and fake.command_puts == puts + 1
    assert not (await sync_when_changed_async(config, tls=fake.client_tls())).changed
    # someone registered other commands by hand: the next release puts them right
    fake.commands[None] = fake.commands[None][:1]
    assert (await sync_when_changed_async(config, tls=fake.client_tls())).changed
    assert sorted(c["name"] for c in fake.commands[None]) == ["interview", "interview-admin"]


async def test_autocomplete_offers_only_your_own_interviews(harness: Harness) -> None:
    fake, guild = harness.fake, harness.guild
    await harness.add(harness.ana, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00")
    await harness.add(harness.ana, "company: Acme Labs; role: Data Analyst; when: yesterday 3pm")
    await harness.add(harness.ben, "company: Secret Startup; role: Founder's Associate; when: today 9:00")

    ana_all = await fake.autocomplete(harness.ana, "interview show", {"interview": ""}, "interview", guild_id=guild)
    assert sorted(c["value"] for c in ana_all) == ["1", "2"]
    assert not any("Secret" in c["name"] for c in ana_all)
    ana_hor = await fake.autocomplete(harness.ana, "interview draft", {"interview": "hor"}, "interview",
                                      guild_id=guild)
    assert [c["name"] for c in ana_hor] == [next(c["name"] for c in ana_all if "Horizon" in c["name"])]
    ben_all = await fake.autocomplete(harness.ben, "interview sent", {"interview": ""}, "interview", guild_id=guild)
    assert len(ben_all) == 1 and "Secret Startup" in ben_all[0]["name"]
    # Ben typing Ana's number reaches his own #1 or nothing, never hers
    shown = await fake.slash(harness.ben, "interview show", {"interview": "2"}, guild_id=guild)
    assert "You have no interview #2" in shown.text() and "Acme" not in shown.text()
    # typing a company instead of picking finds your own interview, never someone else's
    typed = await fake.slash(harness.ana, "interview show", {"interview": "acme"}, guild_id=guild)
    assert "Acme Labs" in typed.text()
    other = await fake.slash(harness.ben, "interview show", {"interview": "acme"}, guild_id=guild)
    assert "Acme Labs" not in other.text() and "Data Analyst" not in other.text()


async def test_time_zone_autocomplete(harness: Harness) -> None:
    fake = harness.fake
    berlin = await fake.autocomplete(harness.ana, "interview settings", {"tz": "berl"}, "tz", guild_id=harness.guild)
    assert berlin[0]["value"] == "Europe/Berlin"
    many = await fake.autocomplete(harness.ana, "interview settings", {"tz": "a"}, "tz", guild_id=harness.guild)
    assert len(many) == 25
    york = await fake.autocomplete(harness.ana, "interview settings", {"tz": "new y"}, "tz", guild_id=harness.guild)
    assert "America/New_York" in [c["value"] for c in york]


async def test_add_without_options_opens_a_form(harness: Harness) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild
    record = await fake.slash(ana, "interview add", guild_id=guild)
    assert record.response_type == 9
    assert record.response is not None
    fields = [row["components"][0]["custom_id"] for row in record.response["components"]]
    assert fields == ["company", "role", "when", "with", "topics"]
    submitted = await fake.submit_modal(ana, record.response["custom_id"], {
        "company": "Horizon Marketing", "role": "Marketing Coordinator", "when": "today 10:00",
        "with": "Ms. Jane Richardson <jane@horizon.example>\nMr. Omar Haddad (recruiter)",
        "topics": "social media outreach; the TikTok pilot"}, guild_id=guild)
    assert "Logged #1" in submitted.text()
    assert_ephemeral_and_quiet(submitted)
    shown = await fake.slash(ana, "interview show", {"interview": "1"}, guild_id=guild)
    assert "Jane Richardson" in shown.text() and "Omar Haddad" in shown.text()
    assert "the TikTok pilot" in shown.text()


async def test_settings_without_options_opens_a_prefilled_form(harness: Harness) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild
    await fake.slash(ana, "interview settings", {"name": "Ana Lopez"}, guild_id=guild)
    record = await fake.slash(ana, "interview settings", guild_id=guild)
    assert record.response_type == 9
    assert record.response is not None
    inputs = {row["components"][0]["custom_id"]: row["components"][0] for row in record.response["components"]}
    assert inputs["name"]["value"] == "Ana Lopez"
    assert len(inputs) <= 5
    submitted = await fake.submit_modal(ana, record.response["custom_id"],
                                        {"name": "Ana Lopez", "tz": "America/Chicago", "tone": "casual"},
                                        guild_id=guild)
    assert "Settings saved" in submitted.text()
    shown = await fake.slash(ana, "interview settings", {"tone": "casual"}, guild_id=guild)
    assert "America/Chicago" in shown.text()


async def test_user_text_with_everyone_never_pings(harness: Harness) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild
    record = await fake.slash(ana, "interview add", {
        "company": "@everyone Corp", "role": "@here <@&123456> lead *bold* `code`", "when": "today 10:00",
        "with": "Ms. Jane Richardson <jane@horizon.example>"}, guild_id=guild)
    assert_ephemeral_and_quiet(record)
    listed = await fake.slash(ana, "interview list", guild_id=guild)
    assert_ephemeral_and_quiet(listed)
    assert "@everyone Corp" in listed.text()
    drafts = await fake.slash(ana, "interview draft", {"interview": "1"}, guild_id=guild)
    assert_ephemeral_and_quiet(drafts)
    # the bot's messages are sent with pings off, whatever they contain
    assert all(m["allowed_mentions"] == {"parse": []} for m in fake.messages.values() if m.get("allowed_mentions"))


async def test_a_slow_answer_is_deferred_within_discords_deadline(harness: Harness,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert harness.bot is not None
    harness.bot.defer_after = 0.05
    real = harness.service.handle

    async def slow(actor: Any, text: str) -> Reply:
        await asyncio.sleep(0.3)
        return await real(actor, text)

    monkeypatch.setattr(harness.service, "handle", slow)
    record = await harness.fake.slash(harness.ana, "interview list", guild_id=harness.guild)
    assert record.response_type == 5 and record.latency < 3
    assert "No interviews" in record.text()
    assert_ephemeral_and_quiet(record)


def long_draft(words: int) -> Draft:
    paragraph = " ".join(["Thank you for the thoughtful conversation about the campaign"] * 10)
    body_words: list[str] = []
    while len(body_words) < words:
        body_words.extend(paragraph.split())
        body_words.append("\n\n")
    body = " ".join(body_words[:words]).replace(" \n\n ", "\n\n")
    url = "https://mail.google.com/mail/?view=cm&to=jane@horizon.example&su=Thanks&body=" + "x" * 600
    too_long = "https://example.com/compose?" + "y" * 600
    return Draft(kind="thank-you", to_name="Jane Richardson", to_email="jane@horizon.example",
                 subject="Thank you – Marketing Coordinator", body=body,
                 links=(Link("E-mail app", "mailto:jane@horizon.example"), Link("Gmail", url), Link("Other", too_long),
                        Link("Outlook", "https://outlook.office.com/mail/deeplink/compose?to=j")))


async def test_a_2500_word_draft_is_split_within_discords_limits(harness: Harness,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    draft = long_draft(2500)

    async def handle(actor: Any, text: str) -> Reply:
        return Reply(title="thank-you draft for #1 Horizon", drafts=[draft])

    monkeypatch.setattr(harness.service, "handle", handle)
    record = await harness.fake.slash(harness.ana, "interview draft", {"interview": "1"}, guild_id=harness.guild)
    assert not harness.fake.rejections
    messages = record.messages()
    assert len(messages) >= 2
    shown = "".join((e.get("description") or "") for m in messages for e in m["embeds"])
    words = draft.body.split()
    assert words[0] in shown and words[-1] in shown
    assert sum(len(e.get("description") or "") for m in messages for e in m["embeds"]) >= len(draft.body)
    links = [b for m in messages for b in buttons(m) if b.get("url")]
    # mailto: is not allowed on a Discord button; a long compose link loses its body; others are left out
    assert [b["label"] for b in links] == ["Gmail (paste the text): Jane Richardson", "Outlook: Jane Richardson"]
    assert links[0]["url"] == "https://mail.google.com/mail/?view=cm&to=jane@horizon.example&su=Thanks"
    assert all(len(message_text(m)) > 0 for m in messages)
