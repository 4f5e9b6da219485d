"""What a signed request says, checked against what the app knows, before the app acts on it.

Slack fills a button press's `response_url`, `channel`, `container` (the message) and `view`; a
request is signed, but the app acts only where these belong to the person who pressed:

- a response URL is used only when it is Slack's (`https://hooks.slack.com/…`) or on the
  configured Web API base (a local Slack in tests); a request carrying any other is refused;
- a message is updated, or answered in its channel, only in the presser's own DM with the app
  (the channel `conversations.open` gives for them); anywhere else the answer goes privately
  through the response URL;
- a modal is updated only when this process opened it for the presser; otherwise the answer
  opens in a new modal (or, after a form, arrives in the presser's DM).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from urllib.parse import urlsplit

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

SLACK_HOOKS = "hooks.slack.com"
DM_CACHE_SECONDS = 24 * 3600.0
VIEW_MEMORY_SECONDS = 3600.0
MAX_ENTRIES = 50_000


def _origin(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if not host or parts.username or parts.password:
        return None
    return parts.scheme.lower(), f"{host}:{port}" if port else host


class ResponseUrls:
    """Which response URLs the app may post to."""

    def __init__(self, api_base: str | None = None) -> None:
        self._trusted = {("https", SLACK_HOOKS)}
        if api_base:
            origin = _origin(api_base)
            if origin is not None:
                self._trusted.add(origin)

    def trusted(self, url: object) -> bool:
        return isinstance(url, str) and len(url) <= 2000 and _origin(url) in self._trusted


class _Expiring:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: OrderedDict[tuple[str, str], tuple[float, str]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> str | None:
        entry = self._items.get(key)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None

    def put(self, key: tuple[str, str], value: str) -> None:
        self._items[key] = (time.monotonic() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > MAX_ENTRIES:
            self._items.popitem(last=False)


class DirectMessages:
    """Each user's DM channel with the app, as `conversations.open` gives it (cached)."""

    def __init__(self) -> None:
        self._channels = _Expiring(DM_CACHE_SECONDS)

    def remember(self, team: str, user: str, channel: str) -> None:
        self._channels.put((team, user), channel)

    async def channel(self, client: AsyncWebClient, team: str, user: str) -> str | None:
        known = self._channels.get((team, user))
        if known is not None:
            return known
        try:
            opened = await client.conversations_open(users=user)
        except SlackApiError as error:
            log.warning("conversations.open failed for %s: %s", user, error.response.get("error"))
            return None
        channel = str((opened.get("channel") or {}).get("id") or "")
        if channel:
            self.remember(team, user, channel)
        return channel or None

    async def is_theirs(self, client: AsyncWebClient, team: str, user: str, channel: str) -> bool:
        return bool(channel) and channel == await self.channel(client, team, user)


class ViewOwners:
    """The modals this process opened, and for whom (a modal's id says nothing of its owner)."""

    def __init__(self) -> None:
        self._owners = _Expiring(VIEW_MEMORY_SECONDS)

    def remember(self, view_id: object, user: str) -> None:
        if isinstance(view_id, str) and view_id:
            self._owners.put(("", view_id), user)

    def belongs_to(self, view_id: object, user: str) -> bool:
        return isinstance(view_id, str) and bool(view_id) and self._owners.get(("", view_id)) == user
