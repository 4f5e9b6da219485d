"""The dispatcher's side of a step the service writes: when a use case adds, moves or closes a
step, its delivery is planned here, in the use case's own transaction.

The service writes the schedule (storage.models.SCHEDULE_COLUMNS); these functions write only
delivery columns (storage.models.DELIVERY_COLUMNS), so each column has one writer: a DM waits for
an open step with a planned reminder (`notify_at`), and goes out at `send_at`, which starts as the
plan and from then on is the dispatcher's to move.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, literal, literal_column, null, update

from bot.domain import Delivery, DeliveryReport, StepStatus
from storage.connection import Statements
from storage.models import reminders_table as reminders

OPEN_STATUSES = (StepStatus.PENDING.value, StepStatus.SNOOZED.value)
# Written as a literal, so that both planners match the partial index ix_reminders_claim
# (platform, send_at) WHERE delivery = 'waiting'.
WAITING = reminders.c.delivery == literal_column("'waiting'")
OPEN = reminders.c.status.in_(OPEN_STATUSES)


def first_delivery(is_open: bool, notify_at: datetime | None) -> dict[str, Any]:
    """The delivery columns of a new step: a DM waits, to go out at the plan, if the step is open
    with a planned reminder."""
    waiting = is_open and notify_at is not None
    return {
        "delivery": (Delivery.WAITING if waiting else Delivery.NONE).value,
        "send_at": notify_at if waiting else None,
        "dm_count": 0,
        "attempts": 0,
        "last_error": None,
        "delivered_at": None,
        "user_told": False,
    }


def report(delivery: dict[str, Any]) -> DeliveryReport:
    return DeliveryReport(Delivery(delivery["delivery"]), delivery["last_error"], delivery["send_at"])


# After a reschedule: a DM waits (at the new plan) if the step is open with a notify_at; an open
# step whose DMs all went out stays delivered; otherwise nothing is to deliver. An old failure is
# forgotten (the user has since dealt with the step) and any claim is dropped.
_REPLANNED_WAITING = and_(OPEN, reminders.c.notify_at.is_not(None))
_REPLANNED = case(
    (_REPLANNED_WAITING, literal(Delivery.WAITING.value)),
    (and_(OPEN, reminders.c.dm_count > 0), literal(Delivery.DELIVERED.value)),
    else_=literal(Delivery.NONE.value),
)


async def replan(conn: Statements, step_ids: Sequence[int]) -> dict[int, DeliveryReport]:
    """The service moved or closed these steps (their notify_at or status, already written in
    this transaction): their delivery starts afresh. Returns where each delivery now stands."""
    if not step_ids:
        return {}
    rows = await conn.execute(
        update(reminders)
        .where(reminders.c.id.in_(list(step_ids)))
        .values(
            delivery=_REPLANNED,
            send_at=case((_REPLANNED_WAITING, reminders.c.notify_at), else_=null()),
            attempts=0,
            last_error=None,
            user_told=False,
            claimed_until=None,
            claim_token=None,
        )
        .returning(reminders.c.id, reminders.c.delivery, reminders.c.send_at)
    )
    return {row.id: DeliveryReport(Delivery(row.delivery), next_at=row.send_at) for row in rows}


async def mark_user_told(conn: Statements, step_ids: Sequence[int]) -> None:
    """The member has been told that these steps' reminders could not be delivered."""
    if step_ids:
        await conn.execute(update(reminders).where(reminders.c.id.in_(list(step_ids))).values(user_told=True))
