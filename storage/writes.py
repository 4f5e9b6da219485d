"""The store's writes: a use case's changes to members, their community's defaults and their
interviews, written as the few statements they need."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain import CommunityDefaults, Interview, Interviewer, Step, UserSettings
from storage import delivery_plan
from storage.connection import Statements
from storage.mapping import (
    INTERVIEWER_COLUMNS,
    defaults_values,
    interview_values,
    interviewer_values,
    schedule_values,
    user_values,
)
from storage.models import SCHEDULE_COLUMNS
from storage.models import community_defaults_table as defaults_t
from storage.models import interviewers_table as interviewers_t
from storage.models import interviews_table as interviews_t
from storage.models import reminders_table as reminders
from storage.models import users_table as users
from storage.reads import Reads

_SCHEDULE_COLUMNS = tuple(reminders.c[name] for name in SCHEDULE_COLUMNS if name != "version")

# An `add`'s statements, built once: each runs with its values as parameters, so SQLAlchemy finds
# its compiled form in the engine's cache instead of building a statement (and a cache key over
# every value) per call.
_NEXT_NUMBER = (
    select(func.coalesce(func.max(interviews_t.c.number), 0) + 1)
    .where(interviews_t.c.user_id == users.c.id)
    .scalar_subquery()
)
# The user's platform and next number. PostgreSQL: lock the user's row first (_LOCK_USER), then
# count (a count in the locking statement would read a snapshot from before the lock wait), so two
# concurrent adds cannot take the same number. SQLite: transactions are serialised (BEGIN
# IMMEDIATE), so one query does.
_PLATFORM_AND_NUMBER = select(users.c.platform, _NEXT_NUMBER).where(users.c.id == bindparam("user_id"))
_LOCK_USER = select(users.c.platform).where(users.c.id == bindparam("user_id")).with_for_update()
_INSERT_INTERVIEW = insert(interviews_t).returning(interviews_t.c.id)
_INSERT_INTERVIEWERS = insert(interviewers_t).returning(interviewers_t.c.id, sort_by_parameter_order=True)
_INSERT_STEPS = insert(reminders).returning(reminders.c.id, sort_by_parameter_order=True)


def _now() -> datetime:
    return datetime.now(UTC)


def _dialect_insert(conn: Statements, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class Writes(Reads):
    """The writing methods of bot.ports.StoreSession (reading what they must first)."""

    erased: bool

    async def save_user(self, user: UserSettings) -> UserSettings:
        values = user_values(user)
        if user.id is not None:
            if user.created_at is not None:
                values["created_at"] = user.created_at
            result = await self._conn.execute(update(users).where(users.c.id == user.id).values(**values))
            if result.rowcount != 1:
                raise LookupError(f"no user with id {user.id}")
            return user
        values["created_at"] = user.created_at or _now()
        stmt = (
            _dialect_insert(self._conn, users)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["platform", "community", "external_id"])
            .returning(users.c.id)
        )
        new_id = (await self._conn.execute(stmt)).scalar_one_or_none()
        if new_id is not None:
            user.id = new_id
            user.created_at = values["created_at"]
            return user
        # Someone else's transaction created this user first: theirs stands.
        existing = await self.user(user.platform, user.community, user.external_id)
        if existing is None:  # pragma: no cover - the conflicting row vanished meanwhile
            raise LookupError("the user was created and deleted concurrently")
        return existing

    async def save_community_defaults(self, defaults: CommunityDefaults) -> None:
        values = defaults_values(defaults)
        changes = {k: v for k, v in values.items() if k not in ("platform", "community")}
        stmt = (
            _dialect_insert(self._conn, defaults_t)
            .values(**values)
            .on_conflict_do_update(index_elements=["platform", "community"], set_=changes)
        )
        await self._conn.execute(stmt)

    async def add_interview(self, interview: Interview) -> Interview:
        params = {"user_id": interview.user_id}
        if self._conn.dialect.name == "sqlite":
            found = (await self._conn.execute(_PLATFORM_AND_NUMBER, params)).first()
        else:
            locked = (await self._conn.execute(_LOCK_USER, params)).first()
            found = None if locked is None else (await self._conn.execute(_PLATFORM_AND_NUMBER, params)).first()
        if found is None:
            raise LookupError(f"no user with id {interview.user_id}")
        platform, number = found
        created_at = interview.created_at or _now()
        values = interview_values(interview)
        values.update(user_id=interview.user_id, number=number, created_at=created_at)
        interview_id = (await self._conn.execute(_INSERT_INTERVIEW, values)).scalar_one()
        interview.id = interview_id
        interview.number = number
        interview.created_at = created_at
        await self._insert_interviewers(interview_id, list(enumerate(interview.interviewers)))
        await self._insert_steps(interview, platform, interview.steps)
        return interview

    async def save_interview(self, interview: Interview) -> Interview:
        if interview.id is None:
            raise ValueError("save_interview needs a stored interview (use add_interview for a new one)")
        result = await self._conn.execute(
            update(interviews_t)
            .where(interviews_t.c.id == interview.id, interviews_t.c.user_id == interview.user_id)
            .values(**interview_values(interview))
        )
        if result.rowcount != 1:
            raise LookupError(f"user {interview.user_id} has no interview with id {interview.id}")
        await self._save_interviewers(interview)
        await self._save_steps(interview)
        return interview

    async def _save_interviewers(self, interview: Interview) -> None:
        assert interview.id is not None
        stored = {
            row.id: row
            for row in await self._conn.execute(
                select(*INTERVIEWER_COLUMNS).where(interviewers_t.c.interview_id == interview.id)
            )
        }
        kept = {p.id for p in interview.interviewers if p.id is not None}
        gone = [pid for pid in stored if pid not in kept]
        if gone:
            await self._conn.execute(delete(interviewers_t).where(interviewers_t.c.id.in_(gone)))
        new: list[tuple[int, Interviewer]] = []
        for position, person in enumerate(interview.interviewers):
            if person.id is None:
                new.append((position, person))
                continue
            old = stored.get(person.id)
            if old is None:
                raise LookupError(f"interviewer {person.id} is not one of interview {interview.id}'s")
            values = interviewer_values(person, position)
            if any(getattr(old, k) != v for k, v in values.items()):
                await self._conn.execute(
                    update(interviewers_t).where(interviewers_t.c.id == person.id).values(**values)
                )
        await self._insert_interviewers(interview.id, new)

    async def _save_steps(self, interview: Interview) -> None:
        """Each stored step's schedule where the use case changed it (compared with the row as it
        is now: the use case's own transaction loaded it, and on PostgreSQL locked it, so no other
        writer came in between). A step moved or closed has its delivery planned afresh by the
        dispatcher's side of the table; new steps are inserted."""
        assert interview.id is not None
        current = {
            row.id: row
            for row in await self._conn.execute(
                select(reminders.c.id, *_SCHEDULE_COLUMNS).where(reminders.c.interview_id == interview.id)
            )
        }
        new: list[Step] = []
        moved: dict[int, Step] = {}
        for step in interview.steps:
            if step.id is None:
                new.append(step)
                continue
            row = current.get(step.id)
            if row is None:
                raise LookupError(f"step {step.id} is not one of interview {interview.id}'s")
            changed = {k: v for k, v in schedule_values(step).items() if getattr(row, k) != v}
            if changed:
                await self._conn.execute(
                    update(reminders).where(reminders.c.id == step.id)
                    .values(**changed, version=reminders.c.version + 1)
                )
                if "notify_at" in changed or "status" in changed:
                    moved[step.id] = step
        for step_id, report in (await delivery_plan.replan(self._conn, list(moved))).items():
            moved[step_id].reported = report
        if new:
            platform = (
                await self._conn.execute(select(users.c.platform).where(users.c.id == interview.user_id))
            ).scalar_one()
            await self._insert_steps(interview, platform, new)

    async def _insert_interviewers(self, interview_id: int, people: Iterable[tuple[int, Interviewer]]) -> None:
        people = list(people)
        if not people:
            return
        rows = [dict(interviewer_values(p, pos), interview_id=interview_id) for pos, p in people]
        ids = (await self._conn.execute(_INSERT_INTERVIEWERS, rows)).scalars()
        for (_, person), new_id in zip(people, ids, strict=True):
            person.id = new_id

    async def _insert_steps(self, interview: Interview, platform: str, steps: Sequence[Step]) -> None:
        if not steps:
            return
        assert interview.id is not None
        now = _now()
        rows = []
        for step in steps:
            step.created_at = step.created_at or now
            step.interview_id = interview.id
            delivery = delivery_plan.first_delivery(step.is_open, step.notify_at)
            step.dm_count, step.reported = 0, delivery_plan.report(delivery)
            rows.append(
                dict(
                    schedule_values(step),
                    **delivery,
                    interview_id=interview.id,
                    user_id=interview.user_id,
                    platform=platform,
                    created_at=step.created_at,
                    version=1,
                )
            )
        ids = (await self._conn.execute(_INSERT_STEPS, rows)).scalars()
        for step, new_id in zip(steps, ids, strict=True):
            step.id = new_id

    async def mark_user_told(self, step_ids: list[int]) -> None:
        await delivery_plan.mark_user_told(self._conn, step_ids)

    async def forget_user(self, user_id: int) -> int:
        """Delete the user and everything of theirs, child rows first (so the count is exact
        whatever the foreign keys do); returns how many rows went."""
        theirs = select(interviews_t.c.id).where(interviews_t.c.user_id == user_id).scalar_subquery()
        total = 0
        for stmt in (
            delete(reminders).where(reminders.c.user_id == user_id),
            delete(interviewers_t).where(interviewers_t.c.interview_id.in_(theirs)),
            delete(interviews_t).where(interviews_t.c.user_id == user_id),
            delete(users).where(users.c.id == user_id),
        ):
            result = await self._conn.execute(stmt)
            total += max(result.rowcount, 0)
        self.erased = True
        return total


__all__ = ["Writes"]
