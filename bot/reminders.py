"""The dispatcher: when to claim the reminders that are due, and handing them to the courier
(bot/reminder_delivery.py), which renders each interview's DM, sends it through the platform's
Notifier and records what happened.

The `reminders` table is the only schedule. APScheduler (3.x) only decides when this process
wakes: a one-shot job at the next due time, re-armed after every run and whenever the service
adds a sooner reminder (`wake`), plus an interval job (every minute) that sees rows other
processes added. Claims are leases in the database, so any number of processes may run a
dispatcher over one PostgreSQL database and each reminder goes out once.

Logs name reminder ids, interview ids and outcomes; never a token, a message or a draft.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.ports import Clock, Notifier, Store
from bot.reminder_delivery import Backoff, Courier, Render, RunStats, Settle, describe

log = logging.getLogger("bot.reminders")

JOBSTORE = "followthrough-dispatcher"
WAKE_JOB = "reminders-next-due"
POLL_JOB = "reminders-poll"


class Dispatcher:
    """Claims due reminders of the platforms in `notifiers` and delivers them.

    `render(interview_id, step_ids, now)` builds the DM for several due steps of one interview (the
    service's `reminder_message`; it only reads), or returns None when none of them is open any
    more. `settle(interview_id, step_ids, now)` (the service's `settle_after_reminder`) is called
    once a no-reply reminder has gone out or failed for good: the change it makes (ghosting) is
    the core's, made once, after the DM.
    """

    def __init__(
        self,
        store: Store,
        render: Render,
        notifiers: dict[str, Notifier],
        clock: Clock,
        *,
        batch: int = 200,
        lease_seconds: float = 60.0,
        max_attempts: int = 8,
        scheduler: Any | None = None,
        poll_seconds: float = 60.0,
        concurrency: int = 16,
        send_timeout: float | None = None,
        backoff: Backoff | None = None,
        rng: random.Random | None = None,
        settle: Settle | None = None,
    ) -> None:
        if not notifiers:
            raise ValueError("a dispatcher needs at least one notifier")
        self.store = store
        self.platforms = frozenset(notifiers)
        self.clock = clock
        self.batch = batch
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.send_timeout = send_timeout if send_timeout is not None else max(1.0, lease_seconds / 3)
        self.courier = Courier(
            store, render, dict(notifiers), clock, max_attempts=max_attempts, send_timeout=self.send_timeout,
            concurrency=max(1, concurrency), backoff=backoff or Backoff(), rng=rng or random.Random(), settle=settle,
        )
        self.totals = RunStats()

        self._scheduler: Any | None = scheduler
        self._own_scheduler = scheduler is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = False
        self._stopping = False
        self._armed: datetime | None = None  # when the one-shot wake job fires
        self._early_wake: datetime | None = None  # a wake() that came before start()
        self._run_task: asyncio.Task[None] | None = None
        self._again = False
        self._run_lock = asyncio.Lock()
        self._arm_lock = threading.Lock()

    # ------------------------------------------------------------------------------------------
    # Waking up

    async def start(self) -> None:
        """Start waking: at the next due time, and every `poll_seconds`."""
        if self._started:
            return
        self._loop = asyncio.get_running_loop()
        quiet = logging.getLogger("apscheduler")
        if quiet.level == logging.NOTSET:  # it would log two lines per wake-up
            quiet.setLevel(logging.WARNING)
        if self._scheduler is None:
            self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._stopping = self.courier.stopping = False
        self._started = True
        try:  # our jobs are bound methods: they live in memory, whatever the scheduler's default store
            self._scheduler.add_jobstore(MemoryJobStore(), alias=JOBSTORE)
        except ValueError:
            pass  # there from an earlier start
        self._scheduler.add_job(
            self._wakeup,
            "interval",
            seconds=self.poll_seconds,
            id=POLL_JOB,
            jobstore=JOBSTORE,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        if not self._scheduler.running:
            self._scheduler.start()
        log.info("dispatcher started for %s", ", ".join(sorted(self.platforms)))
        nxt = await self.store.next_send_at(self.platforms, self.clock.now())
        if self._early_wake is not None and (nxt is None or self._early_wake < nxt):
            nxt = self._early_wake
        self._early_wake = None
        if nxt is not None:
            self._arm(nxt)

    def wake(self, at: datetime) -> None:
        """A reminder due at `at` was just written: wake then if that is sooner than planned.
        Safe to call from any thread, before or after `start`."""
        if self._stopping:
            return
        if not self._started or self._loop is None:
            if self._early_wake is None or at < self._early_wake:
                self._early_wake = at
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._arm_if_sooner(at)
        else:
            self._loop.call_soon_threadsafe(self._arm_if_sooner, at)

    def _arm_if_sooner(self, at: datetime) -> None:
        if self._armed is None or at < self._armed:
            self._arm(at)

    def _arm(self, at: datetime | None) -> None:
        """Set the one-shot wake job to `at` (at once if it is past)."""
        if self._scheduler is None or self._stopping:
            return
        with self._arm_lock:
            if at is None:
                self._armed = None
                if self._scheduler.get_job(WAKE_JOB, JOBSTORE) is not None:
                    self._scheduler.remove_job(WAKE_JOB, JOBSTORE)
                return
            now = self.clock.now()
            when = at if at > now else now
            self._armed = when
            self._scheduler.add_job(
                self._on_wake_job,
                "date",
                run_date=_scheduler_time(when - now),
                id=WAKE_JOB,
                jobstore=JOBSTORE,
                replace_existing=True,
                coalesce=True,
                max_instances=64,
                misfire_grace_time=None,
            )

    async def _on_wake_job(self) -> None:
        self._armed = None  # the one-shot job has fired: nothing is armed until the run re-arms
        await self._wakeup()

    async def _wakeup(self) -> None:
        """The scheduler's job: start a run in a task of our own (so a scheduler shutdown never
        cancels a delivery half-way), or ask the running one to go round again."""
        if self._stopping:
            return
        if self._run_task is not None and not self._run_task.done():
            self._again = True
            return
        self._run_task = asyncio.ensure_future(self._run_until_idle())

    async def _run_until_idle(self) -> None:
        stats: RunStats | None = None
        while not self._stopping:
            self._again = False
            try:
                stats = await self.run_once()
            except Exception as exc:
                log.error("dispatch run failed (%s); retrying in 5 s", describe(exc))
                stats = None
                self._arm(self.clock.now() + timedelta(seconds=5))
                return
            if not self._again:
                break
        if self._stopping:
            return
        try:
            nxt = await self.store.next_send_at(self.platforms, self.clock.now())
        except Exception as exc:
            log.error("could not read the next due time (%s); polling instead", describe(exc))
            return
        if nxt is not None and stats is not None and stats.claimed == 0:
            # Due rows we could not claim (another process holds them): look again shortly,
            # not in a busy loop.
            floor = self.clock.now() + timedelta(seconds=1)
            nxt = max(nxt, floor)
        armed = self._armed
        if armed is not None and armed > self.clock.now() and (nxt is None or armed <= nxt):
            return  # a wake() during the run armed something sooner
        self._arm(nxt)

    # ------------------------------------------------------------------------------------------
    # One run

    async def run_once(self) -> RunStats:
        """Claim and deliver batches until nothing more is due. Returns what it did."""
        stats = RunStats()
        async with self._run_lock:
            while not self._stopping:
                now = self.clock.now()
                claims = await self.store.claim_due(now, self.platforms, self.batch, self.lease_seconds)
                if not claims:
                    break
                stats.claimed += len(claims)
                for claim in claims:
                    self.courier.inflight[claim.step_id] = claim
                # A DM must be over before the lease ends, or another dispatcher may send it too.
                send_by = now + timedelta(seconds=self.lease_seconds - self.send_timeout)
                await self.courier.deliver_batch(claims, stats, send_by)
                if len(claims) < self.batch:
                    break
        self._add_totals(stats)
        return stats

    def _add_totals(self, stats: RunStats) -> None:
        for name in ("claimed", "delivered", "retried", "failed", "skipped", "released"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))

    # ------------------------------------------------------------------------------------------
    # Stopping

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop claiming; let deliveries under way finish (at most `timeout` seconds), then hand
        back whatever was claimed but not sent."""
        self._stopping = self.courier.stopping = True
        if self._scheduler is not None and self._own_scheduler and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        elif self._scheduler is not None:
            for job_id in (WAKE_JOB, POLL_JOB):
                if self._scheduler.get_job(job_id, JOBSTORE) is not None:
                    self._scheduler.remove_job(job_id, JOBSTORE)
        task = self._run_task
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=timeout)
            except TimeoutError:
                log.warning("dispatcher: deliveries still running after %.0f s; stopping them", timeout)
                task.cancel()
                try:
                    await task
                except BaseException:  # noqa: BLE001 - it was cancelled on purpose
                    pass
            except Exception as exc:
                log.error("dispatch run failed while stopping (%s)", describe(exc))
        if self.courier.inflight:
            leftover = list(self.courier.inflight.values())
            try:
                await asyncio.wait_for(self.courier.release(leftover, RunStats()), timeout=2.0)
            except Exception as exc:
                log.error("could not release claims (%s); they come back when their lease runs out", describe(exc))
        self._started = False
        log.info("dispatcher stopped")


def _scheduler_time(delay: timedelta) -> datetime:
    """When APScheduler, which counts in wall-clock time, should fire for a wake-up `delay` from
    now on the dispatcher's clock (what is due, and when, is always read on that clock)."""
    return datetime.now(UTC) + max(delay, timedelta(0))
