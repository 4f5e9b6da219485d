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
from dataclasses import dataclass, replace
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
    clip,
    render_message,
)
from adapters.slack.buttons import SORRY, Buttons
from adapters.slack.core import Service
from adapters.slack.home import home_view
from adapters.slack.memory import Seen
from adapters.slack.messages_tab import MessagesTab
from adapters.slack.modals import (
    FORM_CALLBACK,
    WHEN_CALLBACK,
    field_for_error,
    form_view,
    read_metadata,
    result_view,
    saving_view,
    submitted_command,
    submitted_values,
)
from adapters.slack.people import People
from adapters.slack.quiet_logs import bolt_logger
from adapters.slack.sealed import Seal
from adapters.slack.staff import StaffGroup
from adapters.slack.trust import DirectMessages, ResponseUrls, ViewOwners
from bot.capabilities import is_read_only
from bot.replies import Action, FileOut, Form, Reply, Section

log = logging.getLogger(__name__)

SLASH_COMMAND = "/interview"
HOME_INTERVIEWS = 20
NOTHING_ACTIVE = "No active interviews."
ACK_BUDGET = 1.5  # seconds of Slack's 3 a command's answer may take to travel in the ack (the rest: the network)


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


def alt_text(file: FileOut, about: str) -> str | None:
    """Alt text for an image (the staff chart): what it is a chart of, and that the message
    gives the same figures as text. None for other files."""
    if not file.mime.startswith("image/"):
        return None
    subject = about.strip().rstrip(".:") or file.filename
    return clip(f"Chart: {subject}. The same figures are in the message as text.", 1000)


def form_button(reply: Reply) -> Reply:
    """A form that can no longer open by itself (Slack's trigger lasts 3 s): a button opens it."""
    assert reply.form is not None
    return replace(reply, form=None, actions=[Action(reply.form.title, reply.form.command, "primary"),
                                              *reply.actions])


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
        self.buttons = Buttons(self)
        self.messages_tab = MessagesTab(self)
        self.ack_budget = ACK_BUDGET
        self._home_locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}  # lock, how many use it

    # ---- registration -------------------------------------------------------------------
    def register(self, app: AsyncApp, oauth: bool = False) -> None:
        app.middleware(self.once_per_event)
        app.middleware(self.only_slack_response_urls)
        app.command(SLASH_COMMAND)(self.on_command)
        app.action(re.compile("^" + re.escape(COMMAND_ACTION_PREFIX)))(self.buttons.on_button)
        app.action(re.compile("^" + re.escape(LINK_ACTION_PREFIX)))(self.buttons.on_link)
        app.view_submission(FORM_CALLBACK)(self.on_form)
        app.view_submission(WHEN_CALLBACK)(self.buttons.on_when)
        app.view_closed(FORM_CALLBACK)(self.on_ack_only)
        app.event("app_home_opened")(self.on_home_opened)
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

    # ---- /interview -----------------------------------------------------------------------
    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        """Run the command; its answer travels in the acknowledgement when it is ready within
        `ack_budget` seconds, else Slack gets an empty acknowledgement then and the answer follows
        through the response URL (Slack shows `operation_timeout` after 3 s)."""
        user = str(body.get("user_id", ""))
        team = str(body.get("team_id", ""))
        text = str(body.get("text") or "")
        work = self.background.spawn(self.command_reply(client, team, user, text, body.get("user_name")),
                                     name="slack-command")
        await asyncio.wait({work}, timeout=self.ack_budget)
        if work.done():
            await self.answer_command(Answer.in_ack(ack, respond), body, client, team, user, text, work.result())
            return
        await ack()
        log.info("/interview from %s answered after the acknowledgement", user)
        self.background.spawn(self.answer_late(work, respond, body, client, team, user, text))

    async def command_reply(self, client: AsyncWebClient, team: str, user: str, text: str,
                            fallback_name: Any = None) -> Reply:
        try:
            actor = await self.people.actor(client, team, user, fallback_name)
            return await self.service.handle(actor, text)
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
        if reply.form is not None and body.get("trigger_id") and not form_expired:
            if reply.notices:
                notices = render_message(Reply(title="Opening the form…", notices=reply.notices), user)
                await answer.first(notices.text, notices.first)
            else:
                await answer.empty()
            self.background.spawn(self.open_form(client, str(body["trigger_id"]), reply.form, user,
                                                 body.get("channel_id")))
            return
        if reply.form is not None:
            reply = form_button(reply)
        rendered = render_message(reply, user)
        await answer.first(rendered.text, rendered.first)
        if len(rendered.messages) > 1:
            self.background.spawn(self.respond_rest(answer.respond, rendered.messages[1:], rendered.text))
        if reply.files:
            self.background.spawn(self.send_files(client, team, user, reply.files, reply.title))
        if not is_read_only(text) and not reply.error:
            self.background.spawn(self.publish_home(client, team, user))

    async def open_form(self, client: AsyncWebClient, trigger_id: str, form: Form, user: str,
                        channel: str | None) -> None:
        opened = await client.views_open(trigger_id=trigger_id, view=form_view(form, user, channel, self.seal))
        self.views.remember((opened.get("view") or {}).get("id"), user)

    async def respond_rest(self, respond: Any, pages: list[list[Block]], text: str) -> None:
        for page in pages:
            await respond(text=text, blocks=page, response_type="ephemeral", replace_original=False)

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

    # ---- buttons ----------------------------------------------------------------------------

    async def on_ack_only(self, ack: Any) -> None:
        await ack()


    # ---- forms -------------------------------------------------------------------------------
    async def on_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        """A submitted form: its `response_action` within `ack_budget` seconds (field errors, or
        the result in place of the form); when the work takes longer, the modal says it is being
        saved at once and shows the result when it is done."""
        meta = read_metadata(view, self.seal)
        user = str((body.get("user") or {}).get("id", ""))
        team = str((body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or "")
        if meta is None or meta[1] != user:
            log.info("form from %s refused: its metadata is not ours or not theirs", user)
            await ack()
            return
        command, _owner, _channel = meta
        values = submitted_values(view)
        keys = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input" and "block_id" in b]
        work = self.background.spawn(self.form_reply(client, team, user, command, values), name="slack-form")
        await asyncio.wait({work}, timeout=self.ack_budget)
        if not work.done():
            await ack(response_action="update", view=saving_view())
            self.background.spawn(self.finish_form_late(work, client, str(view.get("id") or ""), team, user))
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
            actor = await self.people.actor(client, team, user)
            submitted = submitted_command(command, values)
            if isinstance(submitted, str):
                return await self.service.handle(actor, submitted)
            return await self.service.run(actor, submitted)
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
        if self.views.belongs_to(view_id, user):
            await client.views_update(view_id=view_id, view=result_view(reply, user))
        else:  # a form this process did not open: the result goes to the member's DM
            channel = await self.dms.channel(client, team, user)
            if channel is not None:
                rendered = render_message(reply, user)
                for page in rendered.messages:
                    await client.chat_postMessage(channel=channel, text=rendered.text, blocks=page,
                                                  unfurl_links=False, unfurl_media=False)
        if not reply.error:
            self.after_form(client, team, user, reply)

    def after_form(self, client: AsyncWebClient, team: str, user: str, reply: Reply) -> None:
        if reply.files:
            self.background.spawn(self.send_files(client, team, user, reply.files, reply.title))
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
                # Only reads: a member with nothing active (or none at all: never seen, or just
                # forgotten) is shown the guide without running a command, which would record them.
                choices = await self.service.interview_choices(actor, "", limit=HOME_INTERVIEWS, active_only=True)
                listing = await self.service.handle(actor, "list") if choices else Reply(title=NOTHING_ACTIVE)
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
