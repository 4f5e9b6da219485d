"""Claims on due reminders: when the next one falls due, claiming a batch with a lease, checking
a claim still holds, and handing claims back.

A claimed row carries `claimed_until` and a `claim_token`; a row whose lease ran out (its worker
crashed) is claimable again. PostgreSQL claims with one statement (`SELECT ... FOR UPDATE SKIP
LOCKED` feeding an `UPDATE ... RETURNING`), so concurrent dispatchers take disjoint batches without
waiting for each other. SQLite serialises writers: the store's engine begins every transaction
with `BEGIN IMMEDIATE` (storage/engine.py), so select-then-update is atomic.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain import StepKind
from bot.ports import ClaimedReminder, Recipient
from storage.delivery_plan import OPEN as _OPEN
from storage.delivery_plan import OPEN_STATUSES
from storage.delivery_plan import WAITING as _WAITING
from storage.models import reminders_table as reminders
from storage.models import users_table as users


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    return or_(reminders.c.claimed_until.is_(None), reminders.c.claimed_until <= now)


def split_token(token: str) -> tuple[str, int]:
    """`<claim id>.<row version>` -> (token, version). A malformed token matches nothing."""
    prefix, _, version = token.rpartition(".")
    try:
        return token, int(version) if prefix else -1
    except ValueError:
        return token, -1


def _owned(step_id: int, token: str) -> ColumnElement[bool]:
    token, version = split_token(token)
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


async def next_send_at(engine: AsyncEngine, platforms: Iterable[str], now: datetime) -> datetime | None:
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


async def claim_platform(
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


async def check_many(engine: AsyncEngine, items: list[tuple[int, str]]) -> list[bool]:
    ids = sorted({step_id for step_id, _ in items})
    stmt = select(reminders.c.id, reminders.c.claim_token, reminders.c.version, reminders.c.status).where(
        reminders.c.id.in_(ids), _WAITING
    )
    async with _reading(engine) as conn:
        rows = {row.id: row for row in (await conn.execute(stmt)).all()}
    answers = []
    for step_id, token in items:
        row = rows.get(step_id)
        _, version = split_token(token)
        answers.append(
            row is not None and row.claim_token == token and row.version == version and row.status in OPEN_STATUSES
        )
    return answers


async def release_claims(engine: AsyncEngine, claims: Sequence[tuple[int, str]]) -> int:
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
