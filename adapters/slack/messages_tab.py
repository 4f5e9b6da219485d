"""The app's Messages tab: a member DMs the bot the same text as `/interview` ("list", "add
company: …", "/interview show #2") and the answer comes back in that DM.

Only a person's own new messages in their DM with the app are read (`message.im`); the bot's own
messages, edits, deletions and other subtypes are left alone. A form cannot open from a message
(Slack gives no trigger for one), so a button in the answer opens it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import render_message
from adapters.slack.host import SORRY, Host
from bot.capabilities import is_read_only
from bot.replies import Action, Reply
from bot.typed_text import command_in

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # what a command could be; longer DMs are answered with a short note


def is_a_members_message(event: dict[str, Any], bot_user: str | None) -> bool:
    """A person's own new message in a DM: no subtype (edits, deletions, joins), no bot."""
    return (event.get("type") == "message" and event.get("channel_type") == "im" and "subtype" not in event
            and not event.get("bot_id") and not event.get("bot_profile") and isinstance(event.get("user"), str)
            and event.get("user") != bot_user and isinstance(event.get("text"), str))


class MessagesTab:
    def __init__(self, host: Host) -> None:
        self.host = host

    async def on_message(self, ack: Any, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                         context: Any = None) -> None:
        await ack()
        bot_user = getattr(context, "bot_user_id", None) if context is not None else None
        if not is_a_members_message(event, bot_user):
            return
        team = str(event.get("team") or body.get("team_id") or "")
        thread = event.get("thread_ts") if isinstance(event.get("thread_ts"), str) else None
        self.host.background.spawn(self.answer(client, team, str(event["user"]), str(event.get("channel") or ""),
                                               str(event["text"]), thread), name="slack-dm")

    async def answer(self, client: AsyncWebClient, team: str, user: str, channel: str, typed: str,
                     thread: str | None = None) -> None:
        """The command's answer in the DM (in the thread, when the member wrote in one)."""
        if not await self.host.dms.is_theirs(client, team, user, channel):
            log.info("message from %s outside their DM with the app: not answered", user)
            return
        text = command_in(typed)
        if len(text) > MAX_TEXT:
            reply = Reply(title="That message is too long to be a command. Try /interview help.", error=True)
        else:
            try:
                actor = await self.host.people.actor(client, team, user)
                reply = await self.host.service.handle(actor, text or "help")
            except Exception:
                log.exception("a DM command failed")
                reply = Reply(title=SORRY, error=True)
        if reply.form is not None:
            reply = Reply(title=reply.title if reply.error else "Fill in the form:", notices=reply.notices,
                          actions=[Action(reply.form.title, reply.form.command, "primary")])
        rendered = render_message(reply, user)
        try:
            for page in rendered.messages:
                await client.chat_postMessage(channel=channel, text=rendered.text, blocks=page, thread_ts=thread,
                                              unfurl_links=False, unfurl_media=False)
        except SlackApiError as error:
            log.warning("answering a DM of %s failed: %s", user, error.response.get("error"))
            return
        if reply.files:
            await self.host.send_files(client, team, user, reply.files, reply.title)
        if not is_read_only(text) and not reply.error:
            await self.host.publish_home(client, team, user)
