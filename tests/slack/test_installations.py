"""slack-sdk's installation and OAuth state stores on our migrated tables, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.entry.platforms import slack_stores
from storage.store import SqlStore
from tests.slack.conftest import slack_config
from tests.slack.fake_slack import FakeSlack


async def test_installations_and_states_live_in_our_database(db_url: str) -> None:
    config = slack_config(FakeSlack(), db_url, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222",
                          SLACK_CLIENT_SECRET="secret")
    sql_store = SqlStore(db_url)
    try:
        stores = slack_stores(config, sql_store)  # as the entry point builds them: on the store's engine
        assert stores is not None
        store = stores.installations
        assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
        await store.async_save(Installation(
            app_id="A1", enterprise_id=None, team_id="T1", team_name="Career Center", bot_token="xoxb-1",
            bot_id="B1", bot_user_id="UBOT", bot_scopes="commands,chat:write", user_id="U1",
            installed_at=datetime(2026, 12, 1, tzinfo=UTC).timestamp(),
        ))
        await store.async_save(Installation(
            app_id="A1", enterprise_id=None, team_id="T1", bot_token="xoxb-2", bot_id="B1",
            bot_user_id="UBOT", bot_scopes="commands,chat:write", user_id="U2",
            installed_at=datetime(2026, 12, 2, tzinfo=UTC).timestamp(),
        ))
        bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
        assert bot is not None and bot.bot_token == "xoxb-2"  # the latest installation wins
        await store.async_delete_installation(enterprise_id=None, team_id="T1")
        await store.async_delete_bot(enterprise_id=None, team_id="T1")
        assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None

        states = stores.states
        state = await states.async_issue()
        assert await states.async_consume(state) is True
        assert await states.async_consume(state) is False  # used once
    finally:
        await sql_store.close()
