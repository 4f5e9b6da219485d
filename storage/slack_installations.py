"""Where a Slack app installed in many workspaces keeps its installations and OAuth states: the
`slack_installations`, `slack_bots` and `slack_oauth_states` tables (created by our migrations),
through slack-sdk's own SQLAlchemy stores, on the store's engine (no engine of their own)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import and_, desc, select, true
from sqlalchemy.ext.asyncio import AsyncEngine

STATE_EXPIRY_SECONDS = 600  # an install link is good for ten minutes


class SlackInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack-sdk's installation store, with the two questions Enterprise Grid asks that it does not
    answer: which org a workspace-level installation of a team belongs to, and which orgs have an
    org-wide installation."""

    async def async_find_enterprise_of(self, team_id: str) -> str | None:
        c = self.bots.c
        query = (select(c.enterprise_id)
                 .where(and_(c.client_id == self.client_id, c.team_id == team_id, c.enterprise_id.is_not(None)))
                 .order_by(desc(c.installed_at)).limit(1))
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).scalar_one_or_none()

    async def async_org_wide_enterprises(self) -> list[str]:
        c = self.bots.c
        query = (select(c.enterprise_id)
                 .where(and_(c.client_id == self.client_id, c.is_enterprise_install == true(),
                             c.enterprise_id.is_not(None)))
                 .group_by(c.enterprise_id))
        async with self.engine.connect() as conn:
            return [str(e) for e in (await conn.execute(query)).scalars()]


@dataclass(frozen=True)
class SlackInstallations:
    """slack-sdk's installation store and OAuth state store over one engine."""

    installations: SlackInstallationStore
    states: AsyncSQLAlchemyOAuthStateStore


def slack_installations(engine: AsyncEngine, client_id: str,
                        state_expiry_seconds: int = STATE_EXPIRY_SECONDS) -> SlackInstallations:
    return SlackInstallations(
        installations=SlackInstallationStore(client_id=client_id, engine=engine),
        states=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=state_expiry_seconds, engine=engine),
    )
