"""`/interview-admin`: the career-center staff's commands (server defaults, approved templates,
the spelling check's own words, statistics), a separate group that Discord shows only to members
with Manage Server (and to roles a server admin allows under Integrations), only in servers that
installed the bot."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord import modals
from adapters.discord.choices import DRAFT_KINDS, TEMPLATE_ACTIONS, TONES, WORDS_ACTIONS, picked
from adapters.discord.command_text import join, pairs, safe
from adapters.discord.render import NO_PINGS
from adapters.discord.who_asks import run_text, the_bot

STAFF_COMMAND = "interview-admin"


class StaffGroup(app_commands.Group):
    """`/interview-admin ...`: career-center staff only. Hidden by Discord from members without
    Manage Server (a top-level command's default member permissions), usable only in servers that
    installed the bot, and checked again on every use (adapters.discord.staff), as the core checks
    Actor.is_admin too."""

    def __init__(self) -> None:
        super().__init__(name=STAFF_COMMAND, description="Career-center staff: server defaults, templates, stats",
                         default_permissions=discord.Permissions(manage_guild=True),
                         allowed_contexts=app_commands.AppCommandContext(guild=True),
                         allowed_installs=app_commands.AppInstallationType(guild=True))

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        staff = the_bot(interaction).staff
        if staff.admits(interaction):
            return True
        await interaction.response.send_message(staff.refusal(), ephemeral=True, allowed_mentions=NO_PINGS)
        return False

    @app_commands.command(name="defaults", description="Show or set the server's follow-up defaults")
    @app_commands.describe(check_in="days after the interview, 10-14", check_in_2="days after check-in 1, 5-10",
                           stay_in_touch="weeks, 4-8", quiet="quiet hours, e.g. 21:00-08:00",
                           morning="morning reminder time, e.g. 09:00", tone="draft tone")
    @app_commands.rename(check_in="check-in", check_in_2="check-in-2", stay_in_touch="stay-in-touch")
    @app_commands.choices(tone=TONES)
    async def defaults(self, interaction: discord.Interaction[Any], check_in: str | None = None,
                       check_in_2: str | None = None, stay_in_touch: str | None = None, quiet: str | None = None,
                       morning: str | None = None, tone: app_commands.Choice[str] | None = None) -> None:
        args = pairs([("check-in", check_in), ("check-in-2", check_in_2), ("stay-in-touch", stay_in_touch),
                      ("quiet", quiet), ("morning", morning), ("tone", picked(tone))])
        await run_text(interaction, join("admin defaults", args))

    @app_commands.command(name="template", description="The server's approved template for a draft kind")
    @app_commands.describe(kind="which draft", action="show (default), set (opens a form), preview, revert, history")
    @app_commands.choices(kind=DRAFT_KINDS, action=TEMPLATE_ACTIONS)
    async def template(self, interaction: discord.Interaction[Any], kind: app_commands.Choice[str],
                       action: app_commands.Choice[str] | None = None) -> None:
        what = picked(action) or "show"
        if what == "set":
            modal = modals.template_modal(kind.value)
            await interaction.response.send_modal(modal)
            modal.stop()  # the submit is handled by custom_id in FollowthroughBot.on_interaction
            return
        await run_text(interaction, f"admin template {kind.value} {what}")

    @app_commands.command(name="words", description="The server's own words for the spelling check")
    @app_commands.describe(action="list (default), add or remove", words="the words, separated by spaces")
    @app_commands.choices(action=WORDS_ACTIONS)
    async def words(self, interaction: discord.Interaction[Any], action: app_commands.Choice[str] | None = None,
                    words: str | None = None) -> None:
        await run_text(interaction, join("admin words", picked(action) or "list", safe(words) if words else None))

    @app_commands.command(name="stats", description="Aggregate figures for career-center staff (no names)")
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        await run_text(interaction, "admin stats")
