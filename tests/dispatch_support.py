"""Helpers for the dispatcher's tests: users, interviews and steps written through the store, a
renderer that says what a DM is for and how late it is, a look at a reminder's row, and a store
whose process dies between sending a DM and recording it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain import Interview, Interviewer, Step, StepKind, UserSettings
from bot.humanize import span
from bot.replies import Reply, Section
from storage.models import ReminderRow
from storage.store import SqlStore

T0 = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
LATE_AFTER = timedelta(minutes=10)


async def make_user(store: SqlStore, external_id: str = "U1", platform: str = "console", **fields: Any) -> UserSettings:
    async with store.transaction() as tx:
        user = UserSettings(platform=platform, community="local", external_id=external_id, **fields)
        return await tx.save_user(user)


async def add_interview(
    store: SqlStore, user: UserSettings, steps: Sequence[tuple[StepKind, datetime]], company: str = "Horizon",
    due_at: datetime | None = None,
) -> Interview:
    """An interview whose steps' reminders are due at the given times (due_at: the thank-you's
    24 h deadline, else the reminder time)."""
    assert user.id is not None
    interview = Interview(
        user_id=user.id,
        company=company,
        role="Marketing Coordinator",
        starts_at=T0 - timedelta(days=1),
        interviewers=[Interviewer(name="Jane Richardson", honorific="Ms.")],
        created_at=T0 - timedelta(days=1),
        steps=[Step(kind=kind, due_at=due_at or at, notify_at=at) for kind, at in steps],
    )
    async with store.transaction() as tx:
        return await tx.add_interview(interview)


class LatenessRender:
    """A stand-in for the service's reminder_message: names the interview and its due steps, and
    says how late the DM is. Returns None when none of the steps is open any more."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.calls: list[tuple[int, list[int], datetime]] = []

    async def __call__(self, interview_id: int, step_ids: list[int], now: datetime) -> Reply | None:
        self.calls.append((interview_id, list(step_ids), now))
        async with self.store.transaction() as tx:
            interview = await tx.interview_by_id(interview_id)
        if interview is None:
            return None
        due = [s for s in interview.steps if s.id in step_ids and s.is_open]
        if not due:
            return None
        reply = Reply(title=f"#{interview.number} {interview.company}: {', '.join(s.kind.value for s in due)}")
        late_by = max(now - at for s in due if (at := s.next_dm_at) is not None)
        if late_by > LATE_AFTER:
            reply.notices.append(f"This reminder is late: it was due {span(late_by)} ago.")
        for step in due:
            reply.sections.append(Section(f"step {step.id}: {step.kind.value}"))
        return reply


def step_ids_in(message: Reply) -> list[int]:
    """The step ids a LatenessRender message is for."""
    return [int(s.text.split()[1].rstrip(":")) for s in message.sections if s.text.startswith("step ")]


async def reminder_row(store: SqlStore, step_id: int) -> dict[str, Any]:
    async with store.engine.connect() as conn:
        row = (await conn.execute(select(ReminderRow.__table__).where(ReminderRow.id == step_id))).one()
    return dict(row._mapping)


class DiesBeforeRecording:
    """The real store, except that the process 'dies' right after the DM went out: the delivery
    is never written and the claim stays until its lease ends, as after a SIGKILL."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def record_delivered(self, *args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("killed between sending and recording")
