"""Requests signed the way Slack signs them, and a small client that sends them to the app.

Slack's v0 signature: `v0=` + hex HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"), sent
in X-Slack-Signature with X-Slack-Request-Timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

SECRET = "test-signing-secret-0123456789abcdef"
_counter = itertools.count(1)


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash_body(text: str, user: str, team: str, response_url: str, channel: str = "C0GENERAL",
               enterprise: str | None = None, org_wide: bool = False) -> str:
    """A slash command's form body; on Enterprise Grid with the org's id (and whether the app is
    installed org-wide)."""
    n = next(_counter)
    fields = {
        "token": "legacy-unused", "team_id": team, "team_domain": "careers", "channel_id": channel,
        "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/interview",
        "text": text, "api_app_id": "A0001", "is_enterprise_install": "true" if org_wide else "false",
        "response_url": response_url, "trigger_id": f"trigger.{n}.{user}",
    }
    if enterprise is not None:
        fields |= {"enterprise_id": enterprise, "enterprise_name": "Career Center Org"}
    return urlencode(fields)


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class Answer:
    status: int
    text: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SlackSender:
    """Posts signed requests to the app's /slack/events, as Slack does."""

    def __init__(self, url: str, secret: str = SECRET) -> None:
        self.url = url
        self.secret = secret
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SlackSender:
        self.session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()

    async def post(self, body: str, content_type: str, *, timestamp: int | None = None,
                   secret: str | None = None, headers: dict[str, str] | None = None) -> Answer:
        assert self.session is not None
        all_headers = {"Content-Type": content_type, **sign(secret or self.secret, body, timestamp)}
        all_headers.update(headers or {})
        started = time.perf_counter()
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as response:
            text = await response.text()
        return Answer(response.status, text, time.perf_counter() - started)

    async def command(self, text: str, user: str, team: str, response_url: str, *, enterprise: str | None = None,
                      org_wide: bool = False, **kw: Any) -> Answer:
        body = slash_body(text, user, team, response_url, enterprise=enterprise, org_wide=org_wide)
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    async def interaction(self, payload: dict[str, Any], **kw: Any) -> Answer:
        return await self.post(interaction_body(payload), "application/x-www-form-urlencoded", **kw)

    async def event(self, envelope: dict[str, Any], **kw: Any) -> Answer:
        return await self.post(json.dumps(envelope), "application/json", **kw)


def button_payload(*, user: str, team: str, message: dict[str, Any] | None, channel: str | None,
                   block_id: str, button: dict[str, Any], response_url: str | None,
                   view: dict[str, Any] | None = None) -> dict[str, Any]:
    """A block_actions payload for pressing `button` in a message (or a view)."""
    n = next(_counter)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy-unused",
        "trigger_id": f"trigger.{n}.{user}",
        "team": {"id": team, "domain": "careers"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [{
            "type": "button", "action_id": button["action_id"], "block_id": block_id,
            "text": button["text"], "value": button.get("value"), "action_ts": f"{time.time():.6f}",
        }],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view["id"]}
        payload["view"] = view
    else:
        assert message is not None and channel is not None
        payload["container"] = {"type": "message", "message_ts": message.get("ts", "1.0"),
                                "channel_id": channel, "is_ephemeral": "ts" not in message}
        payload["channel"] = {"id": channel, "name": "directmessage"}
        if "ts" in message:
            payload["message"] = {"type": "message", "ts": message["ts"], "blocks": message["blocks"],
                                  "text": message.get("text", "")}
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def find_button(blocks: list[dict[str, Any]], label_part: str) -> tuple[str, dict[str, Any]]:
    """(block_id, button) of the first button whose label contains `label_part`."""
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block["elements"]:
            if element.get("type") == "button" and label_part.lower() in element["text"]["text"].lower():
                return block.get("block_id", ""), element
    labels = [e["text"]["text"] for b in blocks if b.get("type") == "actions" for e in b["elements"]]
    raise AssertionError(f"no button with {label_part!r}; buttons: {labels}")


def texts(blocks: list[dict[str, Any]]) -> str:
    """Every text of the blocks, joined: what the user reads."""
    out: list[str] = []
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            out.append(block["text"]["text"])
        for element in block.get("elements", []) or []:
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                out.append(element["text"])
            elif isinstance(element, dict) and isinstance(element.get("text"), dict):
                out.append(element["text"]["text"])
        if "label" in block:
            out.append(block["label"]["text"])
    return "\n".join(out)
