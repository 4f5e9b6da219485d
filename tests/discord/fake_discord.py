"""A local fake of Discord for the real discord.py client: a REST API and a gateway on 127.0.0.1.

It speaks the real wire formats (API v10 JSON, gateway opcodes as plain JSON text frames), records
what the bot sends (interaction callbacks, webhook follow-ups and edits, DMs, channel posts,
command registrations) and rejects what Discord would reject:

- message limits: 2,000 characters of content, 10 embeds, 4,096 per description, 256 per title,
  6,000 across a message's embeds, 5 rows of 5 buttons, 80-character labels, 100-character
  custom ids, 512-character link URLs, empty messages;
- interaction rules: one initial response, within 3 seconds; follow-ups only after it; modals
  (at most 5 text inputs) not in answer to a modal; autocomplete answers of at most 25 choices;
- DMs to a user who closed them: 403 with code 50007;
- message nonces: at most 25 characters; with `enforce_nonce`, a second message with a nonce the
  bot used in the last few minutes creates nothing and returns the first message, as Discord does;
- commands: what a member may run follows the registration, as the command picker does: a
  command's `contexts` (server, bot DM, group DM), its `default_member_permissions`, and the role
  overrides a server admin set (`allow_role`); `picker` lists what a member sees;
- a member's DM to the bot (`user_dm`) reaches the bot only if it identified with the direct
  messages intent; its text is there without the message content intent (Discord's exception for
  DMs with the app); the bot reads its DM channel's recent messages (GET .../messages);
- rate limits: `limit_next(n)` answers the next n REST calls with 429, and `global_rate` enforces
  a global limit of n requests per second; a 429 has a JSON body (`retry_after`, `global`), a
  Retry-After header and a `Via` header, as Discord's do.

Tests drive it with `slash`, `autocomplete`, `press` and `submit_modal`, which dispatch an
INTERACTION_CREATE over the gateway and wait for the bot's answer.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import itertools
import json
import re
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from adapters.discord.endpoint import connector

TOKEN = "fake-bot-token"
APP_ID = 1_100_000_000_000_000_001
BOT_ID = 1_100_000_000_000_000_002
RESPONSE_DEADLINE = 3.0
NONCE_WINDOW = 300.0  # "the past few minutes" in which Discord enforces a nonce's uniqueness
NONCE_LIMIT = 25
NAME_RE = re.compile(r"^[-_\w]{1,32}$")

ALL_PERMISSIONS = (1 << 53) - 1
MEMBER_PERMISSIONS = 0x0000000000000400 | 0x0000000000000800 | 0x0000000080000000  # view, send, use app cmds
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
DIRECT_MESSAGES = 1 << 12  # gateway intent
CONTEXT_GUILD, CONTEXT_BOT_DM = 0, 1


class Rejected(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON exactly as Discord sends it (discord.py checks for `application/json` with no charset)."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


@functools.lru_cache(maxsize=1)
def certificate() -> tuple[str, str]:
    """(certificate, key) files of a self-signed certificate for Discord's host names, made once
    per process with the openssl command."""
    folder = tempfile.mkdtemp(prefix="fake-discord-tls-")
    cert, key = f"{folder}/cert.pem", f"{folder}/key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=discord.com",
         "-addext", "subjectAltName=DNS:discord.com,DNS:gateway.discord.gg,DNS:*.discord.gg"],
        check=True, capture_output=True)
    return cert, key


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Interaction:
    id: int
    token: str
    type: int
    payload: dict[str, Any]
    created: float
    user_id: int
    responded: asyncio.Event = field(default_factory=asyncio.Event)
    response_type: int | None = None
    response: dict[str, Any] | None = None  # the callback's data
    response_at: float | None = None
    original: dict[str, Any] | None = None  # the message the response created or edited
    followups: list[dict[str, Any]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def latency(self) -> float:
        assert self.response_at is not None
        return self.response_at - self.created

    def messages(self) -> list[dict[str, Any]]:
        """What the user sees: the original answer (unless it is a deferred placeholder) and follow-ups."""
        out = []
        if self.original is not None and not self.original.get("_loading"):
            out.append(self.original)
        out.extend(self.followups)
        return out

    def text(self) -> str:
        return "\n".join(message_text(m) for m in self.messages())


def message_text(message: dict[str, Any]) -> str:
    """All the text a user would read in a message: content, embed titles, descriptions, footers."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.extend([embed.get("title") or "", embed.get("description") or ""])
        for f in embed.get("fields") or []:
            parts.extend([f.get("name", ""), f.get("value", "")])
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components") or [] for c in row.get("components", []) if c.get("type") == 2]


@dataclass
class Shard:
    ws: web.WebSocketResponse
    shard_id: int
    shard_count: int
    seq: int = 0
    session_id: str = ""
    intents: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def dispatch(self, event: str, data: Any) -> None:
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))


class FakeDiscord:
    def __init__(self, *, global_rate: int | None = None, heartbeat_ms: int = 5000, shards: int = 1) -> None:
        self.global_rate = global_rate
        self.heartbeat_ms = heartbeat_ms
        self.recommended_shards = shards
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.users: dict[int, dict[str, Any]] = {}
        self.closed_dms: set[int] = set()
        self.guilds: dict[int, dict[str, Any]] = {}
        self.shards: dict[int, Shard] = {}
        self.sessions: dict[str, Shard] = {}  # resumable sessions, also after their connection dropped
        self.interactions: dict[int, Interaction] = {}
        self.by_token: dict[str, Interaction] = {}
        self.dm_channels: dict[int, int] = {}  # user id -> channel id
        self.channel_owner: dict[int, int] = {}  # DM channel id -> user id
        self.messages: dict[int, dict[str, Any]] = {}  # every message the bot posted (DMs, channels)
        self.channel_posts: list[dict[str, Any]] = []  # non-DM channel messages
        self.dms_sent: list[dict[str, Any]] = []
        self.nonces: dict[tuple[int, str], tuple[float, int]] = {}  # (author, nonce) -> (when, message id)
        self.nonce_hits = 0  # sends answered with the message an earlier send with its nonce created
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # guild id (None: global) -> commands
        self.overrides: dict[tuple[int, str], set[int]] = {}  # (guild, command name) -> roles an admin allowed
        self.command_puts = 0  # bulk overwrites of the commands
        self.rejections: list[tuple[str, str]] = []  # (path, why)
        self.rate_limited = 0  # 429s sent
        self.requests = 0  # REST calls counted against the global limit
        self._limit_next = 0
        self._fail_next: list[int] = []
        self._limit_retry_after = 0.2
        self._limit_global = False
        self._window: collections.deque[float] = collections.deque()
        self.heartbeats = 0
        self.resumes = 0
        self.identified = asyncio.Event()
        self.dm_event = asyncio.Event()
        self.bot_user = self.user_payload(BOT_ID, "Followthrough", bot=True)

    # ------------------------------------------------------------------ set-up

    @property
    def api_url(self) -> str:
        """What DISCORD_API_URL takes to send a client here: the address answering for Discord."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def rest_url(self) -> str:
        return "https://discord.com/api/v10"

    @property
    def gateway_url(self) -> str:
        return "wss://gateway.discord.gg/"  # what GET /gateway/bot answers; resolved here per client

    def client_tls(self) -> ssl.SSLContext:
        """A TLS context that trusts this fake's certificate (for discord.com and gateway.discord.gg)."""
        return ssl.create_default_context(cafile=certificate()[0])

    def connector(self) -> Any:
        """The per-client connector that sends Discord's host names here (adapters.discord.endpoint)."""
        return connector(self.api_url, self.client_tls())

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_get("/", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        self.runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self.runner.setup()
        cert, key = certificate()
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        site = web.TCPSite(self.runner, "127.0.0.1", 0, ssl_context=tls)
        await site.start()
        self.port = self.runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for shard in list(self.shards.values()):
            await shard.ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    def snowflake(self) -> int:
        return next(self._ids)

    def user_payload(self, user_id: int, name: str, bot: bool = False) -> dict[str, Any]:
        return {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0", "avatar": None,
                "bot": bot, "public_flags": 0}

    def add_user(self, name: str, *, dms_closed: bool = False) -> int:
        user_id = self.snowflake()
        self.users[user_id] = self.user_payload(user_id, name)
        if dms_closed:
            self.closed_dms.add(user_id)
        return user_id

    def add_guild(self, name: str, channels: tuple[str, ...] = ("general",), *, shard: int | None = None,
                  shard_count: int = 1) -> int:
        """A server the bot is in; `shard` picks an id that Discord's sharding sends to that shard."""
        guild_id = self.snowflake()
        while shard is not None and (guild_id >> 22) % shard_count != shard:
            guild_id += 1 << 22
        chans: list[dict[str, Any]] = [
            {"id": str(self.snowflake()), "type": 0, "name": c, "position": i, "guild_id": str(guild_id),
             "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None}
            for i, c in enumerate(channels)]
        self.guilds[guild_id] = {
            "id": str(guild_id), "name": name, "icon": None, "owner_id": str(self.snowflake()),
            "roles": [{"id": str(guild_id), "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS),
                       "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False,
                       "flags": 0}],
            "emojis": [], "stickers": [], "features": [], "channels": chans, "threads": [], "members": [],
            "voice_states": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
            "member_count": 2, "large": False, "unavailable": False, "joined_at": _now_iso(),
            "premium_tier": 0, "preferred_locale": "en-US", "system_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "mfa_level": 0, "nsfw_level": 0,
        }
        return guild_id

    async def add_role(self, guild_id: int, name: str, permissions: int = 0) -> int:
        """A role in the server (announced to a connected bot as Discord does)."""
        role_id = self.snowflake()
        role = {"id": str(role_id), "name": name, "permissions": str(permissions),
                "position": len(self.guilds[guild_id]["roles"]), "color": 0, "hoist": False, "managed": False,
                "mentionable": False, "flags": 0}
        self.guilds[guild_id]["roles"].append(role)
        if self.shards:
            await self.shard_for(guild_id).dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild_id), "role": role})
        return role_id

    def allow_role(self, guild_id: int, command: str, role_id: int) -> None:
        """What a server admin does under Server Settings → Integrations: let a role use a command."""
        self.overrides.setdefault((guild_id, command), set()).add(role_id)

    def registered(self, name: str, guild_id: int | None) -> dict[str, Any] | None:
        for scope in ([guild_id] if guild_id else []) + [None]:
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command
        return None

    def may_use(self, command: dict[str, Any], guild_id: int | None, permissions: int, roles: tuple[int, ...]) -> bool:
        contexts = command.get("contexts")
        if contexts is not None and (CONTEXT_GUILD if guild_id else CONTEXT_BOT_DM) not in contexts:
            return False
        if guild_id is None or permissions & ADMINISTRATOR:
            return True
        if set(roles) & self.overrides.get((guild_id, command["name"]), set()):
            return True
        needed = command.get("default_member_permissions")
        return needed is None or int(needed) & permissions == int(needed)

    def picker(self, guild_id: int | None, *, admin: bool = False, roles: tuple[int, ...] = ()) -> list[str]:
        """The commands a member sees when typing `/` (server or bot DM)."""
        permissions = MEMBER_PERMISSIONS | (MANAGE_GUILD if admin else 0)
        names = {c["name"] for scope in ([guild_id] if guild_id else []) + [None] for c in self.commands.get(scope, [])}
        return sorted(n for n in names if self.may_use(self.registered(n, guild_id) or {}, guild_id, permissions,
                                                       roles))

    async def user_dm(self, user_id: int, text: str) -> bool:
        """The member writes `text` to the bot in their DM. False if the bot would not receive it
        (it did not ask for DM events)."""
        channel_id = self.dm_channels.get(user_id) or self._open_dm(user_id)
        message_id = self.snowflake()
        message = {
            "id": str(message_id), "channel_id": str(channel_id), "type": 0, "author": self.users[user_id],
            "content": text, "embeds": [], "components": [], "attachments": [], "flags": 0,
            "timestamp": _now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "pinned": False,
        }
        self.messages[message_id] = message
        shard = self.shard_for(None)
        if not shard.intents & DIRECT_MESSAGES:
            return False
        await shard.dispatch("MESSAGE_CREATE", message)
        return True

    def channel_id(self, guild_id: int, name: str = "general") -> int:
        for channel in self.guilds[guild_id]["channels"]:
            if channel["name"] == name:
                return int(channel["id"])
        raise KeyError(name)

    # ------------------------------------------------------------------ gateway

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}}))
        shard: Shard | None = None
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == 1:  # heartbeat
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:  # identify
                d = payload["d"]
                if d.get("token") != TOKEN:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                shard_id, shard_count = d.get("shard") or [0, 1]
                shard = Shard(ws, shard_id, shard_count, session_id=f"session-{self.snowflake()}",
                              intents=int(d.get("intents") or 0))
                self.shards[shard_id] = shard
                self.sessions[shard.session_id] = shard
                guilds = [g for g in self.guilds if (g >> 22) % shard_count == shard_id]
                await shard.dispatch("READY", {
                    "v": 10, "user": self.bot_user, "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
                    "session_id": shard.session_id, "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0}, "shard": [shard_id, shard_count],
                    "private_channels": [], "relationships": [], "user_settings": {},
                })
                for guild_id in guilds:
                    await shard.dispatch("GUILD_CREATE", self.guilds[guild_id])
                shard.ready.set()
                self.identified.set()
            elif op == 6:  # resume
                d = payload["d"]
                shard = self.sessions.get(str(d.get("session_id")))
                if shard is None or d.get("token") != TOKEN:
                    await ws.send_str(json.dumps({"op": 9, "d": False}))
                    continue
                shard.ws = ws
                self.shards[shard.shard_id] = shard
                self.resumes += 1
                await shard.dispatch("RESUMED", {})
                shard.ready.set()
        if shard is not None and self.shards.get(shard.shard_id) is shard and shard.ws is ws:
            del self.shards[shard.shard_id]
        return ws

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway connection as Discord does when it restarts a node."""
        for shard in list(self.shards.values()):
            shard.ready.clear()
            await shard.ws.close(code=code, message=b"Unknown error")

    def shard_for(self, guild_id: int | None) -> Shard:
        if not self.shards:
            raise RuntimeError("no bot is connected to the fake gateway")
        count = next(iter(self.shards.values())).shard_count
        wanted = ((guild_id or 0) >> 22) % count if guild_id else 0
        if wanted in self.shards:
            return self.shards[wanted]
        return next(iter(self.shards.values()))

    async def wait_connected(self, timeout: float = 10.0) -> None:
        async def all_ready() -> None:
            while not self.shards or not all(s.ready.is_set() for s in self.shards.values()):
                await asyncio.sleep(0.01)
        await asyncio.wait_for(all_ready(), timeout)

    # ------------------------------------------------------------------ interactions in

    def _context(self, user_id: int, guild_id: int | None, permissions: int,
                 roles: tuple[int, ...] = ()) -> dict[str, Any]:
        user = self.users[user_id]
        if guild_id is None:
            channel_id = self.dm_channels.get(user_id) or self._open_dm(user_id)
            return {"channel_id": str(channel_id), "user": user, "context": 1,
                    "channel": {"id": str(channel_id), "type": 1, "recipients": [user], "last_message_id": None},
                    "app_permissions": str(ALL_PERMISSIONS), "authorizing_integration_owners": {"1": str(user_id)}}
        channel = self.guilds[guild_id]["channels"][0]
        return {
            "guild_id": str(guild_id), "channel_id": channel["id"], "channel": channel, "context": 0,
            "member": {"user": user, "roles": [str(r) for r in roles], "joined_at": _now_iso(), "deaf": False,
                       "mute": False, "flags": 0, "permissions": str(permissions), "nick": None, "avatar": None,
                       "pending": False},
            "app_permissions": str(ALL_PERMISSIONS), "guild_locale": "en-US",
            "authorizing_integration_owners": {"0": str(guild_id)},
        }

    async def _send_interaction(self, type_: int, user_id: int, guild_id: int | None, data: dict[str, Any], *,
                                permissions: int = MEMBER_PERMISSIONS, message: dict[str, Any] | None = None,
                                wait: bool = True, settle: float = 0.0, roles: tuple[int, ...] = (),
                                locale: str = "en-US") -> Interaction:
        interaction_id = self.snowflake()
        token = f"itoken-{interaction_id}"
        payload: dict[str, Any] = {"id": str(interaction_id), "application_id": str(APP_ID), "type": type_,
                                   "token": token, "version": 1, "locale": locale, "entitlements": [],
                                   "data": data, "attachment_size_limit": 10 * 1024 * 1024}
        payload.update(self._context(user_id, guild_id, permissions, roles))
        if message is not None:
            payload["message"] = message
        record = Interaction(id=interaction_id, token=token, type=type_, payload=payload, created=time.perf_counter(),
                             user_id=user_id)
        self.interactions[interaction_id] = record
        self.by_token[token] = record
        await self.shard_for(guild_id).dispatch("INTERACTION_CREATE", payload)
        if wait:
            await asyncio.wait_for(record.responded.wait(), RESPONSE_DEADLINE + 2)
            if record.response_type in (5, 6):  # deferred: wait for the real answer
                await self.wait_changed(record)
            if settle:
                await self.settle(record, settle)
        return record

    async def wait_changed(self, record: Interaction, timeout: float = 10.0) -> None:
        await asyncio.wait_for(record.changed.wait(), timeout)
        record.changed.clear()

    async def settle(self, record: Interaction, quiet: float = 0.15) -> None:
        """Wait until the bot has sent nothing more for this interaction for `quiet` seconds."""
        while True:
            record.changed.clear()
            try:
                await asyncio.wait_for(record.changed.wait(), quiet)
            except TimeoutError:
                return

    @staticmethod
    def options(spec: dict[str, Any] | None) -> list[dict[str, Any]]:
        out = []
        for name, value in (spec or {}).items():
            if isinstance(value, bool):
                kind = 5
            elif isinstance(value, int):
                kind = 4
            else:
                kind = 3
            out.append({"name": name, "type": kind, "value": value})
        return out

    def command_data(self, path: str, options: dict[str, Any] | None, focused: str | None = None) -> dict[str, Any]:
        """`interview list` + options -> the data of an application command interaction."""
        names = path.split()
        leaf: dict[str, Any] = {"type": 1, "name": names[-1], "options": self.options(options)}
        if focused is not None:
            for option in leaf["options"]:
                if option["name"] == focused:
                    option["focused"] = True
                    option["type"] = 3
                    option["value"] = str(option["value"])
        node = leaf
        for group in reversed(names[1:-1]):
            node = {"type": 2, "name": group, "options": [node]}
        return {"id": str(APP_ID + 7), "name": names[0], "type": 1, "options": [node] if len(names) > 1 else []}

    async def slash(self, user_id: int, path: str, options: dict[str, Any] | None = None, *,
                    guild_id: int | None = None, admin: bool = False, settle: float = 0.1,
                    wait: bool = True, roles: tuple[int, ...] = (), locale: str = "en-US") -> Interaction:
        """The member runs a slash command in their Discord language (`locale`). Once commands are
        registered, one the member could not pick (its contexts, permissions and overrides) cannot be
        run: Discord never sends it."""
        perms = MEMBER_PERMISSIONS | (MANAGE_GUILD if admin else 0)
        name = path.split()[0]
        if self.commands:
            command = self.registered(name, guild_id)
            if command is None or not self.may_use(command, guild_id, perms, roles):
                raise PermissionError(f"/{name} is not in this member's command picker")
        return await self._send_interaction(2, user_id, guild_id, self.command_data(path, options),
                                            permissions=perms, settle=settle, wait=wait, roles=roles, locale=locale)

    async def autocomplete(self, user_id: int, path: str, options: dict[str, Any], focused: str, *,
                           guild_id: int | None = None) -> list[dict[str, Any]]:
        record = await self._send_interaction(4, user_id, guild_id, self.command_data(path, options, focused))
        assert record.response_type == 8, record.response_type
        assert record.response is not None
        return list(record.response.get("choices") or [])

    async def press(self, user_id: int, message: dict[str, Any], custom_id: str, *, settle: float = 0.1,
                    guild_id: int | None = None) -> Interaction:
        assert any(b.get("custom_id") == custom_id for b in buttons(message)), "no such button on the message"
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._send_interaction(3, user_id, guild_id, data, message=message, settle=settle)

    async def submit_modal(self, user_id: int, custom_id: str, values: dict[str, str], *,
                           guild_id: int | None = None, message: dict[str, Any] | None = None,
                           settle: float = 0.1, admin: bool = False, roles: tuple[int, ...] = ()) -> Interaction:
        data = {"custom_id": custom_id, "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]}
        perms = MEMBER_PERMISSIONS | (MANAGE_GUILD if admin else 0)
        return await self._send_interaction(5, user_id, guild_id, data, message=message, settle=settle,
                                            permissions=perms, roles=roles)

    # ------------------------------------------------------------------ REST

    def _error(self, status: int, code: int, message: str, path: str) -> web.Response:
        self.rejections.append((path, message))
        return _json({"message": message, "code": code}, status=status)

    def _too_many(self, retry_after: float, is_global: bool) -> web.Response:
        self.rate_limited += 1
        headers = {"Retry-After": str(max(1, round(retry_after))), "Via": "1.1 google",
                   "X-RateLimit-Scope": "global" if is_global else "user"}
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
        return _json(body, status=429, headers=headers)

    def limit_next(self, count: int, retry_after: float = 0.2, is_global: bool = False) -> None:
        """Answer the next `count` bot REST calls with 429."""
        self._limit_next = count
        self._limit_retry_after = retry_after
        self._limit_global = is_global

    def fail_next(self, *statuses: int) -> None:
        """Answer the next bot REST calls with these server errors (e.g. 503)."""
        self._fail_next.extend(statuses)

    def _rate_check(self) -> web.Response | None:
        if self._fail_next:
            status = self._fail_next.pop(0)
            return _json({"message": "Service Unavailable", "code": 0}, status=status)
        if self._limit_next > 0:
            self._limit_next -= 1
            return self._too_many(self._limit_retry_after, self._limit_global)
        if self.global_rate is not None:
            now = time.monotonic()
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            if len(self._window) >= self.global_rate:
                return self._too_many(1.0 - (now - self._window[0]), True)
            self._window.append(now)
        self.requests += 1
        return None

    async def _body(self, request: web.Request) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            payload: dict[str, Any] = json.loads(str(form.get("payload_json") or "{}"))
            files = []
            for key, value in form.items():
                if key.startswith("files[") and isinstance(value, web.FileField):
                    files.append((value.filename, value.file.read()))
            return payload, files
        if request.can_read_body:
            return await request.json(), []
        return {}, []

    async def rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        method = request.method
        is_interaction = path.startswith("/interactions/") or path.startswith("/webhooks/")
        if not is_interaction:
            if request.headers.get("Authorization") != f"Bot {TOKEN}":
                return self._error(401, 0, "401: Unauthorized", path)
            limited = self._rate_check()
            if limited is not None:
                return limited
        try:
            body, files = await self._body(request)
            return await self._route(method, path, body, files, request)
        except Rejected as exc:
            return self._error(exc.status, exc.code, exc.message, path)

    async def _route(self, method: str, path: str, body: dict[str, Any], files: list[tuple[str, bytes]],
                     request: web.Request) -> web.StreamResponse:
        if method == "GET" and path == "/users/@me":
            return _json(self.bot_user)
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json({"id": str(APP_ID), "name": "Followthrough", "icon": None,
                                      "description": "", "bot_public": True, "bot_require_code_grant": False,
                                      "owner": self.user_payload(self.snowflake(), "owner"), "verify_key": "k",
                                      "flags": 0, "team": None, "summary": "", "rpc_origins": [],
                                      "interactions_endpoint_url": None, "bot": self.bot_user})
        if method == "GET" and path in ("/gateway/bot", "/gateway"):
            return _json({"url": self.gateway_url, "shards": self.recommended_shards,
                                      "session_start_limit": {"total": 1000, "remaining": 999,
                                                              "reset_after": 0, "max_concurrency": 1}})
        if method == "POST" and path == "/users/@me/channels":
            return _json(self._dm_channel_payload(int(body["recipient_id"])))
        m = re.fullmatch(r"/channels/(\d+)/messages", path)
        if m and method == "POST":
            return _json(self._post_channel_message(int(m.group(1)), body, files))
        if m and method == "GET":
            return _json(self._history(int(m.group(1)), request.query))
        m = re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)
        if m and method == "PATCH":
            return _json(self._edit_message(int(m.group(2)), body))
        m = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path)
        if m:
            guild = int(m.group(2)) if m.group(2) else None
            if method == "PUT":
                return _json(self._overwrite_commands(guild, body))
            return _json(self.commands.get(guild, []))
        m = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if m and method == "POST":
            return _json(self._callback(int(m.group(1)), m.group(2), body, files))
        m = re.fullmatch(r"/webhooks/(\d+)/([^/]+)(?:/messages/([^/]+))?", path)
        if m:
            return _json(self._webhook(method, m.group(2), m.group(3), body, files))
        raise Rejected(404, 0, f"404: Not Found ({method} {path})")

    # -- DMs and channels --

    def _open_dm(self, user_id: int) -> int:
        channel_id = self.snowflake()
        self.dm_channels[user_id] = channel_id
        self.channel_owner[channel_id] = user_id
        return channel_id

    def _dm_channel_payload(self, user_id: int) -> dict[str, Any]:
        if user_id not in self.users:
            self.users[user_id] = self.user_payload(user_id, f"user{user_id % 10000}")
        channel_id = self.dm_channels.get(user_id) or self._open_dm(user_id)
        return {"id": str(channel_id), "type": 1, "recipients": [self.users[user_id]], "last_message_id": None}

    def _message(self, channel_id: int, body: dict[str, Any], files: list[tuple[str, bytes]], *,
                 flags: int = 0) -> dict[str, Any]:
        validate_message(body, files)
        message_id = self.snowflake()
        message = {
            "id": str(message_id), "channel_id": str(channel_id), "type": 0, "author": self.bot_user,
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "attachments": [
                {"id": str(self.snowflake()), "filename": name, "size": len(data), "url": f"https://cdn/{name}",
                 "proxy_url": f"https://cdn/{name}", **described(body, index)}
                for index, (name, data) in enumerate(files)],
            "flags": int(body.get("flags") or 0) | flags, "timestamp": _now_iso(), "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [], "pinned": False,
            "allowed_mentions": body.get("allowed_mentions"), "_files": [(n, d) for n, d in files],
        }
        self.messages[message_id] = message
        return message

    def _post_channel_message(self, channel_id: int, body: dict[str, Any], files: list[tuple[str, bytes]]) -> Any:
        owner = self.channel_owner.get(channel_id)
        if owner is not None and owner in self.closed_dms:
            raise Rejected(403, 50007, "Cannot send messages to this user")
        nonce = body.get("nonce")
        if nonce is not None:
            if isinstance(nonce, bool) or not isinstance(nonce, str | int) or len(str(nonce)) > NONCE_LIMIT:
                raise Rejected(400, 50035, "Invalid Form Body: nonce: Must be 25 or fewer in length.")
            seen = self.nonces.get((BOT_ID, str(nonce)))
            if body.get("enforce_nonce") and seen is not None and time.monotonic() - seen[0] < NONCE_WINDOW \
                    and seen[1] in self.messages:
                self.nonce_hits += 1
                return public(self.messages[seen[1]])
        message = self._message(channel_id, body, files)
        if nonce is not None:
            message["nonce"] = nonce
            self.nonces[(BOT_ID, str(nonce))] = (time.monotonic(), int(message["id"]))
        if owner is not None:
            self.dms_sent.append(message)
            self.dm_event.set()
        else:
            self.channel_posts.append(message)
        return public(message)

    def _history(self, channel_id: int, query: Any) -> list[dict[str, Any]]:
        """A channel's messages, newest first, as GET /channels/{id}/messages answers."""
        try:
            limit = int(query.get("limit", 50))
        except ValueError:
            raise Rejected(400, 50035, "Invalid Form Body: limit") from None
        if not 1 <= limit <= 100:
            raise Rejected(400, 50035, "Invalid Form Body: limit: Must be between 1 and 100.")
        if channel_id not in self.channel_owner and not any(
                str(channel_id) == c["id"] for g in self.guilds.values() for c in g["channels"]):
            raise Rejected(404, 10003, "Unknown Channel")
        before = int(query["before"]) if str(query.get("before", "")).isdigit() else None
        found = [m for m in self.messages.values() if m["channel_id"] == str(channel_id)
                 and (before is None or int(m["id"]) < before)]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        return [public(m) for m in found[:limit]]

    def _edit_message(self, message_id: int, body: dict[str, Any]) -> Any:
        message = self.messages.get(message_id)
        if message is None:
            raise Rejected(404, 10008, "Unknown Message")
        apply_edit(message, body)
        return public(message)

    def dms_to(self, user_id: int) -> list[dict[str, Any]]:
        channel_id = str(self.dm_channels.get(user_id, 0))
        return [m for m in self.dms_sent if m["channel_id"] == channel_id]

    async def wait_dms(self, user_id: int, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        async def enough() -> None:
            while len(self.dms_to(user_id)) < count:
                self.dm_event.clear()
                await self.dm_event.wait()
        await asyncio.wait_for(enough(), timeout)
        return self.dms_to(user_id)

    # -- commands --

    def _overwrite_commands(self, guild: int | None, body: Any) -> list[dict[str, Any]]:
        if not isinstance(body, list):
            raise Rejected(400, 50035, "Invalid Form Body")
        if len(body) > 100:
            raise Rejected(400, 30032, "Maximum number of application commands reached (100)")
        stored = []
        self.command_puts += 1
        for command in body:
            validate_command(command)
            validate_availability(command)
            stored.append({**command, "id": str(self.snowflake()), "application_id": str(APP_ID),
                           "version": str(self.snowflake()), "guild_id": str(guild) if guild else None,
                           "default_member_permissions": None if command.get("default_member_permissions") is None
                           else str(command["default_member_permissions"]),
                           "dm_permission": command.get("dm_permission", True), "nsfw": False})
        self.commands[guild] = stored
        return stored

    # -- interaction responses --

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any],
                  files: list[tuple[str, bytes]]) -> dict[str, Any]:
        record = self.interactions.get(interaction_id)
        if record is None or record.token != token:
            raise Rejected(404, 10062, "Unknown interaction")
        if time.perf_counter() - record.created > RESPONSE_DEADLINE:
            raise Rejected(404, 10062, "Unknown interaction")
        if record.response_type is not None:
            raise Rejected(400, 40060, "Interaction has already been acknowledged.")
        kind = body.get("type")
        data = body.get("data") or {}
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}[record.type]
        if kind not in allowed:
            raise Rejected(400, 50035, f"Invalid interaction response type {kind} for interaction type {record.type}")
        if kind in (6, 7) and "message" not in record.payload:
            raise Rejected(400, 50035, "This interaction has no message to update")
        message: dict[str, Any] | None = None
        if kind == 4:
            message = self._message(int(record.payload["channel_id"]), data, files)
            record.original = message
        elif kind == 5:
            message = self._message(int(record.payload["channel_id"]), {"content": "", "flags": data.get("flags", 0),
                                                                         "_skip_validate": True}, [])
            message["_loading"] = True
            record.original = message
        elif kind == 7:
            target = self._target_message(record)
            apply_edit(target, data)
            record.original = target
            message = target
        elif kind == 8:
            validate_choices(data.get("choices"))
        elif kind == 9:
            validate_modal(data)
        record.response_type = kind
        record.response = data
        record.response_at = time.perf_counter()
        record.responded.set()
        if kind not in (5, 6):
            record.changed.set()
        result: dict[str, Any] = {"interaction": {"id": str(record.id), "type": record.type,
                                                  "response_message_loading": kind == 5,
                                                  "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64)},
                                  "resource": {"type": kind}}
        if message is not None:
            result["interaction"]["response_message_id"] = message["id"]
            if kind in (4, 7):
                result["resource"]["message"] = public(message)
        return result

    def _target_message(self, record: Interaction) -> dict[str, Any]:
        shown = record.payload["message"]
        stored = self.messages.get(int(shown["id"]))
        return stored if stored is not None else shown

    def _webhook(self, method: str, token: str, message_ref: str | None, body: dict[str, Any],
                 files: list[tuple[str, bytes]]) -> dict[str, Any]:
        record = self.by_token.get(token)
        if record is None or record.response_type is None:
            raise Rejected(404, 10015, "Unknown Webhook")
        if method == "POST" and message_ref is None:
            if record.response_type == 5 and record.original is not None and record.original.get("_loading"):
                # the first follow-up after a deferred answer replaces the "thinking..." message
                validate_message(body, files)
                record.original.pop("_loading", None)
                apply_edit(record.original, body, files)
                record.changed.set()
                return public(record.original)
            message = self._message(int(record.payload["channel_id"]), body, files)
            record.followups.append(message)
            record.changed.set()
            return public(message)
        if method == "PATCH" and message_ref is not None:
            if message_ref == "@original":
                target = record.original if record.response_type != 6 else self._target_message(record)
            else:
                target = self.messages.get(int(message_ref))
            if target is None:
                raise Rejected(404, 10008, "Unknown Message")
            target.pop("_loading", None)
            apply_edit(target, body, files)
            if record.original is None:
                record.original = target
            record.changed.set()
            return public(target)
        if method == "GET" and message_ref is not None:
            target = record.original if message_ref == "@original" else self.messages.get(int(message_ref))
            if target is None:
                raise Rejected(404, 10008, "Unknown Message")
            return public(target)
        raise Rejected(405, 0, "405: Method Not Allowed")


# ---------------------------------------------------------------------------------------------
# What Discord would reject


def public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if not k.startswith("_") and k != "allowed_mentions"}


def apply_edit(message: dict[str, Any], body: dict[str, Any], files: list[tuple[str, bytes]] | None = None) -> None:
    merged = {k: v for k, v in body.items() if k in ("content", "embeds", "components")}
    check = {"content": message.get("content"), "embeds": message.get("embeds"),
             "components": message.get("components"), **merged}
    validate_message(check, files or [], edit=True)
    message.update(merged)
    if files:  # an edit with files attaches them (as the first answer after "thinking…" does)
        message["attachments"] = [
            {"id": str(1_300_000_000_000_000_000 + index), "filename": name, "size": len(data),
             "url": f"https://cdn/{name}", "proxy_url": f"https://cdn/{name}", **described(body, index)}
            for index, (name, data) in enumerate(files)]
        message["_files"] = list(files)
    if "allowed_mentions" in body:
        message["allowed_mentions"] = body["allowed_mentions"]
    message["edited_timestamp"] = _now_iso()


def validate_message(body: dict[str, Any], files: list[tuple[str, bytes]], *, edit: bool = False) -> None:
    if body.get("_skip_validate"):
        return
    content = body.get("content") or ""
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    if len(content) > 2000:
        raise Rejected(400, 50035, "Invalid Form Body: content: Must be 2000 or fewer in length.")
    if not content and not embeds and not files and not components and not edit and not body.get("attachments"):
        raise Rejected(400, 50006, "Cannot send an empty message")
    if len(embeds) > 10:
        raise Rejected(400, 50035, "Invalid Form Body: embeds: Must be 10 or fewer in length.")
    total = 0
    for embed in embeds:
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        if len(title) > 256:
            raise Rejected(400, 50035, "Invalid Form Body: embeds.title: Must be 256 or fewer in length.")
        if len(description) > 4096:
            raise Rejected(400, 50035, "Invalid Form Body: embeds.description: Must be 4096 or fewer in length.")
        if len(footer) > 2048:
            raise Rejected(400, 50035, "Invalid Form Body: embeds.footer.text: Must be 2048 or fewer in length.")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise Rejected(400, 50035, "Invalid Form Body: embeds.fields: Must be 25 or fewer in length.")
        size = len(title) + len(description) + len(footer) + len(author)
        for f in fields:
            if len(f.get("name", "")) > 256 or len(f.get("value", "")) > 1024:
                raise Rejected(400, 50035, "Invalid Form Body: embeds.fields: too long")
            size += len(f.get("name", "")) + len(f.get("value", ""))
        total += size
    if total > 6000:
        raise Rejected(400, 50035, "Invalid Form Body: embeds: Embed size exceeds maximum size of 6000")
    if len(components) > 5:
        raise Rejected(400, 50035, "Invalid Form Body: components: Must be 5 or fewer in length.")
    for row in components:
        if row.get("type") != 1:
            raise Rejected(400, 50035, "Invalid Form Body: components: top level must be action rows")
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            raise Rejected(400, 50035, "Invalid Form Body: components.components: Must be between 1 and 5")
        for child in children:
            if child.get("type") != 2:
                continue
            label = child.get("label") or ""
            if len(label) > 80:
                raise Rejected(400, 50035, "Invalid Form Body: label: Must be 80 or fewer in length.")
            if child.get("style") == 5:
                url = child.get("url") or ""
                if not url or len(url) > 512 or "custom_id" in child:
                    raise Rejected(400, 50035, "Invalid Form Body: url: invalid link button")
                if not re.match(r"^(https?|discord)://", url):
                    raise Rejected(400, 50035, "Invalid Form Body: url: Scheme must be one of http, https, discord")
            else:
                custom_id = child.get("custom_id") or ""
                if not custom_id or len(custom_id) > 100:
                    raise Rejected(400, 50035, "Invalid Form Body: custom_id: Must be between 1 and 100 in length.")
    for meta in body.get("attachments") or []:
        if len(str(meta.get("description") or "")) > 1024:
            raise Rejected(400, 50035, "Invalid Form Body: attachments.description: Must be 1024 or fewer in length.")
    for _name, data in files:
        if len(data) > 10 * 1024 * 1024:
            raise Rejected(413, 40005, "Request entity too large")
    if len(files) > 10:
        raise Rejected(400, 50035, "Invalid Form Body: files: Must be 10 or fewer in length.")


def described(body: dict[str, Any], index: int) -> dict[str, str]:
    """The description (alt text) the sender gave attachment `index` in `attachments`, if any."""
    for meta in body.get("attachments") or []:
        if str(meta.get("id")) == str(index) and meta.get("description"):
            return {"description": str(meta["description"])}
    return {}


def validate_choices(choices: Any) -> None:
    if not isinstance(choices, list) or len(choices) > 25:
        raise Rejected(400, 50035, "Invalid Form Body: choices: Must be 25 or fewer in length.")
    for choice in choices:
        if not 1 <= len(str(choice.get("name", ""))) <= 100 or len(str(choice.get("value", ""))) > 100:
            raise Rejected(400, 50035, "Invalid Form Body: choices: name/value must be 1-100 characters")


def validate_modal(data: dict[str, Any]) -> None:
    title = data.get("title") or ""
    custom_id = data.get("custom_id") or ""
    rows = data.get("components") or []
    if not 1 <= len(title) <= 45:
        raise Rejected(400, 50035, "Invalid Form Body: title: Must be between 1 and 45 in length.")
    if not 1 <= len(custom_id) <= 100:
        raise Rejected(400, 50035, "Invalid Form Body: custom_id: Must be between 1 and 100 in length.")
    if not 1 <= len(rows) <= 5:
        raise Rejected(400, 50035, "Invalid Form Body: components: Must be between 1 and 5 in length.")
    for row in rows:
        inputs = row.get("components") if row.get("type") == 1 else [row.get("component")]
        if not inputs or len(inputs) != 1 or (inputs[0] or {}).get("type") != 4:
            raise Rejected(400, 50035, "Invalid Form Body: a modal row holds one text input")
        text_input = inputs[0]
        label = text_input.get("label") or row.get("label") or ""
        if not 1 <= len(label) <= 45:
            raise Rejected(400, 50035, "Invalid Form Body: label: Must be between 1 and 45 in length.")
        if len(text_input.get("placeholder") or "") > 100:
            raise Rejected(400, 50035, "Invalid Form Body: placeholder: Must be 100 or fewer in length.")
        if len(text_input.get("value") or "") > 4000:
            raise Rejected(400, 50035, "Invalid Form Body: value: Must be 4000 or fewer in length.")


def validate_availability(command: dict[str, Any]) -> None:
    """Where a top-level command may be installed and used: integration types 0 (server) and 1
    (user), contexts 0 (server), 1 (bot DM) and 2 (group DM)."""
    types = command.get("integration_types")
    contexts = command.get("contexts")
    if types is not None and (not types or not set(types) <= {0, 1}):
        raise Rejected(400, 50035, "Invalid Form Body: integration_types: Value must be one of (0, 1).")
    if contexts is not None and (not contexts or not set(contexts) <= {0, 1, 2}):
        raise Rejected(400, 50035, "Invalid Form Body: contexts: Value must be one of (0, 1, 2).")
    permissions = command.get("default_member_permissions")
    if permissions is not None and not str(permissions).isdigit():
        raise Rejected(400, 50035, "Invalid Form Body: default_member_permissions: not a permission bitfield")


def validate_command(command: dict[str, Any], depth: int = 0) -> None:
    name = command.get("name") or ""
    if not NAME_RE.match(name) or name != name.lower():
        raise Rejected(400, 50035, f"Invalid Form Body: name: {name!r} does not match the pattern")
    description = command.get("description") or ""
    if not 1 <= len(description) <= 100:
        raise Rejected(400, 50035, f"Invalid Form Body: description of {name}: Must be 1-100 characters")
    options = command.get("options") or []
    if len(options) > 25:
        raise Rejected(400, 50035, f"Invalid Form Body: {name}: Must be 25 or fewer options")
    seen_optional = False
    names: set[str] = set()
    for option in options:
        if option.get("name") in names:
            raise Rejected(400, 50035, f"Invalid Form Body: {name}: duplicate option name")
        names.add(option.get("name"))
        if option.get("type") in (1, 2):
            if depth >= 2 or (option.get("type") == 2 and depth >= 1):
                raise Rejected(400, 50035, "Invalid Form Body: subcommands nested too deep")
            validate_command(option, depth + 1)
            continue
        validate_command({"name": option.get("name"), "description": option.get("description")}, depth + 1)
        if option.get("required"):
            if seen_optional:
                raise Rejected(400, 50035, f"Invalid Form Body: {name}: required options must come first")
        else:
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            raise Rejected(400, 50035, "Invalid Form Body: choices: Must be 25 or fewer in length.")
        if option.get("choices") and option.get("autocomplete"):
            raise Rejected(400, 50035, "Invalid Form Body: autocomplete and choices are exclusive")
