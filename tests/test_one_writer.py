"""One writer per column of `reminders`: a member's commands write the schedule, the dispatcher
writes the delivery, on SQLite and PostgreSQL.

Every statement that writes `reminders` is recorded with who ran it: the dispatcher (its store
port), the dispatcher's planning code that the service calls in its own transaction when it adds,
moves or closes a step (storage/delivery_plan.py), or the service. A member's life with an
interview is played through: thank-you DM and its last call, a check-in retried then given up,
snoozes, sent, heard, a claim handed back at shutdown, and a no-reply reminder that ghosts.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bot.actor import Actor
from bot.reminders import Dispatcher
from bot.service import Service
from storage import delivery_plan
from storage.dispatch_queue import DispatchQueue
from storage.models import DELIVERY_COLUMNS, SCHEDULE_COLUMNS
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.fake_notifiers import SERVER_ERROR, ScriptedNotifier
from tests.runtime_support import built, settings
from tests.service_support import ok

NOW = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # Tuesday, 17:30 in Berlin
ALICE = Actor("console", "local", "alice")
WRITER: contextvars.ContextVar[str] = contextvars.ContextVar("writer", default="service")
_UPDATE = re.compile(r"^\s*UPDATE reminders SET (.*?) WHERE ", re.S | re.I)
_INSERT = re.compile(r"^\s*INSERT INTO reminders \((.*?)\)", re.S | re.I)


def _as(writer: str, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def run(*args: Any, **kwargs: Any) -> Any:
        token = WRITER.set(writer)
        try:
            return await method(*args, **kwargs)
        finally:
            WRITER.reset(token)

    return run


@pytest.fixture
def writes(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, frozenset[str]]]]:
    """(writer, UPDATE|INSERT, columns) of every statement that writes `reminders`."""
    for name in ("claim_due", "still_claimed", "record_delivered", "record_retry", "record_failed",
                 "release_claims", "next_send_at"):
        monkeypatch.setattr(DispatchQueue, name, _as("dispatcher", getattr(DispatchQueue, name)))
    for name in ("replan", "mark_user_told"):
        monkeypatch.setattr(delivery_plan, name, _as("planning", getattr(delivery_plan, name)))
    seen: list[tuple[str, str, frozenset[str]]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if found := _UPDATE.match(statement):
            seen.append((WRITER.get(), "UPDATE", frozenset(re.findall(r"(\w+)=", found.group(1)))))
        elif found := _INSERT.match(statement):
            seen.append((WRITER.get(), "INSERT", frozenset(c.strip() for c in found.group(1).split(","))))

    # On every engine: on SQLite the store runs short transactions on an engine of its own.
    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


async def test_each_column_of_a_reminder_has_one_writer(
    store: SqlStore, writes: list[tuple[str, str, frozenset[str]]]
) -> None:
    clock = FakeClock(NOW)
    notifier = ScriptedNotifier.of([])
    notifier.now = clock.now
    async with built(store, clock, {"console": notifier}, default_tz="Europe/Berlin",
                     config=settings(DISPATCH_MAX_ATTEMPTS=2)) as runtime:
        await live_through_an_interview(runtime.service, runtime.dispatcher, clock, store, notifier)
    assert_one_writer_per_column(writes)
    titles = [s.message.title.split(":")[1].split(" for ")[0].strip() for s in notifier.sent]
    assert titles == ["thank-you", "thank-you", "check-in", "second check-in", "no-reply decision"]


async def live_through_an_interview(service: Service, dispatcher: Dispatcher | None, clock: FakeClock,
                                    store: SqlStore, notifier: ScriptedNotifier) -> None:
    assert dispatcher is not None

    async def deliver_at(at: datetime) -> None:
        clock.set(at)
        await dispatcher.run_once()

    await ok(service, ALICE, "add company: Horizon; role: Analyst; when: today 15:00; with: Jane Roe, Sam Lee")
    await deliver_at(NOW)  # the thank-you's first DM; its last call is planned by the dispatcher
    await deliver_at(NOW + timedelta(hours=19))  # the last call
    await ok(service, ALICE, "sent #1 thank-you")

    notifier.script = [SERVER_ERROR] * 2  # the check-in (Tue Dec 15, 09:00): a retry, then given up
    for _ in range(3):
        await deliver_at(datetime(2026, 12, 15, 8, tzinfo=UTC) + timedelta(hours=_))
    await ok(service, ALICE, "list")  # the member is told the reminder failed
    await ok(service, ALICE, "snooze #1 until tomorrow 10:00")

    claims = await store.claim_due(clock.now() + timedelta(days=3), frozenset({"console"}), 10, 60)
    assert claims and await store.release_claims([(c.step_id, c.claim_token) for c in claims]) == len(claims)
    for _ in range(4):  # the check-ins, each sent, and then the no-reply reminder, which ghosts
        await deliver_at(clock.now() + timedelta(days=10))
        await service.handle(ALICE, "sent #1")
    assert "ghosted" in (await ok(service, ALICE, "show #1")).as_text()
    await ok(service, ALICE, "reopen #1")
    await ok(service, ALICE, "heard #1 rejected")


def assert_one_writer_per_column(writes: list[tuple[str, str, frozenset[str]]]) -> None:
    kinds = {(writer, verb) for writer, verb, _ in writes}
    assert {("service", "INSERT"), ("service", "UPDATE"), ("planning", "UPDATE"), ("dispatcher", "UPDATE")} <= kinds
    schedule, delivery = set(SCHEDULE_COLUMNS), set(DELIVERY_COLUMNS)
    for writer, verb, columns in writes:
        if verb == "INSERT":  # a new step: its schedule, and its delivery as planned by the dispatcher
            assert writer == "service" and "send_at" in columns and "claim_token" not in columns
        elif writer == "service":
            assert columns <= schedule, f"the service wrote {sorted(columns - schedule)}"
        else:
            assert columns <= delivery, f"the {writer} wrote {sorted(columns - delivery)}"
    assert any("send_at" in columns for writer, _, columns in writes if writer == "dispatcher")
    assert not any("notify_at" in columns for writer, _, columns in writes if writer != "service")
