"""Which installation (and so which bot token) serves a workspace, Enterprise Grid included.

A member is known by their workspace (`team_id`). An app installed in a single workspace has an
installation for that team alone. On Enterprise Grid it is one of:
- installed in one workspace of the org: the installation names both the org (`enterprise_id`)
  and the workspace;
- installed org-wide (`is_enterprise_install`): the installation names the org only, and serves
  each workspace the org admins granted it, which `auth.teams.list` lists.
The lookup tries these in that order; what it finds is cached for a minute, what the org-wide
token can reach for ten.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, desc, select, true

log = logging.getLogger(__name__)

ORG_TEAMS_SECONDS = 600.0
TEAMS_PAGE = 200


@dataclass(frozen=True)
class Found:
    bot: Bot
    enterprise_id: str | None


class Workspaces:
    """Finds a workspace's bot in the installation store; `api_url` is the Web API base used to
    ask an org-wide install which workspaces it serves."""

    def __init__(self, store: AsyncInstallationStore, api_url: str | None = None) -> None:
        self.store = store
        self.api_url = api_url
        self._org_teams: dict[str, tuple[float, frozenset[str]]] = {}

    async def bot_for(self, team: str) -> Found | None:
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=team)
        if bot is not None and bot.bot_token:
            return Found(bot, None)
        if not isinstance(self.store, AsyncSQLAlchemyInstallationStore):
            return None
        enterprise = await self._enterprise_of(team)
        if enterprise is not None:
            bot = await self.store.async_find_bot(enterprise_id=enterprise, team_id=team)
            if bot is not None and bot.bot_token:
                return Found(bot, enterprise)
        for org in await self._org_wide_enterprises():
            bot = await self.store.async_find_bot(enterprise_id=org, team_id=None, is_enterprise_install=True)
            if bot is not None and bot.bot_token and team in await self._teams_of(org, bot.bot_token):
                return Found(bot, org)
        return None

    async def _enterprise_of(self, team: str) -> str | None:
        """The org of a workspace-level Grid installation of `team`, if there is one."""
        assert isinstance(self.store, AsyncSQLAlchemyInstallationStore)
        c = self.store.bots.c
        query = (select(c.enterprise_id)
                 .where(and_(c.client_id == self.store.client_id, c.team_id == team, c.enterprise_id.is_not(None)))
                 .order_by(desc(c.installed_at)).limit(1))
        async with self.store.engine.connect() as conn:
            return (await conn.execute(query)).scalar_one_or_none()

    async def _org_wide_enterprises(self) -> list[str]:
        assert isinstance(self.store, AsyncSQLAlchemyInstallationStore)
        c = self.store.bots.c
        query = (select(c.enterprise_id)
                 .where(and_(c.client_id == self.store.client_id, c.is_enterprise_install == true(),
                             c.enterprise_id.is_not(None)))
                 .group_by(c.enterprise_id))
        async with self.store.engine.connect() as conn:
            return [str(e) for e in (await conn.execute(query)).scalars()]

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
