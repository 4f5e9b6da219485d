"""The dispatcher: claim the reminders that are due, render each interview's DM, hand it to the
platform's Notifier, record what happened.

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
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.domain import Step, StepKind, StepStatus
from bot.policy import next_dm_after_delivery
from bot.ports import ClaimedReminder, Clock, DeliveryResult, Notifier, Outcome, Store, dm_key
from bot.replies import Reply

log = logging.getLogger("bot.reminders")

Render = Callable[[int, list[int], datetime], Awaitable[Reply | None]]
# What reminders that went out (or failed for good) change, in the core: (interview_id, step_ids, now).
Settle = Callable[[int, list[int], datetime], Awaitable[None]]

JOBSTORE = "followthrough-dispatcher"
WAKE_JOB = "reminders-next-due"
POLL_JOB = "reminders-poll"
MAX_REASON = 200


@runtime_checkable
class ReleasingStore(Protocol):
    """A store that can hand back claims it will not deliver (graceful shutdown). Optional: without
    it an unfinished claim simply becomes claimable again when its lease runs out."""

    async def release_claims(self, claims: list[tuple[int, str]]) -> int: ...


def next_send_after_delivery(claim: ClaimedReminder, now: datetime) -> datetime | None:
    """When the step's next DM is due after this one went out (None: no further DM).

    A thank-you's first DM is followed by a last call 4 h before its 24 h deadline, if that is
    still ahead. Every other step gets one DM."""
    if claim.kind is None or claim.due_at is None:
        return None
    step = Step(
        kind=claim.kind,
        due_at=claim.due_at,
        notify_at=claim.send_at,
        status=StepStatus.PENDING,
        dm_count=claim.dm_count,
    )
    return next_dm_after_delivery(step, now)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: try n waits between half and all of base * 2**n (capped),
    and never less than what the platform asked for (Retry-After)."""

    base: float = 10.0
    cap: float = 1800.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        ceiling = min(self.cap, self.base * (2 ** max(0, attempt)))
        wait = rng.uniform(ceiling / 2, ceiling)
        if retry_after is not None and retry_after > 0:
            wait = max(wait, retry_after)
        return wait


@dataclass
class RunStats:
    """What one `run_once` did, by reminder (step)."""

    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # marked sent (or claim lost) meanwhile, or nothing left to say
    released: int = 0


def _reason(result: DeliveryResult, default: str) -> str:
    reason = (result.reason or default).replace("\n", " ")
    return reason[:MAX_REASON]


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
        self.render = render
        self.settle = settle
        self.notifiers = dict(notifiers)
        self.platforms = frozenset(self.notifiers)
        self.clock = clock
        self.batch = batch
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self.concurrency = max(1, concurrency)
        self.send_timeout = send_timeout if send_timeout is not None else max(1.0, lease_seconds / 3)
        self.backoff = backoff or Backoff()
        self.rng = rng or random.Random()
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
        self._inflight: dict[int, ClaimedReminder] = {}  # claimed, not yet recorded
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
        self._stopping = False
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
                log.error("dispatch run failed (%s); retrying in 5 s", _describe(exc))
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
            log.error("could not read the next due time (%s); polling instead", _describe(exc))
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
                    self._inflight[claim.step_id] = claim
                # A DM must be over before the lease ends, or another dispatcher may send it too.
                send_by = now + timedelta(seconds=self.lease_seconds - self.send_timeout)
                await self._deliver_batch(claims, stats, send_by)
                if len(claims) < self.batch:
                    break
        self._add_totals(stats)
        return stats

    def _add_totals(self, stats: RunStats) -> None:
        for name in ("claimed", "delivered", "retried", "failed", "skipped", "released"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))

    async def _deliver_batch(self, claims: list[ClaimedReminder], stats: RunStats, send_by: datetime) -> None:
        groups: dict[int, list[ClaimedReminder]] = {}
        for claim in claims:
            groups.setdefault(claim.interview_id, []).append(claim)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(group: list[ClaimedReminder]) -> None:
            try:
                async with gate:  # at most `concurrency` DMs being checked, rendered and sent
                    sent = await self._send_group(group, stats, send_by)
                if sent is not None:  # written down outside the gate: the next DM need not wait
                    await self._record(*sent, stats)
            except Exception as exc:
                log.error("reminders %s: delivery failed (%s); they come back when the lease ends",
                          _ids(group), _describe(exc))
                for claim in group:
                    self._inflight.pop(claim.step_id, None)

        await asyncio.gather(*(one(group) for group in groups.values()))

    async def _send_group(
        self, group: list[ClaimedReminder], stats: RunStats, send_by: datetime
    ) -> tuple[list[ClaimedReminder], DeliveryResult, datetime] | None:
        """Check the claims still hold, render one DM for them, send it. None: nothing was sent."""
        interview_id = group[0].interview_id
        if self._stopping:
            await self._release(group, stats)
            return None
        if self.clock.now() > send_by:  # too little of the lease left for a send: claim afresh
            log.info("reminders %s: lease nearly over before sending; handed back", _ids(group))
            await self._release(group, stats)
            return None
        holds = await asyncio.gather(*(self.store.still_claimed(c.step_id, c.claim_token) for c in group))
        live = [claim for claim, ok in zip(group, holds, strict=True) if ok]
        for claim, ok in zip(group, holds, strict=True):
            if not ok:
                self._inflight.pop(claim.step_id, None)
                stats.skipped += 1
        if not live:
            log.info("reminders %s (interview %d): no longer due, not sent", _ids(group), interview_id)
            return None
        now = self.clock.now()
        message = await self.render(interview_id, [c.step_id for c in live], now)
        if message is None:
            for claim in live:
                self._inflight.pop(claim.step_id, None)
            stats.skipped += len(live)
            log.info("reminders %s (interview %d): nothing left to remind of", _ids(live), interview_id)
            return None
        if self._stopping:
            await self._release(live, stats)
            return None
        recipient = live[0].recipient
        notifier = self.notifiers[recipient.platform]
        try:
            async with asyncio.timeout(self.send_timeout):
                result = await notifier.send(recipient, message, dm_key=dm_key(live))
        except TimeoutError:
            result = DeliveryResult(Outcome.RETRY, reason="timed out")
        except Exception as exc:  # a notifier bug or a network error: retry, never drop
            result = DeliveryResult(Outcome.RETRY, reason=f"error: {type(exc).__name__}")
        return live, result, self.clock.now()

    async def _record(
        self, live: list[ClaimedReminder], result: DeliveryResult, after: datetime, stats: RunStats
    ) -> None:
        if result.outcome is Outcome.DELIVERED:
            await self._delivered(live, after, stats)
        elif result.outcome is Outcome.RETRY:
            await self._retry(live, result, after, stats)
        else:
            await self._failed(live, _reason(result, "refused"), stats)

    async def _delivered(self, claims: list[ClaimedReminder], now: datetime, stats: RunStats) -> None:
        recorded = await asyncio.gather(*(
            self.store.record_delivered(c.step_id, c.claim_token, now, next_send_after_delivery(c, now))
            for c in claims
        ))
        for claim in claims:
            self._inflight.pop(claim.step_id, None)
        stats.delivered += len(claims)
        log.info("reminders %s (interview %d): delivered", _ids(claims), claims[0].interview_id)
        lost = [c.step_id for c, ok in zip(claims, recorded, strict=True) if not ok]
        if lost:
            log.warning("reminders %s: delivered, but the step changed meanwhile (marked sent, snoozed, or its "
                        "lease ran out and another dispatcher took it); not recorded as delivered", lost)
        await self._settle(claims, now)

    async def _retry(
        self, claims: list[ClaimedReminder], result: DeliveryResult, now: datetime, stats: RunStats
    ) -> None:
        reason = _reason(result, "temporary failure")
        attempt = max(c.attempts for c in claims)
        if attempt + 1 >= self.max_attempts:
            await self._failed(claims, f"gave up after {attempt + 1} tries: {reason}", stats)
            return
        wait = self.backoff.delay(attempt, result.retry_after, self.rng)
        retry_at = now + timedelta(seconds=wait)
        await asyncio.gather(*(self.store.record_retry(c.step_id, c.claim_token, retry_at, reason) for c in claims))
        for claim in claims:
            self._inflight.pop(claim.step_id, None)
        stats.retried += len(claims)
        log.info(
            "reminders %s (interview %d): %s; try %d, again in %.1f s",
            _ids(claims), claims[0].interview_id, reason, attempt + 1, wait,
        )

    async def _failed(self, claims: list[ClaimedReminder], reason: str, stats: RunStats) -> None:
        await asyncio.gather(*(self.store.record_failed(c.step_id, c.claim_token, reason) for c in claims))
        for claim in claims:
            self._inflight.pop(claim.step_id, None)
        stats.failed += len(claims)
        log.warning(
            "reminders %s (interview %d): not delivered: %s", _ids(claims), claims[0].interview_id, reason
        )
        await self._settle(claims, self.clock.now())

    async def _settle(self, claims: list[ClaimedReminder], now: datetime) -> None:
        """A no-reply reminder is over (sent, or failed for good): the core applies what it
        changes. Its failure is logged; the DM has gone out either way."""
        settling = [c.step_id for c in claims if c.kind is StepKind.NO_REPLY]
        if self.settle is None or not settling:
            return
        try:
            await self.settle(claims[0].interview_id, settling, now)
        except Exception as exc:
            log.error("reminders %s: could not apply what they change (%s)", _ids(claims), _describe(exc))

    async def _release(self, claims: Iterable[ClaimedReminder], stats: RunStats) -> None:
        pending = [c for c in claims if c.step_id in self._inflight]
        for claim in pending:
            self._inflight.pop(claim.step_id, None)
        if not pending:
            return
        stats.released += len(pending)
        if isinstance(self.store, ReleasingStore):
            await self.store.release_claims([(c.step_id, c.claim_token) for c in pending])
            log.info("reminders %s: released for another run", _ids(pending))
        else:
            log.info("reminders %s: left to their lease", _ids(pending))

    # ------------------------------------------------------------------------------------------
    # Stopping

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop claiming; let deliveries under way finish (at most `timeout` seconds), then hand
        back whatever was claimed but not sent."""
        self._stopping = True
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
                log.error("dispatch run failed while stopping (%s)", _describe(exc))
        if self._inflight:
            leftover = RunStats()
            try:
                await asyncio.wait_for(self._release(list(self._inflight.values()), leftover), timeout=2.0)
            except Exception as exc:
                log.error("could not release claims (%s); they come back when their lease runs out", _describe(exc))
        self._started = False
        log.info("dispatcher stopped")


def _scheduler_time(delay: timedelta) -> datetime:
    """When APScheduler, which counts in wall-clock time, should fire for a wake-up `delay` from
    now on the dispatcher's clock (what is due, and when, is always read on that clock)."""
    return datetime.now(UTC) + max(delay, timedelta(0))


def _describe(exc: BaseException) -> str:
    """An error's kind, for the log: its class and its cause's, never its message (a database
    error's message carries the statement's parameters: claim tokens, user text)."""
    cause = getattr(exc, "orig", None) or exc.__cause__
    name = type(exc).__name__
    return f"{name} from {type(cause).__name__}" if cause is not None else name


def _ids(claims: Iterable[ClaimedReminder]) -> str:
    return ",".join(str(c.step_id) for c in claims)
