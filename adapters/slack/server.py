"""Running the Slack app: HTTP on aiohttp's production server, Socket Mode, the OAuth install flow.

- HTTP: POST `/slack/events` (events, slash commands, interactions; the signature checked before
  anything parses the body: 401 when missing, malformed, forged or older than 5 minutes; a
  replay acknowledged without running again; see signed_requests.py), GET `/healthz`. The
  server protects itself (http_guard.py): capped connections, head and body timeouts, bodies
  over 1 MB refused before they are read.
- Socket Mode when SLACK_APP_TOKEN is set (the HTTP server still answers `/healthz`).
- Many workspaces when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: GET `/slack/install` and
  `/slack/oauth_redirect`; installations and OAuth states in our own database (slack-sdk's
  SQLAlchemy stores, tables created by our Alembic migrations); `app_uninstalled` and
  `tokens_revoked` delete the workspace's installation.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.health import Probe, health_response
from adapters.signals import stop_event
from adapters.slack.app import SlackBot, build_app
from adapters.slack.clients import BOT_SCOPES, is_multi_workspace, web_client
from adapters.slack.http_guard import (
    BODY_TIMEOUT,
    HEAD_TIMEOUT,
    MAX_BODY,
    BodyRefused,
    ConnectionGuard,
    default_max_connections,
    read_body,
    server_options,
)
from adapters.slack.notifier import make_notifier
from adapters.slack.quiet_logs import quiet_library_logs
from adapters.slack.seen_requests import SeenRequests, SharedRecord
from adapters.slack.signed_requests import RequestCheck
from bot.config import Config

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
HEALTH_PATH = "/healthz"


def oauth_settings(config: Config, installation_store: AsyncInstallationStore,
                   state_store: AsyncOAuthStateStore) -> AsyncOAuthSettings:
    assert config.slack_client_id and config.slack_client_secret
    return AsyncOAuthSettings(
        client_id=config.slack_client_id,
        client_secret=config.slack_client_secret.get_secret_value(),
        scopes=BOT_SCOPES,
        installation_store=installation_store,
        state_store=state_store,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )


@dataclass
class SlackServer:
    """The bolt app behind aiohttp's web server (and its Socket Mode handler, if any)."""

    app: AsyncApp
    bot: SlackBot
    config: Config
    probe: Probe | None = None  # the entry point's database check (None: the app alone is checked)
    _runner: web.AppRunner | None = None
    _socket: Any = None
    port: int = 0
    _closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    check: RequestCheck = field(default_factory=lambda: RequestCheck(secrets.token_hex(32)))
    max_connections: int = field(default_factory=default_max_connections)
    head_timeout: float = HEAD_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    max_body: int = MAX_BODY
    _guard: ConnectionGuard | None = None
    _listener: asyncio.Server | None = None

    @property
    def connections(self) -> ConnectionGuard | None:
        """Open connections and how many were refused (None before start)."""
        return self._guard

    def web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=self.max_body, middlewares=[self.guard_middleware])
        web_app.router.add_post(EVENTS_PATH, self.events)
        web_app.router.add_get(HEALTH_PATH, self.health)
        if self.app.oauth_flow is not None:
            web_app.router.add_get(INSTALL_PATH, self.oauth)
            web_app.router.add_get(REDIRECT_PATH, self.oauth)
        return web_app

    @web.middleware
    async def guard_middleware(self, request: web.Request,
                               handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        """A connection with a request under way is not displaced by a new one at the cap."""
        if self._guard is None:
            return await handler(request)
        self._guard.request_started(request.transport)
        try:
            return await handler(request)
        finally:
            self._guard.request_finished(request.transport)

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Slack's requests: the body read within bounds, the signature checked before anything
        parses it (401, one short log line), a replay acknowledged without running again, and
        only then bolt. A malformed request gets 400, never a 500."""
        try:
            raw = await read_body(request, self.max_body, self.body_timeout)
        except BodyRefused as refused:
            return refused.response
        problem = self.check.problem(raw, request.headers)
        if problem is not None:
            self.check.refusals.refused(problem, len(raw), request.remote)
            return web.json_response({"error": "invalid request"}, status=401)
        if not await self.check.first_time(raw, request.headers):
            log.warning("Slack request replayed within the signature window: acknowledged, not run again")
            return web.Response(status=200, text="")
        try:
            bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string,
                                            headers={k: v for k, v in request.headers.items()})
        except Exception as error:
            log.warning("Slack request refused: malformed body (%s)", type(error).__name__)
            return web.json_response({"error": "malformed request"}, status=400)
        bolt_response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def oauth(self, request: web.Request) -> web.StreamResponse:
        flow = self.app.oauth_flow
        assert flow is not None
        bolt_request = await to_bolt_request(request)
        if request.path == INSTALL_PATH:
            bolt_response = await flow.handle_installation(bolt_request)
        else:
            bolt_response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def health(self, request: web.Request) -> web.StreamResponse:
        """200 while the app (and its database, when it has a probe) answers; 503 with the probe's
        one-line reason otherwise (adapters.health)."""
        return await health_response(self.probe, mode="socket" if self._socket else "http")

    async def start(self, host: str = "0.0.0.0", port: int | None = None) -> None:
        """Listen on host:port (0: a free port, see `.port`); Socket Mode too when configured."""
        quiet_library_logs()
        self._runner = web.AppRunner(self.web_app(), access_log=None, handle_signals=False,
                                     **server_options(self.head_timeout))
        await self._runner.setup()
        assert self._runner.server is not None
        self._guard = ConnectionGuard(self._runner.server, self.max_connections)
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(self._guard, host, self.config.port if port is None else port,
                                                  reuse_address=True)
        self.port = self._listener.sockets[0].getsockname()[1]
        log.info("Slack app listening on %s:%s%s", host, self.port, EVENTS_PATH)
        if self.config.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(
                self.app,
                app_token=self.config.slack_app_token.get_secret_value(),
                web_client=web_client(self.config),
            )
            await self._socket.connect_async()
            log.info("Slack Socket Mode connected")

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.bot.background.drain()


def build_server(config: Config, service: Any, *,
                 installation_store: AsyncInstallationStore | None = None,
                 state_store: AsyncOAuthStateStore | None = None, probe: Probe | None = None,
                 seen_requests: SharedRecord | None = None) -> SlackServer:
    """The app for the configured mode: one workspace (bot token) or many (OAuth: installations
    and OAuth states in the stores given). `seen_requests`: the replay record every Slack process
    shares, when several run on one database. `probe`: the database check /healthz reports."""
    if config.slack_signing_secret is not None:
        secret = config.slack_signing_secret.get_secret_value()
    elif config.slack_app_token is not None:
        # Socket Mode needs no signing secret; an unguessable one keeps /slack/events shut (401).
        secret = secrets.token_hex(32)
    else:
        raise SystemExit("SLACK_SIGNING_SECRET is required for Slack (Basic Information > App Credentials)")
    if is_multi_workspace(config):
        if installation_store is None or state_store is None:
            raise ValueError("many workspaces need an installation store and an OAuth state store")
        app, bot = build_app(service, signing_secret=secret, client=web_client(config, interactive=True),
                             oauth_settings=oauth_settings(config, installation_store, state_store),
                             staff_usergroup=config.slack_staff_usergroup)
        return SlackServer(app=app, bot=bot, config=config, probe=probe,
                           check=RequestCheck(secret, SeenRequests(seen_requests)))
    if config.slack_bot_token is None:
        raise SystemExit("SLACK_BOT_TOKEN is required (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces)")
    token = config.slack_bot_token.get_secret_value()
    client = web_client(config, token, interactive=True)
    app, bot = build_app(service, signing_secret=secret, token=token, client=client,
                         staff_usergroup=config.slack_staff_usergroup)
    return SlackServer(app=app, bot=bot, config=config, probe=probe,
                       check=RequestCheck(secret, SeenRequests(seen_requests)))


async def serve(config: Config, service: Any, *, stop: asyncio.Event | None = None,
                installation_store: AsyncInstallationStore | None = None,
                state_store: AsyncOAuthStateStore | None = None, probe: Probe | None = None,
                seen_requests: SharedRecord | None = None) -> None:
    """Run until `stop` is set (without one: until SIGINT/SIGTERM), or cancellation."""
    server = build_server(config, service, installation_store=installation_store, state_store=state_store,
                          probe=probe, seen_requests=seen_requests)
    await server.start()
    try:
        with stop_event(stop) as stopping:
            await stopping.wait()
    finally:
        log.info("Slack app stopping")
        await server.stop()


__all__ = ["BOT_SCOPES", "SlackServer", "build_server", "make_notifier", "serve"]
