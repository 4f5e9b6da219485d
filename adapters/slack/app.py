"""The bolt app: `/interview`, forms, the home tab (buttons: buttons.py), thin handlers over the core.

Every handler turns the Slack payload into the core's command text, runs it with
`service.handle`, and renders the Reply. The app runs with `process_before_response=True`: a
command's answer travels in the acknowledgement itself (no 10 ms ack polling, no extra API call),
and slow work (views.open, file uploads, follow-up messages, the home tab) starts in the
background after the ack. users.info is cached (people.py): only a user's very first command
waits for it, at most 1.5 s of Slack's 3.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.blocks import (
    COMMAND_ACTION_PREFIX,
    LINK_ACTION_PREFIX,
    Block,
    render_message,
)
from adapters.slack.buttons import SORRY, Buttons
from adapters.slack.core import Service
from adapters.slack.home import home_view
from adapters.slack.memory import Seen
from adapters.slack.modals import (
    FORM_CALLBACK,
    WHEN_CALLBACK,
    field_for_error,
    form_view,
    read_metadata,
    result_view,
    submitted_command,
    submitted_values,
)
from adapters.slack.people import People
from bot.capabilities import is_read_only
from bot.replies import FileOut, Form, Reply

log = logging.getLogger(__name__)

SLASH_COMMAND = "/interview"
HOME_INTERVIEWS = 20


class SlackBot:
    """The handlers, with what they share: the core, the users.info cache, background work."""

    def __init__(self, service: Service, people: People | None = None, background: Background | None = None) -> None:
        self.service = service
        self.people = people or People()
        self.background = background or Background()
        self.events = Seen()
        self.buttons = Buttons(self)
        self._home_locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}  # lock, how many use it

    # ---- registration -------------------------------------------------------------------
    def register(self, app: AsyncApp, oauth: bool = False) -> None:
        app.middleware(self.once_per_event)
        app.command(SLASH_COMMAND)(self.on_command)
        app.action(re.compile("^" + re.escape(COMMAND_ACTION_PREFIX)))(self.buttons.on_button)
        app.action(re.compile("^" + re.escape(LINK_ACTION_PREFIX)))(self.buttons.on_link)
        app.view_submission(FORM_CALLBACK)(self.on_form)
        app.view_submission(WHEN_CALLBACK)(self.buttons.on_when)
        app.view_closed(FORM_CALLBACK)(self.on_ack_only)
        app.event("app_home_opened")(self.on_home_opened)
        if oauth:
            app.enable_token_revocation_listeners()
        else:
            app.event("app_uninstalled")(self.on_uninstalled)
            app.event("tokens_revoked")(self.on_uninstalled)

    async def once_per_event(
        self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """A retried delivery (X-Slack-Retry-Num, or Socket Mode's retry) of an event we already
        have is acknowledged without acting again."""
        body = req.body
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if body.get("type") == "event_callback" and isinstance(event_id, str):
            if not self.events.first_time(event_id):
                log.info("Slack event %s delivered again (retry %s): already handled", event_id,
                         (req.headers.get("x-slack-retry-num") or ["?"])[0])
                return BoltResponse(status=200, body="")
        await next()
        return None

    # ---- /interview -----------------------------------------------------------------------
    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        user = str(body.get("user_id", ""))
        team = str(body.get("team_id", ""))
        text = str(body.get("text") or "")
        try:
            actor = await self.people.actor(client, team, user, body.get("user_name"))
            reply = await self.service.handle(actor, text)
        except Exception:
            log.exception("/interview failed")
            await ack(response_type="ephemeral", text=SORRY)
            return
        if reply.form is not None and body.get("trigger_id"):
            if reply.notices:
                notices = Reply(title="Opening the form…", notices=reply.notices)
                await ack(response_type="ephemeral", text=render_message(notices, user).text,
                          blocks=render_message(notices, user).first)
            else:
                await ack()
            self.background.spawn(self.open_form(client, str(body["trigger_id"]), reply.form, user,
                                                 body.get("channel_id")))
            return
        rendered = render_message(reply, user)
        await ack(response_type="ephemeral", text=rendered.text, blocks=rendered.first)
        if len(rendered.messages) > 1:
            self.background.spawn(self.respond_rest(respond, rendered.messages[1:], rendered.text))
        if reply.files:
            self.background.spawn(self.send_files(client, user, reply.files))
        if not is_read_only(text) and not reply.error:
            self.background.spawn(self.publish_home(client, team, user))

    async def open_form(self, client: AsyncWebClient, trigger_id: str, form: Form, user: str,
                        channel: str | None) -> None:
        await client.views_open(trigger_id=trigger_id, view=form_view(form, user, channel))

    async def respond_rest(self, respond: Any, pages: list[list[Block]], text: str) -> None:
        for page in pages:
            await respond(text=text, blocks=page, response_type="ephemeral", replace_original=False)

    async def send_files(self, client: AsyncWebClient, user: str, files: list[FileOut]) -> None:
        """Files go to the user's DM with the app (an ephemeral answer cannot carry a file)."""
        opened = await client.conversations_open(users=user)
        channel = opened["channel"]["id"]
        for out in files:
            await client.files_upload_v2(channel=channel, content=out.content, filename=out.filename,
                                         title=out.filename)

    # ---- buttons ----------------------------------------------------------------------------

    async def on_ack_only(self, ack: Any) -> None:
        await ack()


    # ---- forms -------------------------------------------------------------------------------
    async def on_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        meta = read_metadata(view)
        user = str((body.get("user") or {}).get("id", ""))
        team = str((body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or "")
        if meta is None or meta[1] != user:
            await ack()
            return
        command, _owner, _channel = meta
        values = submitted_values(view)
        keys = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input" and "block_id" in b]
        try:
            actor = await self.people.actor(client, team, user)
            submitted = submitted_command(command, values)
            if isinstance(submitted, str):
                reply = await self.service.handle(actor, submitted)
            else:
                reply = await self.service.run(actor, submitted)
        except Exception:
            log.exception("form %r failed", command)
            await ack(response_action="errors", errors={keys[0]: SORRY} if keys else {})
            return
        if reply.error or reply.form is not None:
            message = reply.title if reply.error else "Please fill in the required fields."
            field = field_for_error(message, keys, values)
            await ack(response_action="errors", errors={field: message[:300]} if field else {})
            return
        await ack(response_action="update", view=result_view(reply, user))
        if reply.files:
            self.background.spawn(self.send_files(client, user, reply.files))
        self.background.spawn(self.publish_home(client, team, user))

    # ---- App Home ----------------------------------------------------------------------------
    async def on_home_opened(self, ack: Any, event: dict[str, Any], body: dict[str, Any],
                             client: AsyncWebClient) -> None:
        await ack()
        if event.get("tab", "home") != "home":
            return
        team = str(body.get("team_id") or "")
        self.background.spawn(self.publish_home(client, team, str(event.get("user", ""))))

    async def publish_home(self, client: AsyncWebClient, team: str, user: str) -> None:
        """Publish the user's home tab. One at a time per user, in the order asked (asyncio's lock
        is fair), so that the last one published shows the latest state."""
        if not user:
            return
        key = (team, user)
        lock, waiting = self._home_locks.get(key) or (asyncio.Lock(), 0)
        self._home_locks[key] = (lock, waiting + 1)
        try:
            async with lock:
                actor = await self.people.actor(client, team, user)
                listing = await self.service.handle(actor, "list")
                choices = await self.service.interview_choices(actor, "", limit=HOME_INTERVIEWS, active_only=True)
                try:
                    await client.views_publish(user_id=user, view=home_view(listing, choices, user))
                except SlackApiError as error:
                    log.warning("views.publish failed for %s: %s", user, error.response.get("error"))
        finally:
            lock, waiting = self._home_locks[key]
            if waiting <= 1:
                del self._home_locks[key]
            else:
                self._home_locks[key] = (lock, waiting - 1)

    # ---- lifecycle ---------------------------------------------------------------------------
    async def on_uninstalled(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        team = str(body.get("team_id") or "")
        self.people.forget_team(team)
        log.info("Slack workspace %s uninstalled the app or revoked its tokens", team)


class _SameTokenWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_SAME_TOKEN_WARNING = _SameTokenWarning()


def build_app(
    service: Any,
    *,
    signing_secret: str,
    client: AsyncWebClient,
    token: str | None = None,
    oauth_settings: Any = None,
    bot: SlackBot | None = None,
) -> tuple[AsyncApp, SlackBot]:
    """The bolt AsyncApp with Followthrough's handlers. One workspace: `token` (the client
    carries it too); many: `oauth_settings` (installations in our database)."""
    if token is not None and client.token is None:
        client.token = token
    # bolt also reads SLACK_BOT_TOKEN itself and then warns that our client (which carries that
    # very token) wins: true, and nothing an operator should act on.
    logging.getLogger("slack_bolt.AsyncApp").addFilter(_SAME_TOKEN_WARNING)
    app = AsyncApp(
        signing_secret=signing_secret,
        client=client,
        oauth_settings=oauth_settings,
        process_before_response=True,
        name="followthrough",
    )
    bot = bot or SlackBot(service)
    bot.register(app, oauth=oauth_settings is not None)
    return app, bot
