"""The Slack app under load it must survive: figures for its 3-second answers and its self-protection.

- held lock: another connection holds the SQLite write lock for `--hold` seconds while a signed
  `/interview add` arrives: time to Slack's acknowledgement, time until the answer reaches the
  response URL, interviews logged (each must be 1);
- flood: `--flood` unsigned 1 MB requests, 8 at a time: statuses, bytes of log written at DEBUG
  (the libraries included), requests per second;
- slow connections: `--idle` connections that never finish their request head, beyond a cap of
  `--cap`, then `--requests` real signed `/interview list` commands: their latency, how many
  connections were open at most, how many were refused or made room.

    python -m bench slack-guard [--hold 8] [--flood 1000] [--idle 600] [--cap 256] [--requests 50]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import sqlite3
import time
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.figures import p50_p99
from bench.slack_list import SECRET, TEAM, TOKEN, _listen, _stub_api

USER = "UBENCH1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hold", type=float, default=8.0, help="seconds the write lock is held")
    parser.add_argument("--flood", type=int, default=1000, help="unsigned 1 MB requests")
    parser.add_argument("--idle", type=int, default=600, help="connections that never finish their head")
    parser.add_argument("--cap", type=int, default=256, help="the server's connection cap")
    parser.add_argument("--requests", type=int, default=50, help="real commands during the slow connections")


class _Responses:
    """A response-URL endpoint: when each answer arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}

    async def post(self, request: web.Request) -> web.Response:
        await request.read()
        self.arrived[request.match_info["key"]] = time.perf_counter()
        return web.Response(text="ok")


def _stub(responses: _Responses) -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/api/{method}", _stub_api)
    app.router.add_post("/response/{key}", responses.post)
    return app


def _command(text_: str, response_url: str, n: int) -> bytes:
    return urlencode({"team_id": TEAM, "user_id": USER, "user_name": "bench", "command": "/interview",
                      "text": text_, "channel_id": "C1", "response_url": response_url,
                      "trigger_id": f"bench.{n}.{time.time_ns()}"}).encode()


def _signature(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


async def _post_signed(session: aiohttp.ClientSession, url: str, body: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    async with session.post(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                     **_signature(body)}) as response:
        await response.read()
        return response.status, time.perf_counter() - started


class _CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        self.bytes = 0
        self.lines = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.bytes += len(self.format(record).encode()) + 1
        self.lines += 1


async def run(args: argparse.Namespace) -> list[tuple[str, str]]:
    from adapters.slack.server import build_server
    from bench.seed import fresh_database
    from bot.config import Config
    from bot.ports import SystemClock
    from bot.service import Service
    from storage.store import SqlStore

    figures: list[tuple[str, str]] = []
    async with AsyncExitStack() as stack:
        responses = _Responses()
        stub, stub_port = await _listen(_stub(responses))
        stack.push_async_callback(stub.cleanup)
        base = f"http://127.0.0.1:{stub_port}"
        url_db = stack.enter_context(fresh_database("sqlite"))
        store = SqlStore(url_db)
        stack.push_async_callback(store.close)
        config = Config.model_validate({"DATABASE_URL": url_db, "SLACK_SIGNING_SECRET": SECRET,
                                        "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": f"{base}/api/", "PORT": 0,
                                        "SLACK_APP_TOKEN": None, "SLACK_CLIENT_ID": None,
                                        "SLACK_CLIENT_SECRET": None})
        server = build_server(config, Service(store, SystemClock(), default_tz="UTC"),
                              probe=store.health)
        server.max_connections = args.cap
        await server.start(host="127.0.0.1", port=0)
        stack.push_async_callback(server.stop)
        url = f"http://127.0.0.1:{server.port}/slack/events"
        session = await stack.enter_async_context(aiohttp.ClientSession())
        await _post_signed(session, url, _command("list", f"{base}/response/warm", 0))  # users.info cached

        # 1. a command behind a held write lock
        path = make_url(url_db).database
        assert path
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        started = time.perf_counter()
        status, ack = await _post_signed(session, url, _command(
            "add company: Benchcorp; role: Analyst; when: yesterday 2pm", f"{base}/response/held", 1))
        await asyncio.sleep(max(0.0, args.hold - (time.perf_counter() - started)))
        holder.execute("ROLLBACK")
        holder.close()
        await server.bot.background.idle(30)
        answered = responses.arrived.get("held")
        async with store.engine.connect() as conn:
            logged = (await conn.execute(text("SELECT count(*) FROM interviews WHERE company = 'Benchcorp'"))).scalar()
        figures += [
            (f"held lock {args.hold:g} s: acknowledgement", f"{ack * 1000:.0f} ms (HTTP {status})"),
            ("held lock: answer through the response URL", f"{(answered - started):.2f} s" if answered else "none"),
            ("held lock: interviews logged", str(logged)),
        ]

        # 2. a flood of unsigned 1 MB requests, logging at DEBUG
        counter = _CountingHandler()
        root = logging.getLogger()
        level = root.level
        root.addHandler(counter)
        root.setLevel(logging.DEBUG)
        body = (b"command=%2Finterview&text=list&pad=" + b"x" * 1_000_000)[:1_000_000]
        statuses: dict[int, int] = {}

        async def flood(n: int) -> None:
            for _ in range(n):
                async with session.post(url, data=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded"}) as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1

        started = time.perf_counter()
        try:
            await asyncio.gather(*(flood(args.flood // 8) for _ in range(8)))
        finally:
            root.removeHandler(counter)
            root.setLevel(level)
        took = time.perf_counter() - started
        sent = (args.flood // 8) * 8
        figures += [
            (f"flood: {sent:,} unsigned 1 MB requests", ", ".join(f"{n:,} x HTTP {s}" for s, n in statuses.items())),
            ("flood: log written (DEBUG, every logger)", f"{counter.bytes:,} bytes in {counter.lines} lines"),
            ("flood: rate", f"{sent / took:,.0f} requests/s ({took:.1f} s)"),
        ]

        # 3. idle and half-sent connections beyond the cap, then real commands
        guard = server.connections
        assert guard is not None
        idle: list[Any] = []
        most = 0
        for i in range(args.idle):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            except OSError:
                break
            if i % 2:
                writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Le")
            idle.append(writer)
            most = max(most, guard.open_connections)
        await asyncio.sleep(0.2)
        latencies: list[float] = []
        for n in range(args.requests):
            status, took = await _post_signed(session, url, _command("list", f"{base}/response/cap{n}", 100 + n))
            if status == 200:
                latencies.append(took * 1000)
            most = max(most, guard.open_connections)
        for writer in idle:
            writer.close()
        p50, p99 = p50_p99(latencies)
        figures += [
            (f"{args.idle} idle/half-sent connections, cap {args.cap}: open at most", str(most)),
            ("  new ones refused (503) / idle ones closed to make room", f"{guard.refused} / {guard.evicted}"),
            (f"  {args.requests} real /interview list: answered, p50 / p99",
             f"{len(latencies)}, {p50:.1f} / {p99:.1f} ms"),
        ]
    return figures


def main(args: argparse.Namespace) -> int:
    figures = asyncio.run(run(args))
    width = max(len(what) for what, _ in figures)
    for what, figure in figures:
        print(f"{what:{width}}  {figure}")
    return 0
