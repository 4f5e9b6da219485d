"""Whatever a user types, the service answers without raising, and bad input changes nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.actor import Actor
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock

ALICE = Actor("console", "local", "alice")
FRAGMENTS = ["add", "update", "sent", "snooze", "heard", "draft", "show", "settings", "forget", "#1", "#2",
             "#999999", " ", ";", ":", "company:", "role:", "when:", "with:", "tomorrow", "yesterday 2pm",
             "<", ">", "@here", "<!channel>", "@everyone", "(recruiter)", "about", "tz:", "Mars/Olympus",
             "quiet:", "25:99-07:00", "next round", "offer", "rejected", "decision", "💼", "\n", "\x00", "'", '"',
             "{{ x }}", "%s", "DROP TABLE interviews;--"]


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def snapshot(loop: asyncio.AbstractEventLoop, service: Service) -> Any:
    reply = loop.run_until_complete(service.handle(ALICE, "export"))
    data = json.loads(reply.files[0].content)
    data.pop("exported_at")
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.one_of(st.text(max_size=300), st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join)))
def test_any_text_is_answered_and_bad_input_changes_nothing(sqlite_url: str, text: str) -> None:
    loop = asyncio.new_event_loop()
    store = SqlStore(sqlite_url)
    service = Service(store, FakeClock(datetime(2026, 12, 1, 14, 30, tzinfo=UTC)), default_tz="Europe/Berlin")
    try:
        if snapshot(loop, service)["interviews"] == []:
            loop.run_until_complete(service.handle(
                ALICE, "add company: Horizon; role: Analyst; when: 2026-12-01 10:00; with: Jane Doe"))
        before = snapshot(loop, service)
        reply = loop.run_until_complete(service.handle(ALICE, text))
        assert reply.title and "Traceback" not in reply.as_text()
        if reply.error:
            assert len(reply.title) < 600
            assert snapshot(loop, service) == before
    finally:
        loop.run_until_complete(store.close())
        loop.close()
