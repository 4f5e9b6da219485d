"""The app manifest creates the app the code expects: command, scopes, events, interactivity, home tab."""

from __future__ import annotations

import json
from pathlib import Path

from adapters.slack.clients import BOT_SCOPES
from adapters.slack.server import EVENTS_PATH, REDIRECT_PATH
from adapters.slack.slash_command import SLASH_COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "slack-manifest.json"


def test_the_manifest_matches_the_app() -> None:
    manifest = json.loads(MANIFEST.read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == SLASH_COMMAND and command["url"].endswith(EVENTS_PATH)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
    events = manifest["settings"]["event_subscriptions"]
    assert set(events["bot_events"]) == {"app_home_opened", "message.im", "app_uninstalled", "tokens_revoked"}
    assert events["request_url"].endswith(EVENTS_PATH)
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["interactivity"]["request_url"].endswith(EVENTS_PATH)
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    # Members may DM the bot the same text as /interview.
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False
    assert "im:history" in BOT_SCOPES
    assert manifest["settings"]["org_deploy_enabled"] is True  # installable org-wide on Enterprise Grid
    assert len(manifest["display_information"]["description"]) <= 139
