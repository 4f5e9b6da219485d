"""What slack-sdk's installation store cannot answer by itself on Enterprise Grid: which org a
workspace-level installation of a workspace belongs to, and which orgs installed the app org-wide.
Read from slack-sdk's own `slack_bots` table (its public `bots` table, `client_id` and `engine`)."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import and_, desc, select, true


class GridInstallations:
    def __init__(self, store: AsyncSQLAlchemyInstallationStore) -> None:
        self._store = store

    async def enterprise_of(self, team: str) -> str | None:
        """The org of the latest workspace-level Grid installation in `team`, if there is one."""
        c = self._store.bots.c
        query = (select(c.enterprise_id)
                 .where(and_(c.client_id == self._store.client_id, c.team_id == team, c.enterprise_id.is_not(None)))
                 .order_by(desc(c.installed_at)).limit(1))
        async with self._store.engine.connect() as conn:
            found = (await conn.execute(query)).scalar_one_or_none()
        return str(found) if found is not None else None

    async def org_wide_enterprises(self) -> list[str]:
        """The orgs that installed the app org-wide."""
        c = self._store.bots.c
        query = (select(c.enterprise_id)
                 .where(and_(c.client_id == self._store.client_id, c.is_enterprise_install == true(),
                             c.enterprise_id.is_not(None)))
                 .group_by(c.enterprise_id))
        async with self._store.engine.connect() as conn:
            return [str(e) for e in (await conn.execute(query)).scalars()]
