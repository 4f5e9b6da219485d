"""The HTTP server under abuse: malformed and unsigned requests, slow and idle connections, floods."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.server import SlackServer, build_server
from adapters.slack.signed_requests import RequestCheck
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.slack.conftest import ALICE, TEAM, captured_logs, slack_config
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SECRET, SlackSender, sign, slash_body, texts

HEAD_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
MAX_CONNECTIONS = 8


@dataclass
class Guarded:
    server: SlackServer
    fake: FakeSlack
    sender: SlackSender

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.server.port)


@pytest.fixture
async def guarded(fake_slack: FakeSlack, sqlite_url: str) -> AsyncIterator[Guarded]:
    store = SqlStore(sqlite_url)
    server = build_server(slack_config(fake_slack, sqlite_url), Service(store, FakeClock(), default_tz="UTC"),
                          probe=store.health)
    server.head_timeout, server.body_timeout, server.max_connections = HEAD_TIMEOUT, BODY_TIMEOUT, MAX_CONNECTIONS
    await server.start(host="127.0.0.1", port=0)
    try:
        async with SlackSender(f"http://127.0.0.1:{server.port}/slack/events") as sender:
            yield Guarded(server, fake_slack, sender)
    finally:
        await server.stop()
        await store.close()


def head(length: int, headers: dict[str, str] | None = None) -> bytes:
    lines = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
             f"Content-Length: {length}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """Everything the server sends until it closes the connection (fails if it stays open)."""
    return await asyncio.wait_for(reader.read(), seconds)


async def test_malformed_or_unsigned_requests_get_400_or_401_never_500(guarded: Guarded) -> None:
    sender = guarded.sender
    assert sender.session is not None
    body = slash_body("list", ALICE, TEAM, guarded.fake.response_url("x"))
    good = sign(SECRET, body)
    for timestamp in ("abc", "1e9", "9" * 40, "-5", " 1", "", "１２３"):
        answer = await sender.post(body, "application/x-www-form-urlencoded",
                                   headers={"X-Slack-Request-Timestamp": timestamp})
        assert answer.status == 401, timestamp
    for signature in ("", "v0=", "v1=" + "0" * 64, "v0=" + "g" * 64, good["X-Slack-Signature"] + "0", "é"):
        answer = await sender.post(body, "application/x-www-form-urlencoded",
                                   headers={"X-Slack-Signature": signature})
        assert answer.status == 401, signature
    async with sender.session.post(sender.url, data=b"\xff\xfe\x00") as unsigned:
        assert unsigned.status == 401
    # Signed, but not something Slack would send.
    for raw, content_type in ((b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
                              (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
                              (b"{broken json", "application/json"),
                              (b"[1, 2, 3]", "application/json"),
                              (b"payload=" + json.dumps([1]).encode(), "application/x-www-form-urlencoded"),
                              (b"", "application/json")):
        headers = {"Content-Type": content_type, **sign_bytes(raw)}
        async with sender.session.post(sender.url, data=raw, headers=headers) as response:
            assert 400 <= response.status < 500, (raw, response.status)
    # The app still answers a real command.
    answer = await sender.command("list", ALICE, TEAM, guarded.fake.response_url("after"))
    assert answer.status == 200 and "interview" in texts(answer.json()["blocks"]).lower()


def sign_bytes(raw: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@settings(max_examples=300, deadline=None)
@given(headers=st.dictionaries(st.sampled_from(["X-Slack-Request-Timestamp", "X-Slack-Signature", "X-Other"]),
                               st.text(max_size=80)),
       raw=st.binary(max_size=200))
def test_the_signature_check_refuses_anything_unsigned_without_raising(headers: dict[str, str], raw: bytes) -> None:
    assert RequestCheck(SECRET).problem(raw, headers) is not None


async def test_a_half_sent_head_or_body_is_dropped_after_its_timeout(guarded: Guarded) -> None:
    reader, writer = await guarded.open()
    writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")  # and nothing more
    started = time.monotonic()
    assert await closed_within(reader, HEAD_TIMEOUT + 3) == b""
    assert time.monotonic() - started >= HEAD_TIMEOUT * 0.9
    writer.close()

    reader, writer = await guarded.open()
    writer.write(head(1000) + b"command=%2Finterview")  # 20 of 1,000 bytes
    answer = await closed_within(reader, BODY_TIMEOUT + 3)
    assert answer.startswith(b"HTTP/1.1 408")
    writer.close()

    reader, writer = await guarded.open()  # an idle connection: closed as well
    assert await closed_within(reader, HEAD_TIMEOUT + 3) == b""
    writer.close()
    await asyncio.sleep(0.1)
    assert guarded.server.connections is not None and guarded.server.connections.open_connections == 0


async def test_a_body_too_large_is_refused_before_it_is_sent(guarded: Guarded) -> None:
    reader, writer = await guarded.open()
    writer.write(head(50 * 1024 * 1024))  # announces 50 MB, sends none of it
    answer = await closed_within(reader, 2)
    assert answer.startswith(b"HTTP/1.1 413")
    writer.close()


async def test_beyond_the_connection_cap_new_ones_are_refused_while_a_real_command_still_answers(
        guarded: Guarded) -> None:
    guard = guarded.server.connections
    assert guard is not None
    # Idle and half-sent connections fill every place: a real command still gets in.
    idle = [await guarded.open() for _ in range(MAX_CONNECTIONS)]
    for _, writer in idle[::2]:
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
    await asyncio.sleep(0.1)
    assert guard.open_connections == MAX_CONNECTIONS
    answer = await guarded.sender.command("add company: Horizon; role: Analyst; when: yesterday 2pm", ALICE, TEAM,
                                          guarded.fake.response_url("real"))
    assert answer.status == 200 and "#1" in texts(answer.json()["blocks"])
    assert guard.open_connections <= MAX_CONNECTIONS and guard.evicted >= 1

    # Every place taken by a request under way (head sent, body trickling): a new one is refused.
    for _, writer in idle:
        writer.close()
    await asyncio.sleep(0.1)
    busy = [await guarded.open() for _ in range(MAX_CONNECTIONS)]
    for _, writer in busy:
        writer.write(head(100) + b"text=")
    await asyncio.sleep(0.2)
    reader, writer = await guarded.open()
    assert (await closed_within(reader, 2)).startswith(b"HTTP/1.1 503")
    assert guard.refused >= 1 and guard.open_connections == MAX_CONNECTIONS
    writer.close()
    # ...until their body timeout frees the places: then commands answer again.
    for reader, _ in busy:
        assert (await closed_within(reader, BODY_TIMEOUT + 3)).startswith(b"HTTP/1.1 408")
    answer = await guarded.sender.command("list", ALICE, TEAM, guarded.fake.response_url("later"))
    assert answer.status == 200 and "Horizon" in texts(answer.json()["blocks"])
    for _, writer in busy:
        writer.close()


async def test_a_flood_of_unsigned_one_megabyte_requests_writes_under_a_megabyte_of_log(guarded: Guarded) -> None:
    marker = "SECRET-BODY-MARKER"
    fields = urlencode({"command": "/interview", "text": marker, "user_id": ALICE, "team_id": TEAM,
                      "response_url": "https://hooks.slack.com/commands/T0001/1/secret"})
    body = (fields + "&pad=" + "x" * 1_000_000)[:1_000_000].encode()
    assert guarded.sender.session is not None
    session = guarded.sender.session
    statuses: list[int] = []

    async def flood(n: int, forged: bool) -> None:
        for _ in range(n):
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if forged:
                headers.update({"X-Slack-Request-Timestamp": str(int(time.time())),
                                "X-Slack-Signature": "v0=" + "1" * 64})
            async with session.post(guarded.sender.url, data=body, headers=headers) as response:
                statuses.append(response.status)

    with captured_logs() as lines:
        await asyncio.gather(*(flood(125, forged=k % 2 == 0) for k in range(8)))
    logged = "\n".join(lines)
    assert statuses == [401] * 1000
    assert len(logged.encode()) < 1_000_000
    assert marker not in logged and "hooks.slack.com/commands" not in logged and "xxxxxxxx" not in logged
    print(f"1,000 unsigned 1 MB requests: {len(logged.encode())} bytes of log in {len(lines)} lines")
