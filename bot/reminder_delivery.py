"""Delivering claimed reminders: check each claim still holds, render one DM per interview, send
it through the platform's Notifier, and record what happened (delivered, to try again later, or
failed for good). The dispatcher (bot/reminders.py) decides when; this module, what each DM does.

Logs name reminder ids, interview ids and outcomes; never a token, a message or a draft.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.domain import Step, StepKind, StepStatus
from bot.policy import next_dm_after_delivery
from bot.ports import ClaimedReminder, Clock, DeliveryResult, Notifier, Outcome, Store, dm_key
from bot.replies import Reply

log = logging.getLogger("bot.reminders")

Render = Callable[[int, list[int], datetime], Awaitable[Reply | None]]
# What reminders that went out (or failed for good) change, in the core: (interview_id, step_ids, now).
Settle = Callable[[int, list[int], datetime], Awaitable[None]]

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


@dataclass
class Courier:
    """Delivers the claims of one dispatcher. `inflight` holds what is claimed and not yet
    recorded (handed back at shutdown); once `stopping` is set, nothing more is sent."""

    store: Store
    render: Render
    notifiers: dict[str, Notifier]
    clock: Clock
    max_attempts: int
    send_timeout: float
    concurrency: int
    backoff: Backoff
    rng: random.Random
    settle: Settle | None
    stopping: bool = False
    inflight: dict[int, ClaimedReminder] = field(default_factory=dict)

    async def deliver_batch(self, claims: list[ClaimedReminder], stats: RunStats, send_by: datetime) -> None:
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
                          _ids(group), describe(exc))
                for claim in group:
                    self.inflight.pop(claim.step_id, None)

        await asyncio.gather(*(one(group) for group in groups.values()))

    async def _send_group(
        self, group: list[ClaimedReminder], stats: RunStats, send_by: datetime
    ) -> tuple[list[ClaimedReminder], DeliveryResult, datetime] | None:
        """Check the claims still hold, render one DM for them, send it. None: nothing was sent."""
        interview_id = group[0].interview_id
        if self.stopping:
            await self.release(group, stats)
            return None
        if self.clock.now() > send_by:  # too little of the lease left for a send: claim afresh
            log.info("reminders %s: lease nearly over before sending; handed back", _ids(group))
            await self.release(group, stats)
            return None
        holds = await asyncio.gather(*(self.store.still_claimed(c.step_id, c.claim_token) for c in group))
        live = [claim for claim, ok in zip(group, holds, strict=True) if ok]
        for claim, ok in zip(group, holds, strict=True):
            if not ok:
                self.inflight.pop(claim.step_id, None)
                stats.skipped += 1
        if not live:
            log.info("reminders %s (interview %d): no longer due, not sent", _ids(group), interview_id)
            return None
        now = self.clock.now()
        message = await self.render(interview_id, [c.step_id for c in live], now)
        if message is None:
            for claim in live:
                self.inflight.pop(claim.step_id, None)
            stats.skipped += len(live)
            log.info("reminders %s (interview %d): nothing left to remind of", _ids(live), interview_id)
            return None
        if self.stopping:
            await self.release(live, stats)
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
            self.inflight.pop(claim.step_id, None)
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
            self.inflight.pop(claim.step_id, None)
        stats.retried += len(claims)
        log.info(
            "reminders %s (interview %d): %s; try %d, again in %.1f s",
            _ids(claims), claims[0].interview_id, reason, attempt + 1, wait,
        )

    async def _failed(self, claims: list[ClaimedReminder], reason: str, stats: RunStats) -> None:
        await asyncio.gather(*(self.store.record_failed(c.step_id, c.claim_token, reason) for c in claims))
        for claim in claims:
            self.inflight.pop(claim.step_id, None)
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
            log.error("reminders %s: could not apply what they change (%s)", _ids(claims), describe(exc))

    async def release(self, claims: Iterable[ClaimedReminder], stats: RunStats) -> None:
        pending = [c for c in claims if c.step_id in self.inflight]
        for claim in pending:
            self.inflight.pop(claim.step_id, None)
        if not pending:
            return
        stats.released += len(pending)
        if isinstance(self.store, ReleasingStore):
            await self.store.release_claims([(c.step_id, c.claim_token) for c in pending])
            log.info("reminders %s: released for another run", _ids(pending))
        else:
            log.info("reminders %s: left to their lease", _ids(pending))


def describe(exc: BaseException) -> str:
    """An error's kind, for the log: its class and its cause's, never its message (a database
    error's message carries the statement's parameters: claim tokens, user text)."""
    cause = getattr(exc, "orig", None) or exc.__cause__
    name = type(exc).__name__
    return f"{name} from {type(cause).__name__}" if cause is not None else name


def _ids(claims: Iterable[ClaimedReminder]) -> str:
    return ",".join(str(c.step_id) for c in claims)
