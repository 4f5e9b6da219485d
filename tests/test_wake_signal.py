"""The processes wake one another: on PostgreSQL a command in one process (a Slack web process
without a dispatcher) makes the process that delivers reminders send a reminder due a second later
on time, not at its one-minute poll, even after the delivering process's listening connection was
killed; a failed wake never fails the command. On SQLite (one process) there is nothing to signal
and the process's own dispatcher still wakes at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.actor import Actor
from bot.config import Config
from bot.entry.runtime import Runtime, build, chain_wakes
from bot.ports import DeliveryResult, Recipient
from bot.replies import Reply
from bot.service import Service
from storage.engine import create_store_engine
from storage.store import SqlStore
from storage.wake_signal import WakeSignal
from tests.clock import FakeClock
from tests.conftest import Databases
from tests.fake_notifiers import RecordingNotifier
from tests.waiting import eventually

ALICE = Actor("console", "local", "alice")
POLL_SECONDS = 60.0  # the dispatcher's poll: a reminder seen only by polling would come this late
SOON = timedelta(seconds=1.5)  # a reminder due this long after the command
ON_TIME = timedelta(seconds=10)  # "at once": well within this of its due time, far below the poll
PASSWORD = "not-a-real-password-4711"  # put in the URL (the server trusts, ignores it) to check logs


@dataclass
class Inbox(RecordingNotifier):
    """A recording notifier whose test can wait for the next DM."""

    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        result = await super().send(recipient, message)
        self.arrived.set()
        return result

    async def first_dm(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self.arrived.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"no DM within {timeout:.1f} s") from None


@pytest.fixture
def postgres_url(databases: Databases) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database of this test's own, with a password in its URL."""
    with databases.fresh("postgres") as url:
        yield make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)


@pytest.fixture
async def runtimes() -> AsyncIterator[list[Runtime]]:
    """Runtimes a test builds (appended here): closed afterwards, even when the test fails."""
    made: list[Runtime] = []
    yield made
    for runtime in made:
        await runtime.close()


async def log_late_interview(service: Service, company: str) -> datetime:
    """As a member: an interview that ended two hours ago, logged now. Its thank-you reminder is due
    at once (the service's clock's now, which is returned). Quiet hours are set far from now, so
    the reminder is not held to their end."""
    now = service.clock.now()
    quiet_from = now + timedelta(hours=12)
    quiet = f"{quiet_from:%H:%M}-{quiet_from + timedelta(minutes=1):%H:%M}"
    for text in (f"settings name: Alice Example; tz: UTC; quiet: {quiet}",
                 f"add company: {company}; role: Analyst; when: {now - timedelta(hours=3):%Y-%m-%d %H:%M}"):
        reply = await service.handle(ALICE, text)
        assert not reply.error, f"{text!r} -> {reply.title}"
    return now


def command_process(url: str, runtimes: list[Runtime]) -> Runtime:
    """A process that answers commands but delivers nothing (a Slack web process when a worker
    delivers); its clock runs SOON ahead, so what it logs "now" falls due SOON from now."""
    runtime = build(Config(database_url=url), {}, clock=FakeClock(datetime.now(UTC) + SOON))
    runtimes.append(runtime)
    return runtime


async def delivering_process(url: str, runtimes: list[Runtime]) -> tuple[Runtime, Inbox]:
    """A started process that delivers reminders (a `python -m bot worker`), polling every minute."""
    inbox = Inbox("console")
    runtime = build(Config(database_url=url), {"console": inbox})
    runtimes.append(runtime)
    await runtime.start()
    assert runtime.dispatcher is not None and runtime.dispatcher.poll_seconds == POLL_SECONDS
    return runtime, inbox


def assert_quiet_logs(caplog: pytest.LogCaptureFixture, database: str) -> None:
    """Nothing alarming or secret in the logs: no error, no stack trace, no URL, no password."""
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text
    assert PASSWORD not in caplog.text and "postgresql://" not in caplog.text and database not in caplog.text


def leftover_tasks() -> list[str]:
    current = asyncio.current_task()
    return [t.get_name() for t in asyncio.all_tasks() if t is not current and not t.done()]


async def test_a_command_in_another_process_wakes_the_delivering_one_long_before_its_poll(
    postgres_url: str, runtimes: list[Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    worker, inbox = await delivering_process(postgres_url, runtimes)
    web = command_process(postgres_url, runtimes)
    await web.start()

    due = await log_late_interview(web.service, "Horizon")

    await inbox.first_dm(timeout=(SOON + ON_TIME).total_seconds())
    [dm] = inbox.sent
    assert dm.recipient.external_id == "alice" and "Horizon" in dm.message.title
    assert due <= dm.at < due + ON_TIME  # on time: its poll would have come a minute after start

    for runtime in (web, worker):
        await runtime.close()
    runtimes.clear()
    assert leftover_tasks() == []
    assert_quiet_logs(caplog, make_url(postgres_url).database or "?")


async def test_the_listener_reconnects_when_its_connection_is_killed_and_still_wakes(
    postgres_url: str, runtimes: list[Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    worker, inbox = await delivering_process(postgres_url, runtimes)
    listener = worker.wake_signal.listener if worker.wake_signal is not None else None
    assert listener is not None and listener.listening and listener.backend_pid is not None
    killed = listener.backend_pid

    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as admin:
        cursor = await admin.execute("SELECT pg_terminate_backend(%s)", (killed,))
        assert await cursor.fetchone() == (True,)
    await eventually(lambda: listener.listening and listener.backend_pid not in (None, killed), timeout=15,
                     what="the listener listens again on a new connection")

    web = command_process(postgres_url, runtimes)
    due = await log_late_interview(web.service, "Acme")

    await inbox.first_dm(timeout=(SOON + ON_TIME).total_seconds())
    [dm] = inbox.sent
    assert "Acme" in dm.message.title and due <= dm.at < due + ON_TIME

    for runtime in (web, worker):
        await runtime.close()
    runtimes.clear()
    assert leftover_tasks() == []
    assert "wake listener lost its connection" in caplog.text  # the operator sees what happened
    assert_quiet_logs(caplog, make_url(postgres_url).database or "?")


async def test_a_wake_that_cannot_be_sent_never_fails_the_command(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    store = SqlStore(postgres_url)
    missing = make_url(postgres_url).set(database="ft_no_such_database")
    engine = create_store_engine(missing)
    unreachable = WakeSignal(engine)  # the NOTIFY's connection fails
    service = Service(store, FakeClock(datetime.now(UTC)), default_tz="UTC")
    service.wake = chain_wakes(None, unreachable.send)
    try:
        await log_late_interview(service, "Initech")
        reply = await service.handle(ALICE, "list")
        assert "Initech" in reply.as_text()  # the interview and its reminder were saved
    finally:
        await unreachable.close()
        await engine.dispose()
        await store.close()

    warnings = [r.getMessage() for r in caplog.records if r.name == "storage.wake_signal"]
    assert len(warnings) == 1  # said once, not at every command
    assert warnings[0].startswith("could not wake the other processes (OperationalError")
    assert PASSWORD not in caplog.text and "ft_no_such_database" not in caplog.text


async def test_on_sqlite_there_is_nothing_to_signal_and_the_processs_dispatcher_still_wakes_at_once(
    sqlite_url: str, runtimes: list[Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    inbox = Inbox("console")
    runtime = build(Config(database_url=sqlite_url), {"console": inbox})
    runtimes.append(runtime)
    signal = runtime.wake_signal
    assert signal is not None and not signal.enabled
    await signal.notify(datetime.now(UTC))  # no-ops, no errors
    assert await signal.listen(lambda at: None) is False and signal.listener is None

    await runtime.start()
    runtime.service.clock = FakeClock(datetime.now(UTC) + SOON)  # commands log "now" SOON ahead
    due = await log_late_interview(runtime.service, "Globex")

    await inbox.first_dm(timeout=(SOON + ON_TIME).total_seconds())
    assert "Globex" in inbox.sent[0].message.title and due <= inbox.sent[0].at < due + ON_TIME
    await runtime.close()
    runtimes.clear()
    assert leftover_tasks() == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
