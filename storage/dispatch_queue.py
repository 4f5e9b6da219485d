"""The dispatcher's side of the `reminders` table: claim what is due, record what happened.

SqlStore's dispatcher methods delegate to its `DispatchQueue` with the same signatures. The queue
is the only writer of the delivery columns (storage.models.DELIVERY_COLUMNS: delivery, dm_count,
attempts, last_error, delivered_at, send_at, claimed_until, claim_token); the service writes a
step's schedule (its `notify_at` is the follow-up rules' plan) and, when it adds, reschedules or
closes one, has this module plan the step's delivery in the same transaction (delivery_plan.py).
`send_at` is when the next DM goes out: the plan at first, later a retry's time or a thank-you's
last call. Claims walk the index (platform, send_at).

Claiming is a lease: a claimed row carries `claimed_until` and a `claim_token`; a row whose lease
ran out (its worker crashed) is claimable again. PostgreSQL claims with one statement
(`SELECT ... FOR UPDATE SKIP LOCKED` feeding an `UPDATE ... RETURNING`), so concurrent dispatchers
take disjoint batches without waiting for each other. SQLite serialises writers: the store's
engine begins every transaction with `BEGIN IMMEDIATE` (storage/engine.py), so select-then-update
is atomic.

The token also pins the row's `version` (the service bumps it on every change it makes, and clears
the claim when it reschedules or closes a step): every `record_*` is conditional on both, so
neither a stale worker whose lease ran out nor a worker whose step the user snoozed, marked sent or
cancelled meanwhile can overwrite the row.

A dispatcher delivers many interviews at once; their `still_claimed` checks, and their `record_*`
writes, arriving together are served by one query and one transaction (storage/group_commit.py).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, cast, func, literal, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain import Delivery, StepKind
from bot.ports import ClaimedReminder, Recipient
from storage.delivery_plan import OPEN as _OPEN
from storage.delivery_plan import OPEN_STATUSES
from storage.delivery_plan import WAITING as _WAITING
from storage.group_commit import Answer, GroupCommit, Item
from storage.models import reminders_table as reminders
from storage.models import users_table as users

MAX_ERROR = 500


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    return or_(reminders.c.claimed_until.is_(None), reminders.c.claimed_until <= now)


def _split(token: str) -> tuple[str, int]:
    """`<claim id>.<row version>` -> (token, version). A malformed token matches nothing."""
    prefix, _, version = token.rpartition(".")
    try:
        return token, int(version) if prefix else -1
    except ValueError:
        return token, -1


def _owned(step_id: int, token: str) -> ColumnElement[bool]:
    token, version = _split(token)
    return and_(
        reminders.c.id == step_id,
        reminders.c.claim_token == token,
        reminders.c.version == version,
    )


@asynccontextmanager
async def _reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for reads that need no transaction: on PostgreSQL in autocommit (no BEGIN and
    ROLLBACK round trips); on SQLite a transaction the engine begins as usual, rolled back."""
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn
        else:
            try:
                yield conn
            finally:
                await conn.rollback()


# ---------------------------------------------------------------------------------------------
# When to wake


async def _next_send_at(engine: AsyncEngine, platforms: Iterable[str], now: datetime) -> datetime | None:
    """The earliest moment something of these platforms may be claimable: an open, waiting step's
    send_at, or for a step claimed right now, the end of its lease (so a crashed worker's rows
    are picked up as soon as the lease runs out).

    Cheap with a million pending rows: per platform, one walk of the claim index in send_at
    order that stops at the first unclaimed row; and, only when nothing is due now, the lease ends
    of the (few) rows that are due and claimed."""
    best: datetime | None = None
    async with _reading(engine) as conn:
        for platform in sorted(set(platforms)):
            mine = and_(_WAITING, reminders.c.platform == platform, reminders.c.send_at.is_not(None), _OPEN)
            first = (
                await conn.execute(
                    select(reminders.c.send_at)
                    .where(mine, _unclaimed(now))
                    .order_by(reminders.c.send_at)
                    .limit(1)
                )
            ).scalar_one_or_none()
            if first is None or first > now:
                lease_end = (
                    await conn.execute(
                        select(func.min(reminders.c.claimed_until)).where(
                            mine, reminders.c.send_at <= now, reminders.c.claimed_until > now
                        )
                    )
                ).scalar_one_or_none()
                if lease_end is not None and (first is None or lease_end < first):
                    first = lease_end
            if first is not None and (best is None or first < best):
                best = first
    return best


# ---------------------------------------------------------------------------------------------
# Claiming

_CLAIM_COLUMNS = (
    reminders.c.id,
    reminders.c.interview_id,
    reminders.c.user_id,
    reminders.c.platform,
    reminders.c.send_at,
    reminders.c.claim_token,
    reminders.c.attempts,
    reminders.c.kind,
    reminders.c.due_at,
    reminders.c.dm_count,
)


def _due(now: datetime, platform: str, limit: int) -> Any:
    """The oldest due, unclaimed steps of one platform: a walk of the claim index
    (platform, send_at) in its own order that stops after `limit` rows, however large the
    backlog (ordering by anything more, or by several platforms at once, would sort them all)."""
    return (
        select(reminders.c.id)
        .where(
            _WAITING,
            reminders.c.platform == platform,
            reminders.c.send_at <= now,
            _OPEN,
            _unclaimed(now),
        )
        .order_by(reminders.c.send_at)
        .limit(limit)
    )


def _claim(row: Any, community: str, external_id: str) -> ClaimedReminder:
    try:
        kind: StepKind | None = StepKind(row.kind)
    except ValueError:
        kind = None
    return ClaimedReminder(
        step_id=row.id,
        interview_id=row.interview_id,
        recipient=Recipient(
            user_id=row.user_id, platform=row.platform, community=community, external_id=external_id
        ),
        send_at=row.send_at,
        claim_token=row.claim_token,
        attempts=row.attempts,
        kind=kind,
        due_at=row.due_at,
        dm_count=row.dm_count,
    )


async def _claim_platform(
    engine: AsyncEngine, now: datetime, platform: str, limit: int, lease_seconds: float
) -> list[ClaimedReminder]:
    until = now + timedelta(seconds=lease_seconds)
    claim_id = uuid.uuid4().hex
    token = cast(literal(claim_id + ".", String) + cast(reminders.c.version, String), String(64))
    values = {"claimed_until": until, "claim_token": token}
    if engine.dialect.name == "postgresql":
        # One round trip: lock what is due (skipping rows other dispatchers hold), stamp it,
        # return it with its recipient.
        due = _due(now, platform, limit).with_for_update(skip_locked=True).cte("due")
        stmt = (
            update(reminders)
            .where(reminders.c.id == due.c.id, users.c.id == reminders.c.user_id)
            .values(values)
            .returning(*_CLAIM_COLUMNS, users.c.community, users.c.external_id)
        )
        async with engine.begin() as conn:
            rows = (await conn.execute(stmt)).all()
        return [_claim(row, row.community, row.external_id) for row in rows]
    # BEGIN IMMEDIATE (the engine's begin event): no other writer between select and update.
    async with engine.begin() as conn:
        ids = list((await conn.execute(_due(now, platform, limit))).scalars())
        if not ids:
            return []
        rows = (
            await conn.execute(
                update(reminders).where(reminders.c.id.in_(ids)).values(values).returning(*_CLAIM_COLUMNS)
            )
        ).all()
        people = {
            u.id: (u.community, u.external_id)
            for u in (
                await conn.execute(
                    select(users.c.id, users.c.community, users.c.external_id).where(
                        users.c.id.in_(sorted({row.user_id for row in rows}))
                    )
                )
            ).all()
        }
    return [_claim(row, *people[row.user_id]) for row in rows if row.user_id in people]


# ---------------------------------------------------------------------------------------------
# Checking and recording


async def _check_many(engine: AsyncEngine, items: list[tuple[int, str]]) -> list[bool]:
    ids = sorted({step_id for step_id, _ in items})
    stmt = select(reminders.c.id, reminders.c.claim_token, reminders.c.version, reminders.c.status).where(
        reminders.c.id.in_(ids), _WAITING
    )
    async with _reading(engine) as conn:
        rows = {row.id: row for row in (await conn.execute(stmt)).all()}
    answers = []
    for step_id, token in items:
        row = rows.get(step_id)
        _, version = _split(token)
        answers.append(
            row is not None and row.claim_token == token and row.version == version and row.status in OPEN_STATUSES
        )
    return answers


async def _release_claims(engine: AsyncEngine, claims: Sequence[tuple[int, str]]) -> int:
    """Hand back claims that will not be delivered by this worker (a graceful shutdown): they are
    claimable again at once. Returns how many were still ours."""
    if not claims:
        return 0
    released = 0
    async with engine.begin() as conn:
        for step_id, token in claims:
            result = await conn.execute(
                update(reminders).where(_owned(step_id, token)).values(claimed_until=None, claim_token=None)
            )
            released += max(result.rowcount or 0, 0)
    return released


def _bind(name: str, column: str) -> Any:
    return bindparam(name, type_=reminders.c[column].type)


_RELEASE: dict[str, Any] = {"claimed_until": None, "claim_token": None}
_DONE: dict[str, Any] = dict(_RELEASE, dm_count=reminders.c.dm_count + 1, attempts=0, last_error=None)
# One UPDATE per kind of outcome, run as an executemany over the rows a round records.
_OUTCOMES: dict[str, dict[str, Any]] = {
    "delivered": dict(
        _DONE, send_at=None, delivered_at=_bind("b_at", "delivered_at"), delivery=Delivery.DELIVERED.value
    ),
    "delivered-again": dict(
        _DONE,
        delivered_at=_bind("b_at", "delivered_at"),
        send_at=_bind("b_next", "send_at"),
        delivery=Delivery.WAITING.value,
    ),
    "retry": dict(
        _RELEASE,
        send_at=_bind("b_next", "send_at"),
        attempts=reminders.c.attempts + 1,
        last_error=_bind("b_error", "last_error"),
    ),
    "failed": dict(
        _RELEASE,
        send_at=None,
        delivery=Delivery.FAILED.value,
        attempts=reminders.c.attempts + 1,
        last_error=_bind("b_error", "last_error"),
        user_told=False,
    ),
}
_UPDATES = {
    outcome: update(reminders)
    .where(reminders.c.id == bindparam("b_id"), reminders.c.claim_token == bindparam("b_token"))
    .values(values)
    for outcome, values in _OUTCOMES.items()
}

Record = tuple[str, int, str, dict[str, Any]]


RECORD_TRIES = 4


def _transient(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return any(sign in text for sign in ("deadlock", "could not serialize", "database is locked", "lock timeout"))


async def _record_many(engine: AsyncEngine, items: list[Record]) -> list[bool]:
    """In one transaction: lock the rows, keep those still ours (token and version), and write
    each kind of outcome with one executemany."""
    ids = sorted({step_id for _, step_id, _, _ in items})
    current = (
        select(reminders.c.id, reminders.c.claim_token, reminders.c.version)
        .where(reminders.c.id.in_(ids))
        .order_by(reminders.c.id)  # locks taken in one order by every dispatcher
    )
    if engine.dialect.name == "postgresql":
        current = current.with_for_update()
    async with engine.begin() as conn:
        rows = {row.id: (row.claim_token, row.version) for row in (await conn.execute(current)).all()}
        answers: list[bool] = []
        batches: dict[str, list[dict[str, Any]]] = {}
        taken: set[int] = set()
        for outcome, step_id, token, params in items:
            ours = rows.get(step_id) == _split(token) and step_id not in taken
            answers.append(ours)
            if ours:
                taken.add(step_id)
                batches.setdefault(outcome, []).append(dict(params, b_id=step_id, b_token=token))
        for outcome, batch in batches.items():
            await conn.execute(_UPDATES[outcome], batch)
    return answers


class DispatchQueue:
    """The dispatcher's store port on one engine: claims, checks and records. Its only state is
    which platform claims first next time (taking turns) and the group commits under way."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._next_platform = 0
        self._batchers: dict[tuple[int, str], GroupCommit[Any, Any]] = {}

    async def next_send_at(self, platforms: Iterable[str], now: datetime) -> datetime | None:
        return await _next_send_at(self.engine, platforms, now)

    async def claim_due(
        self, now: datetime, platforms: Iterable[str], limit: int, lease_seconds: float
    ) -> list[ClaimedReminder]:
        """Claim up to `limit` open, waiting steps due at `now` (oldest first, platform by
        platform, starting with a different platform each time) whose claim is absent or expired,
        for `lease_seconds`."""
        wanted = sorted(set(platforms))
        if not wanted or limit <= 0:
            return []
        self._next_platform = (self._next_platform + 1) % len(wanted)
        order = wanted[self._next_platform:] + wanted[: self._next_platform]
        claims: list[ClaimedReminder] = []
        for platform in order:
            if len(claims) >= limit:
                break
            claims.extend(await _claim_platform(self.engine, now, platform, limit - len(claims), lease_seconds))
        claims.sort(key=lambda c: (c.send_at, c.step_id))
        return claims

    async def still_claimed(self, step_id: int, claim_token: str) -> bool:
        """The claim holds (same token, the row unchanged since) and the step is open and waiting."""
        return bool(await self._batcher("check", self._check_many).submit((step_id, claim_token)))

    async def _check_many(self, items: list[tuple[int, str]]) -> list[bool]:
        return await _check_many(self.engine, items)

    async def record_delivered(
        self, step_id: int, claim_token: str, now: datetime, next_send_at: datetime | None
    ) -> bool:
        """The DM went out: one more DM counted; the next DM planned (a thank-you's last call) or
        the step's delivery done. Releases the claim. False if the claim was no longer ours."""
        if next_send_at is not None:
            return await self._record("delivered-again", step_id, claim_token, {"b_at": now, "b_next": next_send_at})
        return await self._record("delivered", step_id, claim_token, {"b_at": now})

    async def record_retry(self, step_id: int, claim_token: str, retry_at: datetime, error: str) -> bool:
        """A try failed for now: the step waits until `retry_at`, one more attempt counted, the
        reason kept. Releases the claim."""
        return await self._record("retry", step_id, claim_token, {"b_next": retry_at, "b_error": error[:MAX_ERROR]})

    async def record_failed(self, step_id: int, claim_token: str, error: str) -> bool:
        """Given up (a permanent refusal, or too many tries): the step stays open, its delivery is
        failed with the reason, and the user is to be told the next time they use a command."""
        return await self._record("failed", step_id, claim_token, {"b_error": error[:MAX_ERROR]})

    async def release_claims(self, claims: Sequence[tuple[int, str]]) -> int:
        return await _release_claims(self.engine, claims)

    async def _record(self, outcome: str, step_id: int, claim_token: str, params: dict[str, Any]) -> bool:
        """One conditional UPDATE; concurrent calls share one transaction (a group commit), and
        each returns once the transaction holding its write has committed."""
        batcher = self._batcher("record", self._record_with_retries)
        return bool(await batcher.submit((outcome, step_id, claim_token, params)))

    async def _record_with_retries(self, items: list[Record]) -> list[bool]:
        """A DM that went out must be written down, or it goes out again when the lease ends: a
        round that fails on a transient error (a deadlock with a user's command, a busy database)
        is tried again. Every write is conditional on the claim, so a retry cannot write twice."""
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                return await _record_many(self.engine, items)
            except DBAPIError as exc:
                if attempt == RECORD_TRIES or not (exc.connection_invalidated or _transient(exc)):
                    raise
                await asyncio.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    def _batcher(self, name: str, run: Callable[[list[Item]], Awaitable[list[Answer]]]) -> GroupCommit[Item, Answer]:
        """This queue's batcher for `name` in the running event loop."""
        key = (id(asyncio.get_running_loop()), name)
        found = self._batchers.get(key)
        if found is None:
            for stale in [k for k, b in self._batchers.items() if k[1] == name and b.idle]:
                del self._batchers[stale]
            found = self._batchers[key] = GroupCommit(run)
        return found


__all__ = ["DispatchQueue"]
