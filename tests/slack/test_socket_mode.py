"""Socket Mode: the app connects to the (fake) Slack WebSocket and answers a slash command in the ack."""

from __future__ import annotations

from adapters.slack.server import build_server
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.slack.conftest import ALICE, APP_TOKEN, TEAM, slack_config
from tests.slack.fake_slack import MESSAGE_BLOCKS, FakeSlack, validate_blocks
from tests.slack.signing import texts


def slash_envelope(envelope_id: str, text: str, response_url: str) -> dict[str, object]:
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy-unused", "team_id": TEAM, "team_domain": "careers", "channel_id": "C0GENERAL",
            "channel_name": "general", "user_id": ALICE, "user_name": "alice", "command": "/interview",
            "text": text, "api_app_id": "A0001", "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": "trigger.socket.1",
        },
    }


async def test_socket_mode_answers_a_slash_command_in_its_ack(fake_slack: FakeSlack, sqlite_url: str) -> None:
    store = SqlStore(sqlite_url)
    service = Service(store, FakeClock(), default_tz="UTC")
    config = slack_config(fake_slack, sqlite_url, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET=None)
    server = build_server(config, service)
    await server.start(host="127.0.0.1", port=0)
    try:
        assert fake_slack.socket_opens == 1
        assert fake_slack.called("apps.connections.open")[0].token == APP_TOKEN
        add = "add company: Horizon; role: Analyst; when: yesterday 2pm"
        ack = await fake_slack.socket_send(slash_envelope("env-1", add, fake_slack.response_url("env-1")))
        assert ack["envelope_id"] == "env-1"
        payload = ack["payload"]
        assert payload["response_type"] == "ephemeral"
        assert validate_blocks(payload["blocks"], MESSAGE_BLOCKS) == []
        assert "#1" in texts(payload["blocks"])
        ack = await fake_slack.socket_send(slash_envelope("env-2", "list", fake_slack.response_url("env-2")))
        assert "Horizon" in texts(ack["payload"]["blocks"])
    finally:
        await server.stop()
        await store.close()
