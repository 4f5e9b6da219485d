"""A submitted form (a modal opened by `/interview`, a button or the home tab): its answer within
the ack budget (field errors, or the result in place of the form); when the work takes longer,
the modal says it is being saved at once and shows the result when it is done (or, for a modal
another process opened, the result goes to the member's DM)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import render_message
from adapters.slack.host import SORRY, Host
from adapters.slack.modals import (
    field_for_error,
    read_metadata,
    result_view,
    saving_view,
    submitted_command,
    submitted_values,
)
from bot.replies import Reply, Section

log = logging.getLogger(__name__)


class Forms:
    """The form handlers: submitted and closed."""

    def __init__(self, host: Host) -> None:
        self.host = host

    async def on_closed(self, ack: Any) -> None:
        await ack()

    async def on_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        """A submitted form: its `response_action` within `ack_budget` seconds (field errors, or
        the result in place of the form); when the work takes longer, the modal says it is being
        saved at once and shows the result when it is done."""
        host = self.host
        meta = read_metadata(view, host.seal)
        user = str((body.get("user") or {}).get("id", ""))
        team = str((body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or "")
        if meta is None or meta[1] != user:
            log.info("form from %s refused: its metadata is not ours or not theirs", user)
            await ack()
            return
        command, _owner, _channel = meta
        values = submitted_values(view)
        keys = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input" and "block_id" in b]
        work = host.background.spawn(self.form_reply(client, team, user, command, values), name="slack-form")
        await asyncio.wait({work}, timeout=host.ack_budget)
        if not work.done():
            await ack(response_action="update", view=saving_view())
            host.background.spawn(self.finish_form_late(work, client, str(view.get("id") or ""), team, user))
            return
        reply = work.result()
        if reply.error or reply.form is not None:
            message = reply.title if reply.error else "Please fill in the required fields."
            field = field_for_error(message, keys, values)
            await ack(response_action="errors", errors={field: message[:300]} if field else {})
            return
        await ack(response_action="update", view=result_view(reply, user))
        self.after_form(client, team, user, reply)

    async def form_reply(self, client: AsyncWebClient, team: str, user: str, command: str,
                         values: dict[str, str]) -> Reply:
        try:
            actor = await self.host.people.actor(client, team, user)
            submitted = submitted_command(command, values)
            if isinstance(submitted, str):
                return await self.host.service.handle(actor, submitted)
            return await self.host.service.run(actor, submitted)
        except Exception:
            log.exception("form %r failed", command)
            return Reply(title=SORRY, error=True)

    async def finish_form_late(self, work: asyncio.Task[Reply], client: AsyncWebClient, view_id: str, team: str,
                               user: str) -> None:
        reply = await work
        if reply.form is not None:
            reply = Reply(title="Please fill in the required fields: nothing was saved.", error=True)
        if reply.error:
            reply = replace(reply, sections=[*reply.sections, Section("Nothing was saved: please try again.")])
        if self.host.views.belongs_to(view_id, user):
            await client.views_update(view_id=view_id, view=result_view(reply, user))
        else:  # a form this process did not open: the result goes to the member's DM
            channel = await self.host.dms.channel(client, team, user)
            if channel is not None:
                rendered = render_message(reply, user)
                for page in rendered.messages:
                    await client.chat_postMessage(channel=channel, text=rendered.text, blocks=page,
                                                  unfurl_links=False, unfurl_media=False)
        if not reply.error:
            self.after_form(client, team, user, reply)

    def after_form(self, client: AsyncWebClient, team: str, user: str, reply: Reply) -> None:
        if reply.files:
            self.host.background.spawn(self.host.send_files(client, team, user, reply.files, reply.title))
        self.host.background.spawn(self.host.publish_home(client, team, user))
