"""Reminder DMs on Slack: a bot.ports.Notifier.

conversations.open + chat.postMessage, about one message per second per channel, and every
failure classified for the dispatcher: rate limits (429 + Retry-After), Slack 5xx and timeouts are
worth retrying; a user Slack cannot DM (deactivated, gone, archived channel, the app uninstalled)
is permanent: the dispatcher keeps the reminder, records why, and the user is told in an ephemeral
message the next time they use /interview. A DM with a key goes out once (sent_once.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import escape, render_message, split_text
from adapters.slack.clients import api_url, is_multi_workspace, web_client
from adapters.slack.sent_once import SentOnce, metadata
from adapters.slack.workspaces import GridLookup, Workspaces
from bot.config import Config
from bot.ports import DeliveryResult, Outcome, Recipient
from bot.replies import Reply

log = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "cannot_dm_bot",
        "is_archived",
        "account_inactive",
        "channel_not_found",
        "user_disabled",
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "app_uninstalled",
        "team_access_not_granted",
        "missing_scope",
        "restricted_action",
        "messages_tab_disabled",
    }
)
# Our own payload refused (should not happen: blocks.py keeps to the limits): send plain text instead.
PAYLOAD_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "too_many_attachments",
                            "invalid_arguments"})
TOKEN_CACHE_SECONDS = 60.0
CONTINUATION_TRIES = 3  # a later part of a long DM: tried again in place, honouring Retry-After
MAX_CONTINUATION_WAIT = 10.0
PER_CHANNEL_INTERVAL = 1.0  # Slack: about one message per second per channel

# team id -> a Web API client for that workspace (or None: not installed there)
ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]


def classify(error: SlackApiError) -> DeliveryResult:
    """A Slack API failure as the dispatcher's outcome."""
    response = error.response
    status = getattr(response, "status_code", None)
    code = ""
    try:
        code = str(response.get("error") or "")
    except (AttributeError, TypeError):
        code = ""
    if status == 429 or code in ("ratelimited", "rate_limited"):
        return DeliveryResult(Outcome.RETRY, retry_after=_retry_after(response), reason="ratelimited")
    if code in PERMANENT_ERRORS:
        return DeliveryResult(Outcome.PERMANENT, reason=code)
    if isinstance(status, int) and status >= 500:
        return DeliveryResult(Outcome.RETRY, reason=f"slack_http_{status}")
    return DeliveryResult(Outcome.RETRY, reason=code or f"slack_http_{status}")


def _retry_after(response: object) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for key, value in dict(headers).items():
        if str(key).lower() == "retry-after":
            try:
                return max(0.0, float(value[0] if isinstance(value, list) else value))
            except (TypeError, ValueError):
                return None
    return None


class ChannelPacer:
    """At most one message per `interval` seconds to each channel."""

    def __init__(self, interval: float = PER_CHANNEL_INTERVAL) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, channel: str) -> None:
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            ready = self._next.get(channel, 0.0)
            if ready > now:
                await asyncio.sleep(ready - now)
            self._next[channel] = max(now, ready) + self.interval
            if len(self._next) > 10_000:  # forget channels idle for a while
                cutoff = time.monotonic() - 60
                for key in [k for k, v in self._next.items() if v < cutoff]:
                    self._next.pop(key, None)
                    self._locks.pop(key, None)


class SlackNotifier:
    """Sends reminder DMs. `client_for(team_id)` gives the workspace's client (one bot token, or
    the installation's token in a multi-workspace app)."""

    platform = "slack"

    def __init__(self, client_for: ClientFor, pacer: ChannelPacer | None = None) -> None:
        self._client_for = client_for
        self._pacer = pacer or ChannelPacer()
        self._dm_channels: dict[tuple[str, str], str] = {}
        self.sent_once = SentOnce()

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        """Send the DM; with `dm_key`, at most once (sent_once.py)."""
        if dm_key is not None and self.sent_once.known(dm_key):
            log.info("Slack DM %s to %s was delivered by this process already: not sent again", dm_key,
                     recipient.external_id)
            return DeliveryResult.delivered()
        try:
            return await self._send(recipient, message, dm_key)
        except SlackApiError as error:
            result = classify(error)
            log.warning("Slack DM to %s not delivered: %s", recipient.external_id, result.reason)
            return result
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            log.warning("Slack DM to %s not delivered: %s", recipient.external_id, type(error).__name__)
            return DeliveryResult(Outcome.RETRY, reason=f"network: {type(error).__name__}")

    async def _send(self, recipient: Recipient, message: Reply, dm_key: str | None) -> DeliveryResult:
        client = await self._client_for(recipient.community)
        if client is None:
            return DeliveryResult(Outcome.PERMANENT, reason="app_not_installed")
        channel = await self.dm_channel(client, recipient)
        rendered = render_message(message, recipient.external_id)
        there = await self.sent_once.parts_already_there(client, channel, dm_key) if dm_key is not None else set()
        if 0 in there:
            log.info("Slack DM %s to %s is in the DM already (sent before a restart): not sent again", dm_key,
                     recipient.external_id)
        for i, blocks in enumerate(rendered.messages):
            if i in there:
                continue
            text = rendered.text if i == 0 else "(continued)"
            meta = metadata(dm_key, i) if dm_key is not None else None
            try:
                await self._post(client, channel, text, blocks, tries=1 if i == 0 else CONTINUATION_TRIES,
                                 meta=meta)
            except SlackApiError as error:
                code = str(error.response.get("error") or "")
                if code in PAYLOAD_ERRORS:
                    log.error("Slack refused our blocks (%s); sending the reminder as plain text", code)
                    await self._send_plain(client, channel, message, dm_key)
                    return DeliveryResult.delivered()
                if i == 0:
                    if classify(error).outcome is Outcome.PERMANENT:
                        self._dm_channels.pop((recipient.community, recipient.external_id), None)
                    raise
                # The reminder and its buttons went out; only a continuation of the drafts did
                # not. Sending it all again would repeat the reminder: the user has "Show drafts".
                log.error("Slack DM to %s: part %d of %d not delivered (%s)", recipient.external_id, i + 1,
                          len(rendered.messages), code)
                break
        if dm_key is not None:
            self.sent_once.delivered(dm_key)
        return DeliveryResult.delivered()

    async def _post(self, client: AsyncWebClient, channel: str, text: str, blocks: list[dict[str, Any]],
                    tries: int, meta: dict[str, Any] | None = None) -> None:
        for attempt in range(tries):
            await self._pacer.wait(channel)
            try:
                await client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False,
                                              unfurl_media=False, metadata=meta)
                return
            except SlackApiError as error:
                result = classify(error)
                if result.outcome is not Outcome.RETRY or attempt + 1 >= tries:
                    raise
                await asyncio.sleep(min(result.retry_after or 1.0, MAX_CONTINUATION_WAIT))

    async def _send_plain(self, client: AsyncWebClient, channel: str, message: Reply, dm_key: str | None) -> None:
        for i, piece in enumerate(split_text(message.as_text(), 3000)):
            await self._pacer.wait(channel)
            await client.chat_postMessage(channel=channel, text=escape(piece), unfurl_links=False,
                                          metadata=metadata(dm_key, i) if dm_key is not None else None)

    async def dm_channel(self, client: AsyncWebClient, recipient: Recipient) -> str:
        key = (recipient.community, recipient.external_id)
        channel = self._dm_channels.get(key)
        if channel is None:
            response = await client.conversations_open(users=recipient.external_id)
            channel = str(response["channel"]["id"])
            self._dm_channels[key] = channel
        return channel


def make_notifier(config: Config, installation_store: AsyncInstallationStore | None = None,
                  grid: GridLookup | None = None) -> SlackNotifier:
    """The reminder DM sender for the configured mode (many workspaces: each one's bot token from
    `installation_store`, Enterprise Grid installations found through `grid`)."""
    if is_multi_workspace(config):
        if installation_store is None:
            raise ValueError("many workspaces need the installation store")
        workspaces = Workspaces(installation_store, api_url(config), grid)
        clients: dict[str, tuple[float, AsyncWebClient | None]] = {}

        async def client_for(team: str) -> AsyncWebClient | None:
            cached = clients.get(team)
            if cached is not None and cached[0] > time.monotonic():
                return cached[1]
            found = await workspaces.bot_for(team)
            if found is None or not found.bot.bot_token:
                return None  # not installed (or uninstalled): not cached, an install counts at once
            client = web_client(config, found.bot.bot_token)
            clients[team] = (time.monotonic() + TOKEN_CACHE_SECONDS, client)
            return client

        return SlackNotifier(client_for)
    if config.slack_bot_token is None:
        raise SystemExit("SLACK_BOT_TOKEN is required to send reminder DMs")
    client = web_client(config, config.slack_bot_token.get_secret_value())

    async def single(team: str) -> AsyncWebClient | None:
        return client

    return SlackNotifier(single)
