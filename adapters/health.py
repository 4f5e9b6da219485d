"""`GET /healthz` for a process that has no web server of its own (the Discord bot, the worker),
and the answer every process gives there: 200 `{"ok": true, ...}` while its database answers,
503 `{"ok": false, "database": "<one line saying why>"}` when it does not.

What "the database answers" means is the entry point's business: it hands in a probe, an async
function giving None when all is well and a one-line reason otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
PROBE_TIMEOUT = 3.0

Probe = Callable[[], Awaitable[str | None]]


async def health_response(probe: Probe | None, **about: object) -> web.Response:
    """The answer to `GET /healthz`: `about` (e.g. the process's mode) plus the probe's verdict."""
    reason: str | None = None
    if probe is not None:
        try:
            reason = await asyncio.wait_for(probe(), PROBE_TIMEOUT)
        except TimeoutError:
            reason = f"the database did not answer within {PROBE_TIMEOUT:.0f} s"
    if reason is not None:
        log.warning("health check failed: %s", reason)
        return web.json_response({"ok": False, **about, "database": reason}, status=503)
    return web.json_response({"ok": True, **about, "database": "reachable"})


class HealthServer:
    """A tiny aiohttp server answering only `GET /healthz` on host:port (port 0: a free one,
    see `.port` after `start`)."""

    def __init__(self, probe: Probe | None, *, host: str = "0.0.0.0", port: int = 0, **about: object) -> None:
        self.probe = probe
        self.host = host
        self.port = port
        self.about = about
        self._runner: web.AppRunner | None = None

    async def _health(self, request: web.Request) -> web.StreamResponse:
        return await health_response(self.probe, **self.about)

    async def start(self) -> None:
        app = web.Application(client_max_size=1024)
        app.router.add_get(HEALTH_PATH, self._health)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        for address in self._runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                self.port = int(address[1])
                break
        log.info("health check on %s:%s%s", self.host, self.port, HEALTH_PATH)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
