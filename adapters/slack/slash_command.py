"""`/interview`: the command's answer travels in Slack's acknowledgement itself when it is ready
within the ack budget (no extra API call); otherwise Slack gets an empty acknowledgement in time
and the answer follows through the response URL. A form opens in a modal while Slack's trigger
is fresh (else a button in the answer opens it); further pages follow as ephemeral messages;
files go to the member's DM; a command that changed something refreshes their home tab."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import Block, render_message
from adapters.slack.host import SORRY, Host
from adapters.slack.modals import form_view
from bot.capabilities import is_read_only
from bot.replies import Action, Form, Reply

log = logging.getLogger(__name__)

SLASH_COMMAND = "/interview"


@dataclass(frozen=True)
class Answer:
    """Where a command's first answer goes: into Slack's acknowledgement, or (after an empty
    acknowledgement) through the response URL. Later messages always use the response URL."""

    first: Callable[[str, list[Block]], Awaitable[None]]
    empty: Callable[[], Awaitable[None]]
    respond: Any

    @staticmethod
    def in_ack(ack: Any, respond: Any = None) -> Answer:
        async def first(text: str, blocks: list[Block]) -> None:
            await ack(response_type="ephemeral", text=text, blocks=blocks)

        async def empty() -> None:
            await ack()

        return Answer(first, empty, respond)

    @staticmethod
    def in_response(respond: Any) -> Answer:
        async def first(text: str, blocks: list[Block]) -> None:
            await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

        async def empty() -> None:
            return None

        return Answer(first, empty, respond)


def form_button(reply: Reply) -> Reply:
    """A form that can no longer open by itself (Slack's trigger lasts 3 s): a button opens it."""
    assert reply.form is not None
    return replace(reply, form=None, actions=[Action(reply.form.title, reply.form.command, "primary"),
                                              *reply.actions])


class SlashCommand:
    """The `/interview` handler."""

    def __init__(self, host: Host) -> None:
        self.host = host

    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        """Run the command; its answer travels in the acknowledgement when it is ready within
        `ack_budget` seconds, else Slack gets an empty acknowledgement then and the answer follows
        through the response URL (Slack shows `operation_timeout` after 3 s)."""
        user = str(body.get("user_id", ""))
        team = str(body.get("team_id", ""))
        text = str(body.get("text") or "")
        work = self.host.background.spawn(self.command_reply(client, team, user, text, body.get("user_name")),
                                          name="slack-command")
        await asyncio.wait({work}, timeout=self.host.ack_budget)
        if work.done():
            await self.answer_command(Answer.in_ack(ack, respond), body, client, team, user, text, work.result())
            return
        await ack()
        log.info("/interview from %s answered after the acknowledgement", user)
        self.host.background.spawn(self.answer_late(work, respond, body, client, team, user, text))

    async def command_reply(self, client: AsyncWebClient, team: str, user: str, text: str,
                            fallback_name: Any = None) -> Reply:
        try:
            actor = await self.host.people.actor(client, team, user, fallback_name)
            return await self.host.service.handle(actor, text)
        except Exception:
            log.exception("/interview failed")
            return Reply(title=SORRY, error=True)

    async def answer_late(self, work: asyncio.Task[Reply], respond: Any, body: dict[str, Any],
                          client: AsyncWebClient, team: str, user: str, text: str) -> None:
        reply = await work
        await self.answer_command(Answer.in_response(respond), body, client, team, user, text, reply,
                                  form_expired=True)

    async def answer_command(self, answer: Answer, body: dict[str, Any], client: AsyncWebClient, team: str,
                             user: str, text: str, reply: Reply, form_expired: bool = False) -> None:
        """Show a command's reply: a form opens in a modal (while Slack's trigger is fresh, else
        a button opens it); the rest as ephemeral messages; files in the DM."""
        host = self.host
        if reply.form is not None and body.get("trigger_id") and not form_expired:
            if reply.notices:
                notices = render_message(Reply(title="Opening the form…", notices=reply.notices), user)
                await answer.first(notices.text, notices.first)
            else:
                await answer.empty()
            host.background.spawn(self.open_form(client, str(body["trigger_id"]), reply.form, user,
                                                 body.get("channel_id")))
            return
        if reply.form is not None:
            reply = form_button(reply)
        rendered = render_message(reply, user)
        await answer.first(rendered.text, rendered.first)
        if len(rendered.messages) > 1:
            host.background.spawn(self.respond_rest(answer.respond, rendered.messages[1:], rendered.text))
        if reply.files:
            host.background.spawn(host.send_files(client, team, user, reply.files, reply.title))
        if not is_read_only(text) and not reply.error:
            host.background.spawn(host.publish_home(client, team, user))

    async def open_form(self, client: AsyncWebClient, trigger_id: str, form: Form, user: str,
                        channel: str | None) -> None:
        opened = await client.views_open(trigger_id=trigger_id, view=form_view(form, user, channel, self.host.seal))
        self.host.views.remember((opened.get("view") or {}).get("id"), user)

    async def respond_rest(self, respond: Any, pages: list[list[Block]], text: str) -> None:
        for page in pages:
            await respond(text=text, blocks=page, response_type="ephemeral", replace_original=False)
