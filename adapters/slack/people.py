"""Who a Slack user is, from users.info: their time zone, whether they are an admin, their name.

Looked up once and cached (an hour), so the acknowledgement path of a known user makes no call.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.actor import Actor

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0
FAILED_TTL_SECONDS = 60.0
MAX_ENTRIES = 50_000


@dataclass(frozen=True)
class Person:
    tz: str | None = None
    is_admin: bool = False
    name: str | None = None


class People:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._cache: OrderedDict[tuple[str, str], tuple[float, Person]] = OrderedDict()

    def cached(self, team: str, user: str) -> Person | None:
        entry = self._cache.get((team, user))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

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
        known = self.cached(team, user)
        if known is not None:
            return known
        try:
            response = await client.users_info(user=user)
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user, error.response.get("error"))
            person = Person()
            self.remember(team, user, person, FAILED_TTL_SECONDS)
            return person
        except Exception as error:  # network trouble: answer without the hint, try again later
            log.warning("users.info failed for %s: %s", user, type(error).__name__)
            return Person()
        data = response.get("user") or {}
        profile = data.get("profile") or {}
        tz = data.get("tz") if isinstance(data.get("tz"), str) and data.get("tz") else None
        name = profile.get("real_name") or data.get("real_name") or profile.get("display_name") or data.get("name")
        person = Person(
            tz=tz,
            is_admin=bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner")),
            name=str(name) if name else None,
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
            is_admin=person.is_admin,
            tz_hint=person.tz,
        )
