"""Reminder DMs on Discord: the core's Notifier.

A DM is two REST calls the first time (open the DM channel, send) and one after that (the channel
id is remembered). Requests are paced to stay under Discord's global limit (50 requests per
second per bot) instead of bursting into 429s; a 429 that comes anyway pauses every sender for
the `retry_after` Discord gave. Outcomes for the dispatcher:

- delivered;
- 50007 "Cannot send messages to this user" (DMs closed), 10013 unknown user: PERMANENT: the
  reminder stays due, the dispatcher records why, and the user is told in their next answer.
  Where the server has a notice channel, a generic "check your DMs" line (no job details) pings
  the user there, once a day at most;
- 429, 5xx, network errors, timeouts: RETRY (with Discord's retry_after when it gave one).

User text never pings anyone: every message goes out with AllowedMentions.none().

Each message of a reminder DM carries a nonce made from the DM's key (bot.ports.dm_key: the
reminders and how many DMs they had before) and the message's place in the DM, with
`enforce_nonce`: Discord then creates no second message with the same nonce from the bot within a
few minutes and returns the first one instead. A process killed after Discord took the DM but
before the delivery was recorded hands the claim back when its lease ends (a minute); the DM sent
again by whoever claims it is the one already in the member's DMs, not a copy.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import ssl
import time
from collections import OrderedDict
from typing import Any

import aiohttp
import discord

from adapters.discord import endpoint
from adapters.discord.render import NO_PINGS, Owner, render
from adapters.discord.views import message_kwargs
from bot.ports import DeliveryResult, Outcome, Recipient
from bot.replies import Reply

log = logging.getLogger("adapters.discord.notifier")

DMS_CLOSED = 50007
UNKNOWN_USER = 10013
UNKNOWN_CHANNEL = 10003
NOTICE_CHANNEL_NAME = "followthrough-notices"
NOTICE_EVERY = 24 * 3600.0


class Pacer:
    """A token bucket shared by every sender in this process: `rate` requests per second on
    average, at most `burst` at once.

    Released requests in any one-second window number at most rate + burst, so 47.5/s with a
    burst of 2 stays under Discord's 50/s whatever the timing; the small burst lets a sender that
    woke late (the event loop was busy) catch up instead of losing its slot."""

    def __init__(self, rate: float, burst: float = 2.0) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._tokens = self.burst
        self._stamp: float | None = None
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if self.rate <= 0:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                if self._stamp is None:
                    self._stamp = now
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                await asyncio.sleep((1.0 - self._tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        """Discord said to wait (a 429): nobody sends before then."""
        loop = asyncio.get_running_loop()
        self._tokens = 0.0
        self._stamp = max(self._stamp or 0.0, loop.time() + seconds)


NONCE_LIMIT = 25  # characters Discord takes in a message nonce


def message_nonce(user_id: int, dm_key: str, index: int) -> str:
    """The nonce of message `index` of the DM `dm_key` to `user_id`: the same DM always gets the
    same nonces, another DM (or another member) other ones; 24 characters of a hash."""
    digest = hashlib.blake2b(f"{user_id}/{dm_key}/{index}".encode(), digest_size=15).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:NONCE_LIMIT]


def _retry_after(exc: discord.HTTPException) -> float | None:
    response: Any = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class DiscordNotifier:
    """Sends reminder DMs through a discord.py client's REST API."""

    platform = "discord"

    def __init__(
        self,
        client: discord.Client,
        *,
        rate: float = 47.5,
        notice_channels: dict[str, int] | None = None,
        channel_cache: int = 100_000,
    ) -> None:
        self.client = client
        self.pacer = Pacer(rate)
        self.notice_channels = dict(notice_channels or {})
        self._channels: OrderedDict[int, int] = OrderedDict()  # user id -> DM channel id
        self._channel_cache = channel_cache
        self._partial: dict[tuple[int, str], int] = {}  # messages of a DM already sent, if cut short
        self._noticed: dict[int, float] = {}  # user id -> when they were last told in a channel

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        try:
            user_id = int(recipient.external_id)
        except ValueError:
            return DeliveryResult(Outcome.PERMANENT, reason="not a Discord user id")
        owner = Owner(user_id=user_id, community=recipient.community)
        parts = render(message, content=message.title, reminder=True)
        key = (user_id, message.title)
        start = self._partial.get(key, 0)
        try:
            channel_id = await self._dm_channel(user_id)
            channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
            for index in range(start, len(parts)):
                part = parts[index]
                kwargs = message_kwargs(part, owner, NO_PINGS)
                if dm_key is not None:
                    kwargs["nonce"] = message_nonce(user_id, dm_key, index)
                await self.pacer.wait()
                await channel.send(**kwargs)
                if index + 1 < len(parts):
                    self._partial[key] = index + 1
            self._partial.pop(key, None)
            return DeliveryResult.delivered()
        except discord.Forbidden as exc:
            self._partial.pop(key, None)
            if exc.code == DMS_CLOSED:
                await self._check_your_dms(recipient, user_id)
                return DeliveryResult(Outcome.PERMANENT, reason=(
                    "your Discord DMs are closed to the bot: allow direct messages from server members in the "
                    "server's Privacy Settings (error 50007)"))
            return DeliveryResult(Outcome.PERMANENT, reason=f"Discord refused the DM (error {exc.code})")
        except discord.NotFound as exc:
            self._partial.pop(key, None)
            self._channels.pop(user_id, None)
            if exc.code == UNKNOWN_CHANNEL:
                return DeliveryResult(Outcome.RETRY, reason="the DM channel was gone; opening a new one")
            return DeliveryResult(Outcome.PERMANENT, reason=f"Discord does not know this user (error {exc.code})")
        except discord.HTTPException as exc:
            if exc.status == 429:
                wait = _retry_after(exc) or 5.0
                self.pacer.pause(wait)
                return DeliveryResult(Outcome.RETRY, retry_after=wait, reason="rate limited by Discord")
            if exc.status >= 500:
                return DeliveryResult(Outcome.RETRY, reason=f"Discord error {exc.status}")
            self._partial.pop(key, None)
            return DeliveryResult(Outcome.PERMANENT, reason=f"Discord rejected the DM ({exc.status}, {exc.code})")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return DeliveryResult(Outcome.RETRY, reason=f"network error: {type(exc).__name__}")

    async def _dm_channel(self, user_id: int) -> int:
        cached = self._channels.get(user_id)
        if cached is not None:
            self._channels.move_to_end(user_id)
            return cached
        await self.pacer.wait()
        data = await self.client.http.start_private_message(user_id)
        channel_id = int(data["id"])
        self._channels[user_id] = channel_id
        if len(self._channels) > self._channel_cache:
            self._channels.popitem(last=False)
        return channel_id

    def _notice_channel(self, community: str) -> int | None:
        if community in self.notice_channels:
            return self.notice_channels[community]
        if not community.isdigit():
            return None
        guild = self.client.get_guild(int(community))
        if guild is None:
            return None
        for channel in guild.text_channels:
            if channel.name == NOTICE_CHANNEL_NAME:
                return channel.id
        return None

    async def _check_your_dms(self, recipient: Recipient, user_id: int) -> None:
        """A generic line in the server's notice channel, if it has one: no job details."""
        channel_id = self._notice_channel(recipient.community)
        if channel_id is None:
            return
        now = time.monotonic()
        if now - self._noticed.get(user_id, -NOTICE_EVERY) < NOTICE_EVERY:
            return
        self._noticed[user_id] = now
        channel = self.client.get_partial_messageable(channel_id)
        try:
            await self.pacer.wait()
            await channel.send(
                f"<@{user_id}>, I have a reminder for you but can't DM you. Please check your DMs: allow "
                "direct messages from this server's members (Server menu → Privacy Settings).",
                allowed_mentions=discord.AllowedMentions(everyone=False, roles=False,
                                                         users=[discord.Object(id=user_id)]),
            )
        except discord.HTTPException as exc:
            log.warning("could not post the check-your-DMs notice (%s)", exc.status)


class RestNotifier:
    """A Notifier for a process with no gateway connection (`python -m bot worker`): discord.py's
    REST client alone, made and logged in on first use (inside the event loop that sends)."""

    platform = "discord"

    def __init__(self, token: str, *, rate: float = 47.5, notice_channels: dict[str, int] | None = None,
                 api_url: str | None = None, tls: ssl.SSLContext | None = None) -> None:
        self._token = token
        self._rate = rate
        self._notice_channels = notice_channels
        self._api_url = api_url
        self._tls = tls
        self.client: discord.Client | None = None
        self.inner: DiscordNotifier | None = None
        self._login = asyncio.Lock()

    async def _ready(self) -> DiscordNotifier | DeliveryResult:
        async with self._login:
            if self.inner is not None:
                return self.inner
            link = endpoint.connector(self._api_url, self._tls)
            client = (discord.Client(intents=discord.Intents.none(), allowed_mentions=NO_PINGS) if link is None
                      else discord.Client(intents=discord.Intents.none(), allowed_mentions=NO_PINGS, connector=link))
            try:
                await client.login(self._token)
            except discord.LoginFailure:
                await client.close()
                return DeliveryResult(Outcome.RETRY, retry_after=300.0, reason="Discord refused the token")
            except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
                await client.close()
                return DeliveryResult(Outcome.RETRY, reason=f"could not reach Discord: {type(exc).__name__}")
            self.client = client
            self.inner = DiscordNotifier(client, rate=self._rate, notice_channels=self._notice_channels)
            return self.inner

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        inner = self.inner or await self._ready()
        if isinstance(inner, DeliveryResult):
            return inner
        return await inner.send(recipient, message, dm_key=dm_key)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


def notice_channels(text: str | None) -> dict[str, int]:
    """DISCORD_DM_NOTICE_CHANNELS (`guild_id:channel_id,...`) as {guild id: channel id}."""
    out: dict[str, int] = {}
    for part in (text or "").split(","):
        guild, _, channel = part.strip().partition(":")
        if guild.strip().isdigit() and channel.strip().isdigit():
            out[guild.strip()] = int(channel)
    return out
