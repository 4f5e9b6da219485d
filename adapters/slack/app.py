"""The bolt app: which handler answers what, and what the handlers share. Thin handlers over the
core, each in a module named for what it answers: `/interview` (slash_command.py), forms
(forms.py), buttons (buttons.py), the home tab (home_tab.py), DMs to the app (messages_tab.py).

Every handler turns the Slack payload into the core's command text, runs it with
`service.handle`, and renders the Reply. The app runs with `process_before_response=True`: a
command's answer travels in the acknowledgement itself (no 10 ms ack polling, no extra API call),
and slow work (views.open, file uploads, follow-up messages, the home tab) starts in the
background after the ack. users.info is cached (people.py): only a user's very first command
waits for it, at most 1.5 s of Slack's 3.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.blocks import COMMAND_ACTION_PREFIX, LINK_ACTION_PREFIX, clip
from adapters.slack.buttons import Buttons
from adapters.slack.core import Service
from adapters.slack.forms import Forms
from adapters.slack.home_tab import HomeTab
from adapters.slack.memory import Seen
from adapters.slack.messages_tab import MessagesTab
from adapters.slack.modals import FORM_CALLBACK, WHEN_CALLBACK
from adapters.slack.people import People
from adapters.slack.quiet_logs import bolt_logger
from adapters.slack.sealed import Seal
from adapters.slack.slash_command import SLASH_COMMAND, SlashCommand
from adapters.slack.staff import StaffGroup
from adapters.slack.trust import DirectMessages, ResponseUrls, ViewOwners
from bot.replies import FileOut

log = logging.getLogger(__name__)

ACK_BUDGET = 1.5  # seconds of Slack's 3 a command's answer may take to travel in the ack (the rest: the network)


def alt_text(file: FileOut, about: str) -> str | None:
    """Alt text for an image (the staff chart): what it is a chart of, and that the message
    gives the same figures as text. None for other files."""
    if not file.mime.startswith("image/"):
        return None
    subject = about.strip().rstrip(".:") or file.filename
    return clip(f"Chart: {subject}. The same figures are in the message as text.", 1000)


class SlackBot:
    """The handlers, with what they share: the core, the users.info cache, background work."""

    def __init__(self, service: Service, seal: Seal, people: People | None = None,
                 background: Background | None = None, api_base: str | None = None) -> None:
        self.service = service
        self.seal = seal
        self.response_urls = ResponseUrls(api_base)
        self.dms = DirectMessages()
        self.views = ViewOwners()
        self.people = people or People()
        self.background = background or Background()
        self.events = Seen()
        self.ack_budget = ACK_BUDGET
        self.slash_command = SlashCommand(self)
        self.forms = Forms(self)
        self.buttons = Buttons(self)
        self.home_tab = HomeTab(self)
        self.messages_tab = MessagesTab(self)

    # ---- registration -------------------------------------------------------------------
    def register(self, app: AsyncApp, oauth: bool = False) -> None:
        app.middleware(self.once_per_event)
        app.middleware(self.only_slack_response_urls)
        app.command(SLASH_COMMAND)(self.slash_command.on_command)
        app.action(re.compile("^" + re.escape(COMMAND_ACTION_PREFIX)))(self.buttons.on_button)
        app.action(re.compile("^" + re.escape(LINK_ACTION_PREFIX)))(self.buttons.on_link)
        app.view_submission(FORM_CALLBACK)(self.forms.on_form)
        app.view_submission(WHEN_CALLBACK)(self.buttons.on_when)
        app.view_closed(FORM_CALLBACK)(self.forms.on_closed)
        app.event("app_home_opened")(self.home_tab.on_opened)
        app.event("message")(self.messages_tab.on_message)
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

    async def only_slack_response_urls(
        self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """A request whose response URL is not Slack's is refused: the app never posts to it."""
        body = req.body if isinstance(req.body, dict) else {}
        urls = [body["response_url"]] if "response_url" in body else []
        urls += [u.get("response_url") for u in body.get("response_urls") or [] if isinstance(u, dict)]
        if any(not self.response_urls.trusted(url) for url in urls):
            log.warning("Slack request refused: its response URL is not Slack's")
            return BoltResponse(status=400, body="")
        await next()
        return None

    # ---- what the handlers share ----------------------------------------------------------
    async def publish_home(self, client: AsyncWebClient, team: str, user: str) -> None:
        await self.home_tab.publish(client, team, user)

    async def send_files(self, client: AsyncWebClient, team: str, user: str, files: list[FileOut],
                         about: str = "") -> None:
        """Files go to the user's DM with the app (an ephemeral answer cannot carry a file); an
        image with alt text naming what it shows (`about`: the answer it belongs to)."""
        channel = await self.dms.channel(client, team, user)
        if channel is None:
            return
        for out in files:
            await client.files_upload_v2(channel=channel, content=out.content, filename=out.filename,
                                         title=out.filename, alt_txt=alt_text(out, about))

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
    staff_usergroup: str | None = None,
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
        logger=bolt_logger(),
    )
    bot = bot or SlackBot(service, Seal(signing_secret), People(staff=StaffGroup(staff_usergroup)),
                          api_base=client.base_url)
    bot.register(app, oauth=oauth_settings is not None)
    return app, bot
