"""Many workspaces: the OAuth install flow stores the installation in our database (the Alembic
tables); commands then run with the installed token; uninstalling removes it."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.slack.server import SlackServer, build_server
from bot.config import Config
from bot.entry.platforms import slack_notifier, slack_stores
from bot.ports import Outcome, Recipient
from bot.reminders import Dispatcher
from bot.replies import Reply
from bot.service import Service
from storage.slack_installations import SlackInstallations
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.slack.conftest import ALICE, TEAM, slack_config
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SlackSender, texts

# Many workspaces: no bot token of its own, an OAuth client instead.
OAUTH: dict[str, Any] = {"SLACK_BOT_TOKEN": None, "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "client-secret"}


@dataclass
class InstallableApp:
    config: Config
    stores: SlackInstallations
    server: SlackServer
    base: str
    store: SqlStore
    service: Service
    clock: FakeClock


@asynccontextmanager
async def installable_app(fake: FakeSlack, db_url: str) -> AsyncIterator[InstallableApp]:
    """The Slack app in OAuth mode on a free port, its installations in the database at `db_url`."""
    store = SqlStore(db_url)
    clock = FakeClock()
    service = Service(store, clock, default_tz="UTC")
    config = slack_config(fake, db_url, **OAUTH)
    stores = slack_stores(config, store)
    assert stores is not None
    server = build_server(config, service, installation_store=stores.installations, state_store=stores.states)
    await server.start(host="127.0.0.1", port=0)
    try:
        yield InstallableApp(config, stores, server, f"http://127.0.0.1:{server.port}", store, service, clock)
    finally:
        await server.stop()
        await store.close()


async def install(base: str, code: str = "c0de") -> None:
    """An admin goes through /slack/install, approves on Slack, and comes back with a code."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(f"{base}/slack/install") as page:
            assert page.status == 200
            html = await page.text()
            cookie = page.cookies["slack-app-oauth-state"]  # Secure: the browser sends it back on https
        authorize = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', html)
        assert authorize is not None
        query = parse_qs(urlparse(authorize.group(1).replace("&amp;", "&")).query)
        assert "chat:write" in query["scope"][0] and query["client_id"] == ["111.222"]
        state = query["state"][0]
        async with browser.get(f"{base}/slack/oauth_redirect", params={"code": code, "state": state},
                               headers={"Cookie": f"{cookie.key}={cookie.value}"}) as done:
            assert done.status == 200, await done.text()


async def test_install_then_use_then_uninstall(fake_slack: FakeSlack, sqlite_url: str) -> None:
    async with installable_app(fake_slack, sqlite_url) as app:
        config, stores, base = app.config, app.stores, app.base
        notifier = slack_notifier(config, stores)
        recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
        assert (await notifier.send(recipient, Reply(title="hi"))).reason == "app_not_installed"
        await install(base)
        assert fake_slack.called("oauth.v2.access")[0].args["code"] == "c0de"

        async with SlackSender(f"{base}/slack/events") as sender:
            answer = await sender.command("add company: Horizon; role: Analyst; when: yesterday 2pm", ALICE, TEAM,
                                          fake_slack.response_url("oauth-1"))
            assert answer.status == 200 and "#1" in texts(answer.json()["blocks"])
            assert fake_slack.called("users.info")[-1].token == "xoxb-installed-token"
            assert (await notifier.send(recipient, Reply(title="hi"))).outcome is Outcome.DELIVERED

            uninstalled = await sender.event({
                "token": "x", "team_id": TEAM, "api_app_id": "A0001", "type": "event_callback",
                "event_id": "EvUninstall", "event_time": int(time.time()),
                "event": {"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"},
            })
            assert uninstalled.status == 200
        await app.server.bot.background.idle()
        fresh = slack_notifier(config, stores)  # no cached token: reads the installation store again
        assert (await fresh.send(recipient, Reply(title="hi"))).reason == "app_not_installed"


ORG = "E0001"
CARLA = "U0CARLA"  # in a workspace of the org the app is granted to
DAN = "U0DAN"  # in a workspace of the org the app is not granted to


async def test_an_org_wide_enterprise_grid_install_serves_its_workspaces_and_delivers_reminders(
        fake_slack: FakeSlack, sqlite_url: str) -> None:
    fake_slack.install_org_wide(ORG, ["T0ENG", "T0ART"])
    fake_slack.add_user(CARLA, "Europe/Paris", name="Carla Diaz", team="T0ENG")
    fake_slack.add_user(DAN, "Europe/Paris", name="Dan Roe", team="T0LAW")
    async with installable_app(fake_slack, sqlite_url) as app:
        config, stores, base = app.config, app.stores, app.base
        await install(base)
        org_token = f"xoxb-org-{ORG.lower()}"
        async with SlackSender(f"{base}/slack/events") as sender:
            answer = await sender.command("add company: Horizon; role: Analyst; when: today 6am", CARLA, "T0ENG",
                                          fake_slack.response_url("grid-1"), enterprise=ORG, org_wide=True)
            assert answer.status == 200 and "#1" in texts(answer.json()["blocks"])
            assert fake_slack.called("users.info")[-1].token == org_token
        await app.server.bot.background.idle()

        app.clock.advance(hours=3)
        dispatcher = Dispatcher(app.store, app.service.reminder_message, {"slack": slack_notifier(config, stores)},
                                app.clock, max_attempts=3)
        stats = await dispatcher.run_once()
        assert stats.delivered == 1
        [dm] = fake_slack.messages[fake_slack.dm_channel(CARLA)]
        assert "Horizon" in texts(dm.blocks)
        assert {c.token for c in fake_slack.called("chat.postMessage")} == {org_token}

        outside = Recipient(user_id=99, platform="slack", community="T0LAW", external_id=DAN)
        notifier = slack_notifier(config, stores)
        assert (await notifier.send(outside, Reply(title="hi"))).reason == "app_not_installed"


async def test_a_workspace_level_install_in_a_grid_org_is_found_by_org_and_workspace(
        fake_slack: FakeSlack, sqlite_url: str) -> None:
    store = SqlStore(sqlite_url)
    config = slack_config(fake_slack, sqlite_url, **OAUTH)
    stores = slack_stores(config, store)
    assert stores is not None
    try:
        await stores.installations.async_save(Installation(
            app_id="A0001", enterprise_id=ORG, team_id=TEAM, bot_token="xoxb-grid-workspace", bot_id="B1",
            bot_user_id="UBOT", bot_scopes="commands,chat:write,im:write", user_id="U0INSTALLER",
            installed_at=time.time()))
        recipient = Recipient(user_id=1, platform="slack", community=TEAM, external_id=ALICE)
        result = await slack_notifier(config, stores).send(recipient, Reply(title="Thank-you due"))
        assert result.outcome is Outcome.DELIVERED
        assert fake_slack.called("chat.postMessage")[-1].token == "xoxb-grid-workspace"
    finally:
        await store.close()
