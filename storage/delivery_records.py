"""What happened to a claimed reminder, written down: delivered (and perhaps a last call planned),
to be tried again later, or failed for good. Every write is conditional on the claim (its token
and the row's version), so a stale worker, or one whose step the member changed meanwhile, writes
nothing. The writes of one round share a transaction: one UPDATE per kind of outcome, run as an
executemany."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Delivery
from storage.claims import split_token
from storage.models import reminders_table as reminders

MAX_ERROR = 500


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


def transient(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return any(sign in text for sign in ("deadlock", "could not serialize", "database is locked", "lock timeout"))


async def record_many(engine: AsyncEngine, items: list[Record]) -> list[bool]:
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
            ours = rows.get(step_id) == split_token(token) and step_id not in taken
            answers.append(ours)
            if ours:
                taken.add(step_id)
                batches.setdefault(outcome, []).append(dict(params, b_id=step_id, b_token=token))
        for outcome, batch in batches.items():
            await conn.execute(_UPDATES[outcome], batch)
    return answers
