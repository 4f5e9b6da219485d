"""The cross-process wake of the reminder dispatchers, on PostgreSQL's LISTEN/NOTIFY.

Each process that delivers reminders wakes at the next due time it knows of and polls the
`reminders` table every minute. When a command in one process writes a sooner reminder, the
service's wake (after the commit) calls `WakeSignal.send(at)`: a background
`SELECT pg_notify('followthrough_wake', '<ISO time>')` on a short connection of the store's pool.
Every delivering process holds one dedicated psycopg connection that LISTENs on that channel and
hands each time to its dispatcher's `wake(at)`, so it re-arms at once instead of at its next poll.

The table stays the only schedule: a notification only says "look again at <time>". A lost one
(the listener was reconnecting, the NOTIFY failed) costs at most one poll; after a reconnect the
listener wakes its dispatcher at once, to pick up whatever it may have missed. A process's own
notifications come back to it too, harmlessly (a dispatcher's wake is idempotent).

On SQLite there is one process and nothing to signal: every method is a no-op.

Logs name what failed by the error's kind only: never the database URL, its password, or a
statement's parameters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import render

if TYPE_CHECKING:  # psycopg itself is imported when a listener starts: SQLite processes never load it
    import psycopg

log = logging.getLogger("storage.wake_signal")

CHANNEL = "followthrough_wake"
NOTIFY_TIMEOUT_SECONDS = 5.0
READY_TIMEOUT_SECONDS = 5.0
# For the listener's connection, unless the URL says otherwise: give up connecting after 10 s, and
# notice a connection that died silently (no RST: a NAT or failover dropped it) within ~1 minute.
LISTEN_CONNECTION_DEFAULTS = {
    "connect_timeout": "10",
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
}

Wake = Callable[[datetime], None]

_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


def payload(at: datetime) -> str:
    """A wake time as the notification's payload: ISO 8601 in UTC (a naive time is read as UTC)."""
    moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def parse_payload(raw: str) -> datetime | None:
    """The wake time a payload carries, or None if it is not one (another sender on the channel)."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _kind(exc: BaseException) -> str:
    """An error for the log: its class and its cause's, never its message (a connection error's
    message names the server and user; a statement error's carries its parameters)."""
    cause = getattr(exc, "orig", None) or exc.__cause__
    name = type(exc).__name__
    return f"{name} from {type(cause).__name__}" if cause is not None else name


def listen_conninfo(url: URL) -> str:
    """The libpq connection string for the listener: the store's database and credentials, plus
    LISTEN_CONNECTION_DEFAULTS for what the URL leaves unset. Holds the password: never log it."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    conninfo = render(url.set(drivername="postgresql"))
    given = conninfo_to_dict(conninfo)
    extra = {key: value for key, value in LISTEN_CONNECTION_DEFAULTS.items() if key not in given}
    return make_conninfo(conninfo, **extra)


class WakeSender:
    """Sends the NOTIFY after commits, in the background: a command never waits for it and never
    fails because of it. A burst of wakes is coalesced: one NOTIFY in flight at a time, then one
    for the soonest time asked for meanwhile (the receiver re-reads the table after each run)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: datetime | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._failing = False  # the last NOTIFY failed: warn once, not at every command

    def send(self, at: datetime) -> None:
        """Tell the other processes that a reminder is due at `at`. Returns at once; safe from any
        thread; never raises."""
        try:
            self._send(at)
        except Exception as exc:  # a wake is an optimisation: the poll still finds the reminder
            log.warning("could not schedule a wake notification (%s)", _kind(exc))

    def _send(self, at: datetime) -> None:
        if self._closed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # another thread: hand it to the loop that sends
            if self._loop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self.send, at)
            return
        self._loop = loop
        if self._pending is None or at < self._pending:
            self._pending = at
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._drain(), name="wake-notify")

    async def _drain(self) -> None:
        """Send the pending wake, and again while more came in meanwhile."""
        while self._pending is not None and not self._closed:
            at, self._pending = self._pending, None
            try:
                async with asyncio.timeout(NOTIFY_TIMEOUT_SECONDS):
                    await self.notify(at)
            except Exception as exc:
                self._note_failure(exc)
            else:
                self._note_success()

    async def notify(self, at: datetime) -> None:
        """One NOTIFY now, on a connection of the store's pool (delivered when it commits). Raises
        what the database raised."""
        async with self._engine.connect() as conn:
            await conn.execute(_NOTIFY, {"channel": CHANNEL, "payload": payload(at)})
            await conn.commit()

    def _note_failure(self, exc: BaseException) -> None:
        if self._failing:
            log.debug("wake notification not sent (%s)", _kind(exc))
            return
        self._failing = True
        log.warning("could not wake the other processes (%s); they find the new reminder at their next poll",
                    _kind(exc))

    def _note_success(self) -> None:
        if self._failing:
            self._failing = False
            log.info("wake notifications are sent again")

    async def close(self, timeout: float = 2.0) -> None:
        """Let a NOTIFY under way finish (at most `timeout` seconds), then send no more."""
        task = self._task
        if task is not None and not task.done():
            await asyncio.wait({task}, timeout=timeout)
        self._closed = True
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None


class WakeListener:
    """One dedicated connection LISTENing on CHANNEL; calls `on_wake(at)` for each notification.

    Reconnects when the connection drops, after a backoff that doubles from `retry_min` to
    `retry_max` seconds (with jitter, so a restarted server is not hit by every process at once),
    and wakes `on_wake` at once after each reconnect for what it may have missed."""

    def __init__(self, conninfo: str, on_wake: Wake, *, retry_min: float = 0.5, retry_max: float = 30.0,
                 rng: random.Random | None = None) -> None:
        self._conninfo = conninfo
        self._on_wake = on_wake
        self.retry_min = retry_min
        self.retry_max = retry_max
        self._rng = rng or random.Random()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self.backend_pid: int | None = None  # the server process serving the LISTEN, while connected

    @property
    def listening(self) -> bool:
        return self._ready.is_set()

    def start(self) -> None:
        """Start listening in a task of its own (call from the event loop)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="wake-listener")

    async def wait_listening(self, timeout: float) -> bool:
        """Wait until the LISTEN is in place; False if it is not within `timeout` seconds."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        failures = 0  # attempts in a row that never got as far as LISTEN
        catch_up = False
        while True:
            listened, why = await self._session(catch_up)
            failures = 0 if listened else failures + 1
            delay = self._delay(failures)
            log.warning("wake listener %s; reconnecting in %.1f s", why, delay)
            catch_up = True
            await asyncio.sleep(delay)

    def _delay(self, failures: int) -> float:
        """Seconds before the next attempt: between half and all of retry_min * 2**failures (capped)."""
        ceiling = min(self.retry_max, self.retry_min * 2**failures)
        return self._rng.uniform(ceiling / 2, ceiling)

    async def _session(self, catch_up: bool) -> tuple[bool, str]:
        """Connect, LISTEN and hand on notifications until the connection drops. Returns whether
        the LISTEN was in place, and what ended it (for the log)."""
        import psycopg

        try:
            conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
        except Exception as exc:
            return False, f"cannot connect ({_kind(exc)})"
        why = "lost its connection"
        try:
            await self._serve(conn, catch_up)
        except Exception as exc:
            why = f"lost its connection ({_kind(exc)})"
        finally:
            listened = self._ready.is_set()
            self._ready.clear()
            self.backend_pid = None
            await _close_quietly(conn)
        return listened, why

    async def _serve(self, conn: psycopg.AsyncConnection[Any], catch_up: bool) -> None:
        """LISTEN on `conn`, then wake for each notification; returns when the stream ends."""
        from psycopg import sql

        await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
        self.backend_pid = conn.info.backend_pid
        self._ready.set()
        if catch_up:
            log.info("wake listener listening again")
            self._wake(datetime.now(UTC))
        async with contextlib.aclosing(conn.notifies()) as notes:
            async for note in notes:
                at = parse_payload(note.payload)
                if at is not None:
                    self._wake(at)

    def _wake(self, at: datetime) -> None:
        try:
            self._on_wake(at)
        except Exception as exc:  # the listener outlives a bad callback
            log.error("waking the dispatcher failed (%s)", _kind(exc))


async def _close_quietly(conn: psycopg.AsyncConnection[Any]) -> None:
    with contextlib.suppress(Exception):
        await conn.close()


class WakeSignal:
    """One process's end of the wake: `send` after commits, `listen` in a delivering process.
    PostgreSQL only (`enabled`); on SQLite every method does nothing."""

    def __init__(self, engine: AsyncEngine, *, retry_min: float = 0.5, retry_max: float = 30.0) -> None:
        self.enabled = engine.dialect.name == "postgresql"
        self._engine = engine
        self._sender = WakeSender(engine) if self.enabled else None
        self.retry_min = retry_min
        self.retry_max = retry_max
        self.listener: WakeListener | None = None

    def send(self, at: datetime) -> None:
        """Wake every delivering process at `at` (in the background; never raises)."""
        if self._sender is not None:
            self._sender.send(at)

    async def notify(self, at: datetime) -> None:
        """One NOTIFY now (raises on failure); nothing on SQLite."""
        if self._sender is not None:
            await self._sender.notify(at)

    async def listen(self, on_wake: Wake, *, ready_timeout: float = READY_TIMEOUT_SECONDS) -> bool:
        """Start calling `on_wake(at)` for every process's wakes; wait (at most `ready_timeout` s)
        until the LISTEN is in place, so nothing sent after this returns is missed. True when
        listening; False on SQLite, or while the database cannot be reached (it keeps trying)."""
        if not self.enabled:
            return False
        if self.listener is None:
            conninfo = listen_conninfo(self._engine.url)
            self.listener = WakeListener(conninfo, on_wake, retry_min=self.retry_min, retry_max=self.retry_max)
        self.listener.start()
        ready = await self.listener.wait_listening(ready_timeout)
        if not ready:
            log.warning("wake listener not ready after %g s; relying on the poll until it is", ready_timeout)
        return ready

    async def stop_listening(self) -> None:
        if self.listener is not None:
            await self.listener.stop()

    async def close(self) -> None:
        """Stop listening; let a NOTIFY under way finish, then send no more."""
        await self.stop_listening()
        if self._sender is not None:
            await self._sender.close()


__all__ = ["CHANNEL", "WakeListener", "WakeSender", "WakeSignal", "listen_conninfo", "parse_payload", "payload"]
