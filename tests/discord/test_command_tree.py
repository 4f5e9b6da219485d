"""The Discord command tree against the core's command language: every command word, admin
subcommand, field and setting the core reads can be reached from `/interview` or
`/interview-admin`, and what a member types is read in the member's own Discord language."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from discord import app_commands

from adapters.discord.admin_commands import StaffGroup
from adapters.discord.commands import InterviewGroup
from bot.admin_grammar import ADMIN_SUBS
from bot.commands import COMMAND_NAMES
from bot.field_grammar import FIELD_KEYS
from bot.settings_grammar import SETTING_KEYS
from tests.discord.conftest import Harness


def subcommands(group: app_commands.Group) -> dict[str, app_commands.Command[Any, ..., Any]]:
    return {c.name: c for c in group.walk_commands() if isinstance(c, app_commands.Command)}


def option_names(command: app_commands.Command[Any, ..., Any]) -> set[str]:
    return {p.display_name for p in command.parameters}


def test_every_core_command_word_is_reachable_from_the_discord_tree() -> None:
    member, staff = subcommands(InterviewGroup()), subcommands(StaffGroup())
    missing = [w for w in COMMAND_NAMES if w != "admin" and w not in member]
    assert not missing, f"core commands with no /interview subcommand: {missing}"
    assert not [w for w in ADMIN_SUBS if w not in staff], "admin commands missing from /interview-admin"
    unknown = [w for w in member if w not in COMMAND_NAMES]
    assert not unknown, f"/interview subcommands the core does not know: {unknown}"
    # every key the core reads in an update and in settings has an option
    assert set(FIELD_KEYS) <= option_names(member["update"]), set(FIELD_KEYS) - option_names(member["update"])
    assert set(SETTING_KEYS) <= option_names(member["settings"])


async def test_reopen_undoes_news_recorded_by_mistake(harness: Harness) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild
    await harness.add(ana, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00")
    await fake.slash(ana, "interview heard", {"interview": "1", "news": "rejected"}, guild_id=guild)
    assert "Horizon" not in (await fake.slash(ana, "interview list", guild_id=guild)).text()
    reopened = await fake.slash(ana, "interview reopen", {"interview": "horizon"}, guild_id=guild)
    assert "Reopened" in reopened.text(), reopened.text()
    assert "Horizon" in (await fake.slash(ana, "interview list", guild_id=guild)).text()


@pytest.mark.parametrize(("locale", "day_first"), [("en-GB", True), ("de", True), ("fr", True),
                                                   ("en-US", False), ("es-ES", True)])
@pytest.mark.parametrize(("first", "second"), [(3, 4), (11, 5)])
async def test_numeric_dates_follow_the_members_discord_language(harness: Harness, locale: str, day_first: bool,
                                                                 first: int, second: int) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild
    await fake.slash(ana, "interview settings", {"tz": "Europe/Berlin"}, guild_id=guild)
    added = await fake.slash(ana, "interview add", {"company": "Horizon Marketing", "role": "Coordinator",
                                                    "when": f"{first:02d}/{second:02d}/2026 10:00"},
                             guild_id=guild, locale=locale)
    assert "Logged #" in added.text(), added.text()
    shown = (await fake.slash(ana, "interview show", {"interview": "1"}, guild_id=guild, locale=locale)).text()
    day, month = (first, second) if day_first else (second, first)
    assert interview_day(shown) == (day, month), shown


def interview_day(shown: str) -> tuple[int, int]:
    """(day, month) of the interview in Berlin, from the `When: <t:...:f>` a Discord answer shows."""
    found = re.search(r"When: <t:(\d+):f>", shown)
    assert found, shown
    when = datetime.fromtimestamp(int(found.group(1)), ZoneInfo("Europe/Berlin"))
    return when.day, when.month


async def test_settings_choose_a_date_order_over_the_discord_language(harness: Harness) -> None:
    fake, ana, guild = harness.fake, harness.ana, harness.guild
    saved = await fake.slash(ana, "interview settings", {"tz": "Europe/Berlin", "dates": "month-first"},
                             guild_id=guild, locale="en-GB")
    assert "Settings saved" in saved.text(), saved.text()
    await fake.slash(ana, "interview add", {"company": "Horizon Marketing", "role": "Coordinator",
                                            "when": "11/05/2026 10:00"}, guild_id=guild, locale="en-GB")
    shown = (await fake.slash(ana, "interview show", {"interview": "1"}, guild_id=guild, locale="en-GB")).text()
    assert interview_day(shown) == (5, 11), shown
