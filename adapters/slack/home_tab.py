"""Publishing a member's App Home tab (its view: home.py): when they open it, and after each
command that changed something. One publish at a time per member, in the order asked, so the
last one shows the latest state."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.home import home_view
from adapters.slack.host import Host
from bot.replies import Reply

log = logging.getLogger(__name__)

HOME_INTERVIEWS = 20
NOTHING_ACTIVE = "No active interviews."


class HomeTab:
    def __init__(self, host: Host) -> None:
        self.host = host
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}  # lock, how many use it

    async def on_opened(self, ack: Any, event: dict[str, Any], body: dict[str, Any],
                        client: AsyncWebClient) -> None:
        await ack()
        if event.get("tab", "home") != "home":
            return
        team = str(body.get("team_id") or "")
        self.host.background.spawn(self.publish(client, team, str(event.get("user", ""))))

    async def publish(self, client: AsyncWebClient, team: str, user: str) -> None:
        """Publish the user's home tab. One at a time per user, in the order asked (asyncio's lock
        is fair), so that the last one published shows the latest state."""
        if not user:
            return
        key = (team, user)
        lock, waiting = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, waiting + 1)
        try:
            async with lock:
                actor = await self.host.people.actor(client, team, user)
                # Only reads: a member with nothing active (or none at all: never seen, or just
                # forgotten) is shown the guide without running a command, which would record them.
                choices = await self.host.service.interview_choices(actor, "", limit=HOME_INTERVIEWS,
                                                                    active_only=True)
                listing = await self.host.service.handle(actor, "list") if choices else Reply(title=NOTHING_ACTIVE)
                try:
                    await client.views_publish(user_id=user, view=home_view(listing, choices, user))
                except SlackApiError as error:
                    log.warning("views.publish failed for %s: %s", user, error.response.get("error"))
        finally:
            lock, waiting = self._locks[key]
            if waiting <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, waiting - 1)
