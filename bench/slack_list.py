"""Time to the answer of a signed `/interview list` over HTTP, with 100,000 interviews stored.

Four servers on 127.0.0.1, measured the same way (one keep-alive client, a signed slash command,
time from sending the request to having read the whole answer; sequential requests):

- followthrough: the real Slack app (bolt, process_before_response=True, the core, SQLite or
  PostgreSQL with `--interviews` interviews of `--users` users); the answer carries the list;
- bolt default: a bolt AsyncApp whose /interview listener only acks (bolt's default mode polls
  for the ack every 10 ms);
- bolt process_before_response: the same listener with process_before_response=True;
- bare aiohttp: a handler that answers 200 at once.

users.info goes to a local stub; the real app caches it, so each user's first request pays for
one lookup: the warm-up sends one request per user before measuring.

    python -m bench.slack_list [--interviews 100000] [--users 1000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bench.figures import p50_p99, print_table

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
TEAM = "bench"  # bench.seed's community


# ---- a Slack Web API stub: auth.test and users.info ----------------------------------------------
async def _stub_api(request: web.Request) -> web.Response:
    method = request.match_info["method"]
    if method == "auth.test":
        return web.json_response({"ok": True, "team_id": TEAM, "user_id": "UBOT", "bot_id": "B1"})
    if method == "users.info":
        data = await request.post()
        user = str(data.get("user") or request.query.get("user", ""))
        return web.json_response({"ok": True, "user": {"id": user, "tz": "America/New_York",
                                                       "is_admin": False, "real_name": "Bench User"}})
    return web.json_response({"ok": True})


async def _listen(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


def _bolt_server(process_before_response: bool, api_url: str) -> web.Application:
    bolt = AsyncApp(signing_secret=SECRET, token=TOKEN, client=AsyncWebClient(token=TOKEN, base_url=api_url),
                    process_before_response=process_before_response)

    @bolt.command("/interview")
    async def only_ack(ack: Callable[[], Awaitable[Any]]) -> None:
        await ack()

    async def events(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def _bare_server() -> web.Application:
    async def events(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="")

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


# ---- the client --------------------------------------------------------------------------------
_triggers = itertools.count(1)


def _signed(text: str, user: str) -> tuple[bytes, dict[str, str]]:
    # As Slack sends it: a trigger id of its own (a repeated one is a replay, not run again) and a
    # response URL on Slack's host (never posted to: the answer travels in the acknowledgement).
    body = urlencode({
        "token": "x", "team_id": TEAM, "team_domain": "bench", "channel_id": "C1", "channel_name": "general",
        "user_id": user, "user_name": user, "command": "/interview", "text": text, "api_app_id": "A1",
        "response_url": "https://hooks.slack.com/commands/bench/1/x", "trigger_id": f"t.{next(_triggers)}",
    })
    ts = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return body.encode(), {"Content-Type": "application/x-www-form-urlencoded",
                           "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={signature}"}


async def _measure(session: aiohttp.ClientSession, url: str, users: list[str], n: int,
                   check: Callable[[int, bytes], None]) -> list[float]:
    times: list[float] = []
    rng = random.Random(7)
    for _ in range(n):
        body, headers = _signed("list", rng.choice(users))
        started = time.perf_counter()
        async with session.post(url, data=body, headers=headers) as response:
            payload = await response.read()
            status = response.status
        times.append((time.perf_counter() - started) * 1000)
        check(status, payload)
    return times


class _TimedService:
    """The core service, timing each `handle` (to tell the core's share from the adapter's)."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.times: list[float] = []

    async def handle(self, actor: Any, text: str) -> Any:
        started = time.perf_counter()
        try:
            return await self.service.handle(actor, text)
        finally:
            self.times.append((time.perf_counter() - started) * 1000)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.service, name)


async def bench(interviews: int, users: int, requests: int, database: str,
                rounds: int = 10) -> list[tuple[str, float, float]]:
    """Every server measured in `rounds` interleaved rounds (so that a busy moment of the machine
    falls on all of them alike); returns (name, p50 ms, p99 ms)."""
    from sqlalchemy import create_engine

    from adapters.slack.server import build_server
    from bench.seed import fresh_database, seed
    from bot.config import Config
    from bot.ports import SystemClock
    from bot.service import Service
    from storage.engine import render, sync_url
    from storage.models import UserRow
    from storage.store import SqlStore

    async with AsyncExitStack() as stack:
        stub, stub_port = await _listen(_stub_api_app())
        stack.push_async_callback(stub.cleanup)
        api_url = f"http://127.0.0.1:{stub_port}/api/"
        session = await stack.enter_async_context(aiohttp.ClientSession())

        def ok(status: int, payload: bytes) -> None:
            if status != 200:
                raise SystemExit(f"unexpected answer {status}: {payload[:200]!r}")

        def listed(status: int, payload: bytes) -> None:
            ok(status, payload)
            if b"Company" not in payload:
                raise SystemExit(f"the answer does not list the interviews: {payload[:300]!r}")

        # the real thing: the database, the core, the Slack app
        url_db = stack.enter_context(fresh_database(database))
        started = time.perf_counter()
        seed(url_db, interviews, interviews_per_user=max(1, interviews // users), platform="slack")
        print(f"seeded {interviews:,} interviews of {users:,} users ({database}) "
              f"in {time.perf_counter() - started:.1f} s")
        engine = create_engine(render(sync_url(url_db)))
        with engine.connect() as conn:
            query = select(UserRow.external_id).where(UserRow.platform == "slack")
            people = [str(u) for u in conn.execute(query).scalars()]
        engine.dispose()
        store = SqlStore(url_db)
        stack.push_async_callback(store.close)
        service = _TimedService(Service(store, SystemClock(), default_tz="UTC"))
        config = Config.model_validate({"DATABASE_URL": url_db, "SLACK_SIGNING_SECRET": SECRET,
                                        "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": api_url, "PORT": 0,
                                        "SLACK_APP_TOKEN": None, "SLACK_CLIENT_ID": None,
                                        "SLACK_CLIENT_SECRET": None})
        server = build_server(config, service)
        await server.start(host="127.0.0.1", port=0)
        stack.push_async_callback(server.stop)
        per_user = interviews // max(1, len(people))
        servers: list[tuple[str, str, list[str], Callable[[int, bytes], None]]] = [
            (f"followthrough /interview list ({per_user} interviews each)",
             f"http://127.0.0.1:{server.port}/slack/events", people, listed),
        ]
        for name, app in (("bolt default mode, ack only", _bolt_server(False, api_url)),
                          ("bolt process_before_response=True, ack only", _bolt_server(True, api_url)),
                          ("bare aiohttp round trip", _bare_server())):
            runner, port = await _listen(app)
            stack.push_async_callback(runner.cleanup)
            servers.append((name, f"http://127.0.0.1:{port}/slack/events", ["U1"], ok))

        for person in people:  # warm-up: each user's users.info lookup, once
            await _measure(session, servers[0][1], [person], 1, listed)
        for _, url, who, check in servers[1:]:
            await _measure(session, url, who, 50, check)
        service.times.clear()
        times: dict[str, list[float]] = {name: [] for name, *_ in servers}
        per_round = max(1, requests // rounds)
        for _ in range(rounds):
            for name, url, who, check in servers:
                times[name].extend(await _measure(session, url, who, per_round, check))
        results = [(name, *p50_p99(times[name])) for name, *_ in servers]
        results.insert(1, ("  of which the core (service.handle)", *p50_p99(service.times)))
    return results


def _stub_api_app() -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/api/{method}", _stub_api)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench slack-list", description=__doc__.split("\n")[0])
    parser.add_argument("--interviews", type=int, default=100_000, help="interviews stored (default 100,000)")
    parser.add_argument("--users", type=int, default=1_000, help="users they belong to (default 1,000)")
    parser.add_argument("--requests", type=int, default=2_000, help="measured requests per server (default 2,000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    results = asyncio.run(bench(args.interviews, args.users, args.requests, args.database))
    print_table("signed /interview request, 127.0.0.1", results)


if __name__ == "__main__":
    main()
