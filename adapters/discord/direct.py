"""Commands typed to the bot in a DM: the same text as after `/interview`, answered in the DM.

Only DMs are read (a server's channels never are), and only from people (other bots are ignored).
Discord delivers DM text to the app without the privileged Message Content intent; the bot asks
for DM events only.

Whose data a DM acts on: a member's interviews live in the server they use the bot in. A DM has no
server, so the bot looks at its own recent messages in that DM: the buttons of a reminder DM name
the server whose interviews it was about, and that is where the member's typed command goes. With
no such message (a member who only ever used the bot in DMs), the DM's own space is used, as for
`/interview` typed in the bot's DMs.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.render import NO_PINGS, Owner, form_as_reply, render
from adapters.discord.views import decode_action, message_kwargs
from adapters.discord.who_asks import ServiceLike
from bot.actor import Actor
from bot.replies import error
from bot.typed_text import command_in

log = logging.getLogger("adapters.discord")

LOOK_BACK = 20  # recent messages of the DM read to find the member's server
DM_COMMUNITY = "dm"


async def community_of(message: discord.Message, me: int) -> str:
    """The server whose data the member's DM acts on (see the module's note)."""
    try:
        async for earlier in message.channel.history(limit=LOOK_BACK, before=message):
            if earlier.author.id != me:
                continue
            for row in earlier.components:
                for child in getattr(row, "children", []):
                    decoded = decode_action(getattr(child, "custom_id", None) or "")
                    if decoded is not None and decoded[0].user_id == message.author.id:
                        return decoded[0].community
    except discord.HTTPException as exc:
        log.warning("could not read the DM's recent messages (%s)", exc.status)
    return DM_COMMUNITY


async def answer_dm(service: ServiceLike, me: int, message: discord.Message) -> None:
    """Run a member's DM as a command and answer it in the DM."""
    if message.guild is not None or message.author.bot or message.author.id == me:
        return
    text = command_in(message.content)
    if not text:
        return
    community = await community_of(message, me)
    author: Any = message.author
    # A DM message carries no locale in discord.py (only interactions do): numeric dates follow the
    # member's `dates:` setting, or the core asks which reading they meant.
    actor = Actor(platform="discord", community=community, external_id=str(author.id),
                  display_name=getattr(author, "display_name", None) or author.name, is_admin=False)
    try:
        reply = form_as_reply(await service.handle(actor, text))
    except Exception:
        log.exception("answering a DM failed")
        reply = error("Something went wrong on our side and nothing was changed. Please try again.")
    owner = Owner(user_id=author.id, community=community)
    try:
        for part in render(reply):
            await message.channel.send(**message_kwargs(part, owner, NO_PINGS))
    except discord.HTTPException as exc:
        log.warning("could not answer a DM (%s)", exc.status)
