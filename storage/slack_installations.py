"""Where a Slack app installed in many workspaces keeps its installations and OAuth states: the
`slack_installations`, `slack_bots` and `slack_oauth_states` tables (created by our migrations),
through slack-sdk's own SQLAlchemy stores, on the store's engine (no engine of their own)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.slack_grid import GridInstallations

STATE_EXPIRY_SECONDS = 600  # an install link is good for ten minutes


@dataclass(frozen=True)
class SlackInstallations:
    """slack-sdk's installation store and OAuth state store over one engine."""

    installations: AsyncSQLAlchemyInstallationStore
    states: AsyncSQLAlchemyOAuthStateStore
    grid: GridInstallations  # Enterprise Grid lookups over the same installations


def slack_installations(engine: AsyncEngine, client_id: str,
                        state_expiry_seconds: int = STATE_EXPIRY_SECONDS) -> SlackInstallations:
    installations = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    return SlackInstallations(
        installations=installations,
        states=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=state_expiry_seconds, engine=engine),
        grid=GridInstallations(installations),
    )
