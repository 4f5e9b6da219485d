"""Which installation (and so which bot token) serves a workspace, Enterprise Grid included.

A member is known by their workspace (`team_id`). An app installed in a single workspace has an
installation for that team alone. On Enterprise Grid it is one of:
- installed in one workspace of the org: the installation names both the org (`enterprise_id`)
  and the workspace;
- installed org-wide (`is_enterprise_install`): the installation names the org only, and serves
  each workspace the org admins granted it, which `auth.teams.list` lists.
The lookup tries these in that order; what it finds is cached for a minute, what the org-wide
token can reach for ten. The two Grid questions the installation store's own API cannot answer
(`GridLookup`) are asked of the storage, which the entry point passes in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

ORG_TEAMS_SECONDS = 600.0
TEAMS_PAGE = 200


class GridLookup(Protocol):
    """Enterprise Grid installations, as the installation store keeps them."""

    async def enterprise_of(self, team: str) -> str | None:
        """The org of the latest workspace-level Grid installation in `team`, if there is one."""
        ...

    async def org_wide_enterprises(self) -> list[str]:
        """The orgs that installed the app org-wide."""
        ...


@dataclass(frozen=True)
class Found:
    bot: Bot
    enterprise_id: str | None


class Workspaces:
    """Finds a workspace's bot in the installation store; `grid` answers Enterprise Grid's
    questions (without it only single-workspace installations are found); `api_url` is the Web
    API base used to ask an org-wide install which workspaces it serves."""

    def __init__(self, store: AsyncInstallationStore, api_url: str | None = None,
                 grid: GridLookup | None = None) -> None:
        self.store = store
        self.api_url = api_url
        self.grid = grid
        self._org_teams: dict[str, tuple[float, frozenset[str]]] = {}

    async def bot_for(self, team: str) -> Found | None:
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=team)
        if bot is not None and bot.bot_token:
            return Found(bot, None)
        if self.grid is None:
            return None
        enterprise = await self.grid.enterprise_of(team)
        if enterprise is not None:
            bot = await self.store.async_find_bot(enterprise_id=enterprise, team_id=team)
            if bot is not None and bot.bot_token:
                return Found(bot, enterprise)
        for org in await self.grid.org_wide_enterprises():
            bot = await self.store.async_find_bot(enterprise_id=org, team_id=None, is_enterprise_install=True)
            if bot is not None and bot.bot_token and team in await self._teams_of(org, bot.bot_token):
                return Found(bot, org)
        return None

    async def _teams_of(self, enterprise: str, token: str) -> frozenset[str]:
        cached = self._org_teams.get(enterprise)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        client = AsyncWebClient(token=token, base_url=self.api_url or AsyncWebClient.BASE_URL, timeout=10)
        teams: set[str] = set()
        cursor: str | None = None
        try:
            while True:
                page = await client.auth_teams_list(limit=TEAMS_PAGE, cursor=cursor)
                teams.update(str(t.get("id")) for t in page.get("teams") or [] if isinstance(t, dict))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except SlackApiError as error:
            log.warning("auth.teams.list failed for org %s: %s", enterprise, error.response.get("error"))
            return frozenset()
        found = frozenset(teams)
        self._org_teams[enterprise] = (time.monotonic() + ORG_TEAMS_SECONDS, found)
        return found
