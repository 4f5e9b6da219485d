"""Who a Slack user is, from users.info: their time zone and locale, whether they are staff (an admin, or
in the staff user group: staff.py), their name.

Looked up once and cached; refreshed after the answer when older than an hour, so the
acknowledgement path of a known user never waits for Slack.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.staff import StaffGroup
from bot.actor import Actor

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0
FAILED_TTL_SECONDS = 60.0
FIRST_WAIT_SECONDS = 1.5  # of Slack's 3 s for the ack
MAX_ENTRIES = 50_000


@dataclass(frozen=True)
class Person:
    tz: str | None = None
    is_admin: bool = False  # a workspace admin or owner
    name: str | None = None
    locale: str | None = None  # e.g. "en-US", as the member set Slack's language


class People:
    """users.info, cached. A known user's answer never waits for Slack: a stale entry is used at
    once and refreshed in the background. Only a user's very first command waits for the lookup,
    at most `first_wait` seconds (Slack wants its ack within 3 s); after that it answers without
    the hint and the lookup goes on in the background to fill the cache."""

    def __init__(self, ttl: float = TTL_SECONDS, first_wait: float = FIRST_WAIT_SECONDS,
                 staff: StaffGroup | None = None) -> None:
        self.staff = staff or StaffGroup(None)
        self.ttl = ttl
        self.first_wait = first_wait
        self._cache: OrderedDict[tuple[str, str], tuple[float, Person]] = OrderedDict()
        self._lookups: dict[tuple[str, str], asyncio.Task[Person]] = {}

    def cached(self, team: str, user: str) -> Person | None:
        entry = self._cache.get((team, user))
        return None if entry is None else entry[1]

    def remember(self, team: str, user: str, person: Person, ttl: float | None = None) -> None:
        key = (team, user)
        self._cache[key] = (time.monotonic() + (self.ttl if ttl is None else ttl), person)
        self._cache.move_to_end(key)
        while len(self._cache) > MAX_ENTRIES:
            self._cache.popitem(last=False)

    def forget_team(self, team: str) -> None:
        for key in [k for k in self._cache if k[0] == team]:
            self._cache.pop(key, None)

    async def person(self, client: AsyncWebClient, team: str, user: str) -> Person:
        key = (team, user)
        entry = self._cache.get(key)
        if entry is not None:
            if entry[0] < time.monotonic():
                self._lookup(client, team, user)  # stale: refresh after this answer
            return entry[1]
        task = self._lookup(client, team, user)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.first_wait)
        except TimeoutError:
            log.warning("users.info for %s is slow: answering without the user's time zone", user)
            return Person()

    def _lookup(self, client: AsyncWebClient, team: str, user: str) -> asyncio.Task[Person]:
        key = (team, user)
        running = self._lookups.get(key)
        if running is not None and not running.done():
            return running
        task = asyncio.get_running_loop().create_task(self._fetch(client, team, user))
        self._lookups[key] = task
        task.add_done_callback(lambda _t: self._lookups.pop(key, None))
        return task

    async def _fetch(self, client: AsyncWebClient, team: str, user: str) -> Person:
        try:
            response = await client.users_info(user=user, include_locale=True)
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user, error.response.get("error"))
            known = self.cached(team, user) or Person()
            self.remember(team, user, known, FAILED_TTL_SECONDS)
            return known
        except Exception as error:  # network trouble: answer without the hint, try again later
            log.warning("users.info failed for %s: %s", user, type(error).__name__)
            return self.cached(team, user) or Person()
        data = response.get("user") or {}
        profile = data.get("profile") or {}
        tz = data.get("tz") if isinstance(data.get("tz"), str) and data.get("tz") else None
        name = profile.get("real_name") or data.get("real_name") or profile.get("display_name") or data.get("name")
        person = Person(
            tz=tz,
            is_admin=bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner")),
            name=str(name) if name else None,
            locale=str(data["locale"]) if isinstance(data.get("locale"), str) and data.get("locale") else None,
        )
        self.remember(team, user, person)
        return person

    async def actor(self, client: AsyncWebClient, team: str, user: str, fallback_name: str | None = None) -> Actor:
        person = await self.person(client, team, user)
        return Actor(
            platform="slack",
            community=team,
            external_id=user,
            display_name=person.name or fallback_name,
            is_admin=person.is_admin or await self.staff.includes(client, team, user),
            tz_hint=person.tz,
            locale=person.locale,
        )
