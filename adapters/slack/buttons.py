"""Buttons: on reminder DMs, command answers, the home tab and result views.

A button carries its core command and its owner's user id. Only the owner may press it; a press
runs the command for them. Read-only commands (drafts, details) answer in a new message; one that
changes something then updates the message, its buttons gone, so a second press cannot act twice
(and a press on a stale copy of that message is refused). A command that still needs a time
(`heard #3 next round`) asks for it in a small form first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import (
    MESSAGE_BLOCKS,
    context,
    escape,
    read_button_value,
    render_message,
    reply_blocks,
    without_buttons,
)
from adapters.slack.host import SORRY, Host
from adapters.slack.memory import Recent, Seen
from adapters.slack.modals import (
    WHEN_FIELD,
    form_view,
    read_when_metadata,
    result_view,
    saving_view,
    submitted_values,
    when_view,
)
from bot.capabilities import TimeAsked, is_read_only, time_asked
from bot.replies import Reply

log = logging.getLogger(__name__)

NOT_YOURS = "These buttons belong to the person this message was sent to: only they can use them."
ALREADY_DONE = "That button was already used: nothing more to do."


async def say_privately(body: dict[str, Any], respond: Any, text: str) -> None:
    """A short private note through the response URL (when the request has one)."""
    if body.get("response_url"):
        await respond(text=text, response_type="ephemeral", replace_original=False)


class Buttons:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.presses = Seen(ttl=3600.0)
        self.originals = Recent()  # a message's blocks while a form started from its button is open

    async def on_link(self, ack: Any) -> None:
        await ack()

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                        respond: Any) -> None:
        await ack()
        self.host.background.spawn(self.press(body, action, client, respond), name="slack-button")

    async def press(self, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                    respond: Any) -> None:
        parsed = read_button_value(str(action.get("value") or ""))
        if parsed is None:
            return
        command, owner = parsed
        presser = str((body.get("user") or {}).get("id", ""))
        team = str((body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or "")
        container = body.get("container") or {}
        in_view = container.get("type") == "view"
        if presser != owner:
            log.info("Button of %s pressed by %s: refused", owner, presser)
            if not in_view:
                await say_privately(body, respond, NOT_YOURS)
            return
        where = container.get("view_id") if in_view else f"{container.get('channel_id')}:{container.get('message_ts')}"
        # One rendering of a message shares a block-id prefix: once one of its buttons changed
        # something, its other buttons (on a stale copy) act no more either.
        key = f"{where}:{str(action.get('block_id') or '').rsplit('-', 1)[0]}"
        asked = time_asked(command)  # a button whose command still needs a time: ask first
        if asked is not None and body.get("trigger_id"):
            if key in self.presses:
                if not in_view:
                    await say_privately(body, respond, ALREADY_DONE)
                return
            await self.ask_when(body, client, command, team, presser, asked, key)
            return
        if not is_read_only(command) and not self.presses.first_time(key):
            if not in_view:
                await say_privately(body, respond, ALREADY_DONE)
            return
        actor = await self.host.people.actor(client, team, presser)
        try:
            reply = await self.host.service.handle(actor, command)
        except Exception:
            log.exception("button %r failed", command)
            reply = Reply(title=SORRY, error=True)
        if reply.error or reply.form is not None:
            self.presses.forget(key)  # nothing changed: the button may be pressed again
        trigger_id = body.get("trigger_id")
        if reply.form is not None and trigger_id:
            await self.open_view(client, body, form_view(reply.form, presser, None, self.host.seal), presser)
        elif in_view:
            await self.answer_in_view(body, client, reply, presser)
        else:
            await self.answer_in_message(body, client, respond, reply, team, presser, command)
        if reply.files:
            await self.host.send_files(client, team, presser, reply.files, reply.title)
        if not is_read_only(command) and not reply.error:
            await self.host.publish_home(client, team, presser)

    async def open_view(self, client: AsyncWebClient, body: dict[str, Any], view: dict[str, Any],
                        user: str) -> None:
        """A new modal for the presser: on top of the modal pressed in, else on its own."""
        trigger_id = body.get("trigger_id")
        if not trigger_id:
            return
        if (body.get("view") or {}).get("type") == "modal":
            opened = await client.views_push(trigger_id=trigger_id, view=view)
        else:
            opened = await client.views_open(trigger_id=trigger_id, view=view)
        self.host.views.remember((opened.get("view") or {}).get("id"), user)

    async def answer_in_view(self, body: dict[str, Any], client: AsyncWebClient, reply: Reply, user: str) -> None:
        """In the modal pressed in, when this process opened it for the presser; else in a new
        one (the home tab, or a modal whose owner the app cannot vouch for)."""
        view = body.get("view") or {}
        if view.get("type") == "modal" and self.host.views.belongs_to(view.get("id"), user):
            await client.views_update(view_id=view["id"], view=result_view(reply, user))
        else:
            await self.open_view(client, body, result_view(reply, user), user)

    async def answer_in_message(self, body: dict[str, Any], client: AsyncWebClient, respond: Any, reply: Reply,
                                team: str, user: str, command: str) -> None:
        """A read-only answer (drafts, details) comes as a new message; after an action that
        changes something the message itself is updated: its buttons go, the result shows.

        The app's own messages (reminder DMs) are updated with chat.update, which works however
        late the press comes; an ephemeral answer only through its response_url (30 minutes)."""
        rendered = render_message(reply, user)
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        ts = str(message.get("ts") or container.get("message_ts") or "")
        own_message = (bool(message) and not container.get("is_ephemeral") and bool(ts)
                       and await self.host.dms.is_theirs(client, team, user, channel))
        if not own_message and not body.get("response_url"):
            log.info("Button of %s pressed outside their DM with no response URL: not answered", user)
            return
        if is_read_only(command) or reply.error:
            for page in rendered.messages:
                if own_message:
                    await client.chat_postMessage(channel=channel, text=rendered.text, blocks=page,
                                                  unfurl_links=False, unfurl_media=False)
                else:
                    await respond(text=rendered.text, blocks=page, response_type="ephemeral",
                                  replace_original=False)
            return
        done = context(":white_check_mark: " + escape(f"Done: /interview {command}"))
        combined = without_buttons(message.get("blocks") or []) + [{"type": "divider"}, done]
        combined += reply_blocks(reply, user)
        if len(combined) <= MESSAGE_BLOCKS:
            pages = [combined]
        else:
            pages = [[done, *rendered.messages[0][: MESSAGE_BLOCKS - 1]], *rendered.messages[1:]]
        if own_message:
            await client.chat_update(channel=channel, ts=ts, text=rendered.text, blocks=pages[0])
            for page in pages[1:]:
                await client.chat_postMessage(channel=channel, text=rendered.text, blocks=page,
                                              unfurl_links=False, unfurl_media=False)
            return
        await respond(text=rendered.text, blocks=pages[0], replace_original=True)
        for page in pages[1:]:
            await respond(text=rendered.text, blocks=page, replace_original=False)

    async def ask_when(self, body: dict[str, Any], client: AsyncWebClient, command: str, team: str, user: str,
                       asked: TimeAsked, key: str) -> None:
        """The small form (Slack's date or date-time picker); it remembers (sealed) which message to
        update afterwards: the one in the presser's DM, or else the one its response URL reaches."""
        container = body.get("container") or {}
        message = body.get("message") or {}
        origin = {"k": key}
        channel = str(container.get("channel_id") or "")
        if message.get("ts") and await self.host.dms.is_theirs(client, team, user, channel):
            origin.update(ch=channel, ts=str(message["ts"]))
        elif self.host.response_urls.trusted(body.get("response_url")):
            origin["ru"] = str(body["response_url"])
        if message.get("blocks"):
            self.originals.remember(key, message["blocks"])
        await self.open_view(client, body, when_view(command, user, asked, origin, self.host.seal), user)

    async def on_when(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        """The time for a button's command: run it, then update the message the button was on."""
        meta = read_when_metadata(view, self.host.seal)
        user = str((body.get("user") or {}).get("id", ""))
        team = str((body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or "")
        if meta is None or meta["o"] != user:
            await ack()
            return
        when = submitted_values(view).get(WHEN_FIELD, "").replace(";", ",").strip()
        if not when:
            await ack(response_action="errors", errors={WHEN_FIELD: "Please pick when."})
            return
        key = meta.get("k", "")
        if key and not self.presses.first_time(key):  # taken now: a second Save waits for nothing
            await ack(response_action="errors", errors={WHEN_FIELD: ALREADY_DONE})
            return
        command = f"{meta['c']} {when}"
        work = self.host.background.spawn(self.when_reply(client, team, user, command), name="slack-when")
        await asyncio.wait({work}, timeout=self.host.ack_budget)
        if not work.done():
            await ack(response_action="update", view=saving_view())
            self.host.background.spawn(self.finish_when_late(work, client, meta, str(view.get("id") or ""),
                                                             team, user, command))
            return
        reply = work.result()
        if reply.error:
            self.presses.forget(key)  # nothing changed: the form may be sent again
            await ack(response_action="errors", errors={WHEN_FIELD: reply.title[:300]})
            return
        await ack(response_action="update", view=result_view(reply, user))
        self.after_when(client, meta, team, user, command, reply)

    async def when_reply(self, client: AsyncWebClient, team: str, user: str, command: str) -> Reply:
        try:
            actor = await self.host.people.actor(client, team, user)
            return await self.host.service.handle(actor, command)
        except Exception:
            log.exception("button form %r failed", command)
            return Reply(title=SORRY, error=True)

    async def finish_when_late(self, work: asyncio.Task[Reply], client: AsyncWebClient, meta: dict[str, str],
                               view_id: str, team: str, user: str, command: str) -> None:
        reply = await work
        if reply.error:
            self.presses.forget(meta.get("k", ""))
        if self.host.views.belongs_to(view_id, user):
            await client.views_update(view_id=view_id, view=result_view(reply, user))
        if not reply.error:
            self.after_when(client, meta, team, user, command, reply)

    def after_when(self, client: AsyncWebClient, meta: dict[str, str], team: str, user: str, command: str,
                   reply: Reply) -> None:
        self.host.background.spawn(self.close_message(client, meta, reply, user, command))
        self.host.background.spawn(self.host.publish_home(client, team, user))

    async def close_message(self, client: AsyncWebClient, meta: dict[str, str], reply: Reply, user: str,
                            command: str) -> None:
        """After a form started from a button: the button's message loses its buttons."""
        original = self.originals.pop(meta.get("k", "")) or []
        done = context(":white_check_mark: " + escape(f"Done: /interview {command}"))
        blocks = without_buttons(original) + [{"type": "divider"}, done]
        if len(blocks) > MESSAGE_BLOCKS:
            blocks = [done]
        text = escape(f"Done: /interview {command}")
        if meta.get("ch") and meta.get("ts"):
            await client.chat_update(channel=meta["ch"], ts=meta["ts"], text=text, blocks=blocks)
        elif self.host.response_urls.trusted(meta.get("ru")):
            await AsyncWebhookClient(meta["ru"]).send(text=text, blocks=blocks, replace_original=True)
