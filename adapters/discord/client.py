"""The Discord bot: the `/interview` tree (commands.py) over the core's service.

Answers are ephemeral. An answer that takes longer than `defer_after` seconds is deferred first,
so Discord's 3-second deadline is always met. Buttons and form submits are dispatched by custom_id
(see views.py, modals.py) and keep working after a restart; a press acts for its owner only and
then updates the message so it cannot act twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

import discord
from discord import app_commands

from adapters.discord import direct, modals
from adapters.discord.admin_commands import StaffGroup
from adapters.discord.command_text import safe
from adapters.discord.commands import InterviewGroup
from adapters.discord.render import NO_PINGS, OutMessage, Owner, escape, form_as_reply, render
from adapters.discord.staff import StaffRule
from adapters.discord.views import ActionButton, decode_action, message_kwargs, remaining_after_press
from adapters.discord.who_asks import ServiceLike, actor_for
from bot.capabilities import is_read_only, time_question
from bot.form_answers import submitted_command
from bot.replies import Reply, error

log = logging.getLogger("adapters.discord")

__all__ = ["FollowthroughBot", "ServiceLike", "actor_for"]


# ---------------------------------------------------------------------------------------------
# The client


class FollowthroughBot(discord.AutoShardedClient):
    """discord.py client with the `/interview` tree, persistent buttons and form submits."""

    def __init__(self, service: ServiceLike, *, defer_after: float = 2.0, shard_ids: list[int] | None = None,
                 shard_count: int | None = None, staff: StaffRule | None = None, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # guild and channel names: the "check your DMs" notice channel
        intents.dm_messages = True  # commands typed to the bot in a DM (adapters.discord.direct)
        if shard_ids is not None:
            options["shard_ids"] = shard_ids
        super().__init__(intents=intents, shard_count=shard_count, allowed_mentions=NO_PINGS, **options)
        self.service = service
        self.defer_after = defer_after
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(InterviewGroup())
        self.tree.add_command(StaffGroup())
        self.staff = staff or StaffRule()
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self._pressing: set[int] = set()  # messages whose state-changing press is being handled

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton)

    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None:
            await direct.answer_dm(self.service, self.user.id, message)

    # -- answering ------------------------------------------------------------------------------

    async def within_deadline(self, interaction: discord.Interaction[Any], work: Awaitable[Reply],
                              *, update: bool = False) -> Reply:
        """Run `work`; if it is not done within `defer_after` seconds, defer the interaction first
        (Discord drops an interaction not answered within 3 s)."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if not done and not interaction.response.is_done():
            try:
                if update:
                    await interaction.response.defer()
                else:
                    await interaction.response.defer(ephemeral=True, thinking=True)
            except discord.HTTPException:
                log.warning("could not defer interaction %s", interaction.id)
        try:
            return await task
        except Exception:
            log.exception("answering interaction %s failed", interaction.id)
            return error("Something went wrong on our side and nothing was changed. Please try again.")

    async def answer(self, interaction: discord.Interaction[Any], text: str, owner: Owner | None = None) -> None:
        actor = actor_for(interaction, owner)
        reply = await self.within_deadline(interaction, self.service.handle(actor, text))
        if reply.form is not None and not interaction.response.is_done() and interaction.type is not \
                discord.InteractionType.modal_submit:
            modal = modals.form_modal(reply.form)
            await interaction.response.send_modal(modal)
            modal.stop()  # submits are handled by custom_id, not by this object (survives restarts)
            return
        await self.send_reply(interaction, form_as_reply(reply), self.owner_of(interaction, owner))

    def owner_of(self, interaction: discord.Interaction[Any], owner: Owner | None = None) -> Owner:
        if owner is not None:
            return owner
        guild_id = interaction.guild_id
        return Owner(user_id=interaction.user.id, community=str(guild_id) if guild_id else "dm")

    async def send_reply(self, interaction: discord.Interaction[Any], reply: Reply, owner: Owner) -> None:
        """The reply as ephemeral message(s): the interaction's response, then follow-ups."""
        for message in render(reply):
            await self.send_one(interaction, message, owner)

    async def send_one(self, interaction: discord.Interaction[Any], message: OutMessage, owner: Owner) -> None:
        kwargs = _followup_kwargs(message, owner)
        if not interaction.response.is_done():
            await interaction.response.send_message(**kwargs)
        else:
            await interaction.followup.send(**kwargs)

    # -- buttons --------------------------------------------------------------------------------

    async def on_action_press(self, interaction: discord.Interaction[Any], custom_id: str) -> None:
        decoded = decode_action(custom_id)
        if decoded is None:
            await interaction.response.send_message("That button no longer works.", ephemeral=True)
            return
        owner, command = decoded
        if interaction.user.id != owner.user_id:
            await interaction.response.send_message(
                "These buttons belong to someone else. Use /interview yourself.", ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        if is_read_only(command):
            await self.answer(interaction, command, owner)
            return
        question = time_question(command)
        if question is not None:
            modal = modals.when_modal(custom_id[len("ft:a:") :], question, "e.g. Tuesday 10:00")
            await interaction.response.send_modal(modal)
            modal.stop()
            return
        await self.press_and_update(interaction, owner, command)

    async def press_and_update(self, interaction: discord.Interaction[Any], owner: Owner, command: str) -> None:
        """Run a state-changing command, then update the message so its buttons cannot act twice."""
        message_id = interaction.message.id if interaction.message else 0
        if message_id in self._pressing:
            await interaction.response.send_message("Already on it.", ephemeral=True)
            return
        self._pressing.add(message_id)
        try:
            actor = actor_for(interaction, owner)
            reply = await self.within_deadline(interaction, self.service.handle(actor, command), update=True)
            if reply.error:
                await self.send_reply(interaction, reply, owner)
                return
            done = f"✅ {escape(reply.title)}"
            original = interaction.message.content if interaction.message else ""
            content = (done + ("\n" + original if original else ""))[:2000]
            view = remaining_after_press(interaction.message)
            if not interaction.response.is_done():
                await interaction.response.edit_message(content=content, view=view, allowed_mentions=NO_PINGS)
            else:
                await interaction.edit_original_response(content=content, view=view, allowed_mentions=NO_PINGS)
            if reply.sections or reply.drafts or reply.notices or reply.files:
                for message in render(reply):
                    await interaction.followup.send(**_followup_kwargs(message, owner))
        finally:
            self._pressing.discard(message_id)

    # -- form submits and other raw interactions --------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Any = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        values = modals.submitted_values(data)
        try:
            if custom_id.startswith((modals.MODAL_PREFIX, modals.TEMPLATE_PREFIX)):
                await self.on_form(interaction, modals.form_command(custom_id), values)
            elif custom_id.startswith(modals.WHEN_PREFIX):
                decoded = decode_action("ft:a:" + custom_id[len(modals.WHEN_PREFIX) :])
                if decoded is None or decoded[0].user_id != interaction.user.id:
                    await interaction.response.send_message("That form is not yours.", ephemeral=True)
                    return
                owner, command = decoded
                await self.press_and_update(interaction, owner, f"{command} {safe(values.get('when', ''))}")
        except discord.HTTPException:
            log.exception("answering form %s failed", custom_id[:20])

    async def on_form(self, interaction: discord.Interaction[Any], command: str, values: dict[str, str]) -> None:
        """A submitted core form runs as the command it stands for (the core's own reading of a
        form's answers, the same on every platform), as the member who submitted it."""
        submitted = submitted_command(command, values)
        if isinstance(submitted, str):
            if submitted == command:
                await interaction.response.send_message("Nothing filled in: nothing changed.", ephemeral=True)
                return
            await self.answer(interaction, submitted)
            return
        reply = await self.within_deadline(interaction, self.service.run(actor_for(interaction), submitted))
        await self.send_reply(interaction, reply, self.owner_of(interaction))

    async def _on_tree_error(self, interaction: discord.Interaction[Any], exc: app_commands.AppCommandError) -> None:
        if isinstance(exc, app_commands.CheckFailure):
            return  # already answered by the check
        log.error("command failed: %s", type(getattr(exc, "original", exc)).__name__,
                  exc_info=getattr(exc, "original", exc))
        text = "Something went wrong on our side and nothing was changed. Please try again."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            pass


def _followup_kwargs(message: OutMessage, owner: Owner) -> dict[str, Any]:
    return {**message_kwargs(message, owner, NO_PINGS), "ephemeral": True}
