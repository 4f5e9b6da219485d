"""The HTTP server's own protection: how many connections it holds, and how long a request may
take to arrive.

- **Open connections are capped** (`max_connections`, by default half the process's descriptor
  limit, at most 512), so a flood of idle or slow connections can never exhaust descriptors.
  At the cap, a new connection takes the place of the oldest one that has not yet sent a whole
  request head (an idle or slow-loris connection); when every connection is busy with a request,
  the new one is answered `503` and closed at once.
- **A request head must arrive within `head_timeout` seconds** of the connection opening or of the
  previous answer (aiohttp's keep-alive timer closes a connection that has no complete request by
  then, half-sent or not), and **its body within `body_timeout`** (`408`, connection closed).
- **Bodies are bounded** (`max_body` bytes): a larger `Content-Length` is refused with `413` before
  any of the body is read; a chunked body is cut off as soon as it passes the bound.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

HEAD_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
MAX_BODY = 1024 * 1024  # Slack's largest payloads (a 100-block view's state) are far below this
LINGER_SECONDS = 1.0
REFUSED = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def default_max_connections() -> int:
    """Half the descriptor limit (the rest: the database, Slack's API, logs), 16 to 512."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 512
    return max(16, min(512, soft // 2))


class _Guarded(asyncio.Protocol):
    """One connection: admitted by the guard, then handed to aiohttp's protocol unchanged."""

    def __init__(self, guard: ConnectionGuard) -> None:
        self.guard = guard
        self.inner: asyncio.Protocol | None = None
        self.transport: asyncio.Transport | None = None
        self.busy = 0  # requests whose head has arrived and whose answer is not sent yet

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if not self.guard.admit(self):
            transport.write(REFUSED)
            transport.close()
            return
        self.inner = self.guard.protocol_factory()
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.release(self)
        if self.inner is not None:
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()


class ConnectionGuard:
    """Counts open connections and applies the cap. `protocol_factory` is aiohttp's server (the
    runner's `server`), which makes one protocol per connection."""

    def __init__(self, protocol_factory: Callable[[], asyncio.Protocol], max_connections: int) -> None:
        self.protocol_factory = protocol_factory
        self.max_connections = max_connections
        self._open: OrderedDict[_Guarded, float] = OrderedDict()  # oldest first
        self._by_transport: dict[asyncio.BaseTransport, _Guarded] = {}
        self.refused = 0
        self.evicted = 0
        self._last_report = 0.0

    def __call__(self) -> asyncio.Protocol:
        return _Guarded(self)

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def admit(self, conn: _Guarded) -> bool:
        if len(self._open) >= self.max_connections:
            idle = next((c for c in self._open if c.busy == 0), None)
            if idle is None:
                self.refused += 1
                self._report()
                return False
            self.evicted += 1
            self._report()
            self._forget(idle)
            if idle.transport is not None:
                idle.transport.abort()
        self._open[conn] = time.monotonic()
        assert conn.transport is not None
        self._by_transport[conn.transport] = conn
        return True

    def release(self, conn: _Guarded) -> None:
        self._forget(conn)

    def _forget(self, conn: _Guarded) -> None:
        self._open.pop(conn, None)
        if conn.transport is not None:
            self._by_transport.pop(conn.transport, None)

    def _report(self) -> None:
        now = time.monotonic()
        if now - self._last_report >= 10.0:
            self._last_report = now
            log.warning("HTTP connection cap (%d) reached: %d refused, %d idle ones closed so far",
                        self.max_connections, self.refused, self.evicted)

    def request_started(self, transport: asyncio.BaseTransport | None) -> None:
        conn = self._by_transport.get(transport) if transport is not None else None
        if conn is not None:
            conn.busy += 1

    def request_finished(self, transport: asyncio.BaseTransport | None) -> None:
        conn = self._by_transport.get(transport) if transport is not None else None
        if conn is not None and conn.busy > 0:
            conn.busy -= 1


class BodyRefused(Exception):
    """The body is too large or too slow: answer `response` and close the connection."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        response.force_close()
        self.response = response


async def read_body(request: web.Request, max_body: int = MAX_BODY, timeout: float = BODY_TIMEOUT) -> bytes:
    """The whole body, within the bounds; BodyRefused (413, 408 or 400) otherwise."""
    length = request.content_length
    if length is not None and length > max_body:
        raise BodyRefused(web.Response(status=413, text="request body too large"))
    try:
        async with asyncio.timeout(timeout):
            return await request.read()  # aiohttp stops a body without a length at client_max_size
    except TimeoutError:
        raise BodyRefused(web.Response(status=408, text="request body not received in time")) from None
    except web.HTTPRequestEntityTooLarge:
        raise BodyRefused(web.Response(status=413, text="request body too large")) from None
    except (web.HTTPException, ValueError, ConnectionError):
        raise BodyRefused(web.Response(status=400, text="request body refused")) from None


def server_options(head_timeout: float) -> dict[str, Any]:
    """aiohttp server settings: the keep-alive timer doubles as the request-head timeout; after an
    answer sent before the body was read whole (413, 408), what remains is read for at most
    `LINGER_SECONDS` (so the client can read the answer) and the connection closed."""
    return {"keepalive_timeout": head_timeout, "lingering_time": LINGER_SECONDS, "max_line_size": 8190,
            "max_field_size": 8190}
