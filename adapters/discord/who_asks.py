"""Who is asking, and who answers: the core's Actor for the user behind an interaction (their
community, whether they are staff, their language), and the bot that runs the command text and
answers (adapters.discord.client.FollowthroughBot)."""

from __future__ import annotations

from typing import Any, Protocol

import discord

from adapters.discord.render import Owner
from adapters.discord.staff import StaffRule
from bot.actor import Actor
from bot.ports import Commands

ServiceLike = Commands  # the core's port (bot.ports.Commands); bot.service.Service implements it


class Answering(Protocol):
    """The bot as the commands see it (adapters.discord.client.FollowthroughBot)."""

    service: ServiceLike
    staff: StaffRule

    async def answer(self, interaction: discord.Interaction[Any], text: str, owner: Owner | None = None) -> None: ...


def the_bot(interaction: discord.Interaction[Any]) -> Answering:
    return interaction.client  # type: ignore[return-value]


async def run_text(interaction: discord.Interaction[Any], text: str) -> None:
    """Run the command text for whoever asked; the bot answers them (ephemerally)."""
    await the_bot(interaction).answer(interaction, text)


def actor_for(interaction: discord.Interaction[Any], owner: Owner | None = None) -> Actor:
    """The core's Actor for the user behind an interaction (for a button: its owner's community)."""
    user = interaction.user
    guild_id = interaction.guild_id
    community = owner.community if owner else (str(guild_id) if guild_id else "dm")
    is_admin = owner is None and the_bot(interaction).staff.admits(interaction)
    return Actor(
        platform="discord",
        community=community,
        external_id=str(user.id),
        display_name=getattr(user, "display_name", None) or user.name,
        is_admin=is_admin,
        locale=locale_of(interaction),
    )


def locale_of(interaction: discord.Interaction[Any]) -> str | None:
    """The member's own Discord language ("en-US", "en-GB", "de"), which says how they write 03/04;
    the server's language when Discord sent none for the member."""
    for locale in (interaction.locale, interaction.guild_locale):
        if locale is not None and locale.value:
            return str(locale.value)
    return None
