"""The store's reads: what a use case loads, as bot.domain values, in a few flat queries.

Interviews load with their interviewers and steps in three queries (one per table, never one per
interview); every command starts from one read of the member, their community's defaults and
whether a reminder failed to reach them; a list reads each interview with its next step in one.
The statements are built once, here; SQLAlchemy caches their compiled form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, false, literal_column, select

from bot.domain import (
    CommunityDefaults,
    Delivery,
    Interview,
    InterviewStatus,
    InterviewSummary,
    Step,
    StepKind,
    StepStatus,
    UserSettings,
)
from storage.connection import Statements
from storage.mapping import (
    DEFAULTS_KEYS,
    INTERVIEW_COLUMNS,
    INTERVIEW_STATUS,
    INTERVIEWER_COLUMNS,
    STEP_COLUMNS,
    USER_KEYS,
    defaults_from,
    interview_from,
    interviewer_from,
    step_from,
    user_from,
)
from storage.models import community_defaults_table as defaults_t
from storage.models import interviewers_table as interviewers_t
from storage.models import interviews_table as interviews_t
from storage.models import reminders_table as reminders
from storage.models import users_table as users


@dataclass(frozen=True)
class _Aggregate:
    """The three reads that load interviews with their interviewers and steps."""

    interviews: Select[Any]
    interviewers: Select[Any]
    steps: Select[Any]
    single: bool  # children by the one interview's id (param interview_id) instead of `params`


def _aggregate(*where: ColumnElement[bool], single: bool = False, steps_by_user: bool = False) -> _Aggregate:
    chosen = select(*INTERVIEW_COLUMNS).where(*where).order_by(interviews_t.c.number)
    if single:
        people_filter = interviewers_t.c.interview_id == bindparam("interview_id")
        steps_filter = reminders.c.interview_id == bindparam("interview_id")
    else:
        ids = select(interviews_t.c.id).where(*where).scalar_subquery()
        people_filter = interviewers_t.c.interview_id.in_(ids)
        # Every step of the user's: the copy of user_id on each step spares the subquery.
        steps_filter = (
            reminders.c.user_id == bindparam("user_id") if steps_by_user else reminders.c.interview_id.in_(ids)
        )
    return _Aggregate(
        interviews=chosen,
        interviewers=(
            select(*INTERVIEWER_COLUMNS)
            .where(people_filter)
            .order_by(interviewers_t.c.interview_id, interviewers_t.c.position)
        ),
        steps=select(*STEP_COLUMNS).where(steps_filter).order_by(reminders.c.interview_id, reminders.c.id),
        single=single,
    )


_ONE_BY_NUMBER = _aggregate(
    interviews_t.c.user_id == bindparam("user_id"), interviews_t.c.number == bindparam("number"), single=True
)
_ONE_BY_ID = _aggregate(interviews_t.c.id == bindparam("interview_id"), single=True)
_ACTIVE_OF_USER = _aggregate(
    interviews_t.c.user_id == bindparam("user_id"), interviews_t.c.status == bindparam("status")
)
_ALL_OF_USER = _aggregate(interviews_t.c.user_id == bindparam("user_id"), steps_by_user=True)

# The reads every command makes.
_USER = (select(users).where(
    users.c.platform == bindparam("platform"),
    users.c.community == bindparam("community"),
    users.c.external_id == bindparam("external_id"),
))
_COMMUNITY_DEFAULTS = (select(defaults_t).where(
    defaults_t.c.platform == bindparam("platform"), defaults_t.c.community == bindparam("community")
))
_ANCHOR = select(literal_column("1").label("one")).subquery()
# The member, their community's defaults and whether a reminder failed to reach them: one read
# (a row even when neither the member nor the defaults exist yet).
_MEMBER = (
    select(
        *[c.label(f"u_{c.name}") for c in users.c],
        *[c.label(f"d_{c.name}") for c in defaults_t.c],
        exists(
            select(reminders.c.id).where(
                reminders.c.user_id == users.c.id,
                reminders.c.delivery == bindparam("failed"),
                reminders.c.user_told.is_(false()),
            )
        ).label("undelivered"),
    ).select_from(
        _ANCHOR.outerjoin(users, and_(
            users.c.platform == bindparam("platform"),
            users.c.community == bindparam("community"),
            users.c.external_id == bindparam("external_id"),
        )).outerjoin(defaults_t, and_(
            defaults_t.c.platform == bindparam("platform"), defaults_t.c.community == bindparam("community")
        ))
    )
)
# Each interview of a user's with its soonest open step (ties: the older step), the step chosen by
# a correlated subquery in an inner select so that both planners run it once per interview.
_next_step = reminders.alias("next_step")
_with_next = (
    select(
        interviews_t.c.id, interviews_t.c.number, interviews_t.c.company, interviews_t.c.role, interviews_t.c.status,
        select(_next_step.c.id)
        .where(_next_step.c.interview_id == interviews_t.c.id,
               _next_step.c.status.in_([bindparam("pending"), bindparam("snoozed")]))
        .order_by(_next_step.c.due_at, _next_step.c.id)
        .limit(1)
        .scalar_subquery()
        .label("next_id"),
    )
    .where(interviews_t.c.user_id == bindparam("user_id"))
)


def _summaries_read(active_only: bool) -> Select[Any]:
    chosen = (_with_next.where(interviews_t.c.status == bindparam("active")) if active_only else _with_next).subquery()
    return (
        select(chosen.c.id, chosen.c.number, chosen.c.company, chosen.c.role, chosen.c.status, *STEP_COLUMNS)
        .select_from(chosen.outerjoin(reminders, reminders.c.id == chosen.c.next_id))
    )


_ACTIVE_SUMMARIES = _summaries_read(active_only=True)
_ALL_SUMMARIES = _summaries_read(active_only=False)
_NOT_THANKED = (
    select(interviewers_t.c.interview_id, interviewers_t.c.name)
    .select_from(interviewers_t.join(interviews_t, interviews_t.c.id == interviewers_t.c.interview_id))
    .where(interviews_t.c.user_id == bindparam("user_id"), interviewers_t.c.thanked_at.is_(None))
    .order_by(interviewers_t.c.interview_id, interviewers_t.c.position)
)
_USER_WIDTH = len(USER_KEYS)
_USER_ID_AT, _DEFAULTS_PLATFORM_AT = USER_KEYS.index("id"), DEFAULTS_KEYS.index("platform")
_UNDELIVERED = (
    select(*STEP_COLUMNS)
    .where(
        reminders.c.user_id == bindparam("user_id"),
        reminders.c.delivery == bindparam("failed"),
        reminders.c.user_told.is_(false()),
    )
    .order_by(reminders.c.id)
)


class Reads:
    """The reading methods of bot.ports.StoreSession, on the session's connection."""

    _conn: Statements
    read_only: bool = False

    async def user(self, platform: str, community: str, external_id: str) -> UserSettings | None:
        params = {"platform": platform, "community": community, "external_id": external_id}
        row = (await self._conn.execute(_USER, params)).first()
        return user_from(dict(zip(USER_KEYS, row, strict=True))) if row is not None else None

    async def user_by_id(self, user_id: int) -> UserSettings | None:
        row = (await self._conn.execute(select(users).where(users.c.id == user_id))).first()
        return user_from(dict(zip(USER_KEYS, row, strict=True))) if row is not None else None

    async def member(
        self, platform: str, community: str, external_id: str
    ) -> tuple[UserSettings | None, CommunityDefaults | None, bool]:
        params = {"platform": platform, "community": community, "external_id": external_id,
                  "failed": Delivery.FAILED.value}
        row = (await self._conn.execute(_MEMBER, params)).one()
        user_part, defaults_part = row[:_USER_WIDTH], row[_USER_WIDTH:-1]
        user = defaults = None
        if user_part[_USER_ID_AT] is not None:
            user = user_from(dict(zip(USER_KEYS, user_part, strict=True)))
        if defaults_part[_DEFAULTS_PLATFORM_AT] is not None:
            defaults = defaults_from(dict(zip(DEFAULTS_KEYS, defaults_part, strict=True)))
        return user, defaults, bool(row[-1])

    async def community_defaults(self, platform: str, community: str) -> CommunityDefaults | None:
        params = {"platform": platform, "community": community}
        row = (await self._conn.execute(_COMMUNITY_DEFAULTS, params)).first()
        return defaults_from(dict(zip(DEFAULTS_KEYS, row, strict=True))) if row is not None else None

    async def interview(self, user_id: int, number: int) -> Interview | None:
        found = await self._load(_ONE_BY_NUMBER, {"user_id": user_id, "number": number})
        return found[0] if found else None

    async def interview_by_id(self, interview_id: int) -> Interview | None:
        found = await self._load(_ONE_BY_ID, {"interview_id": interview_id})
        return found[0] if found else None

    async def interviews(self, user_id: int, include_closed: bool = False) -> list[Interview]:
        if include_closed:
            return await self._load(_ALL_OF_USER, {"user_id": user_id})
        return await self._load(_ACTIVE_OF_USER, {"user_id": user_id, "status": InterviewStatus.ACTIVE.value})

    async def summaries(self, user_id: int, include_closed: bool = False) -> list[InterviewSummary]:
        params = {"user_id": user_id, "pending": StepStatus.PENDING.value, "snoozed": StepStatus.SNOOZED.value,
                  "active": InterviewStatus.ACTIVE.value}
        rows = (await self._conn.execute(_ALL_SUMMARIES if include_closed else _ACTIVE_SUMMARIES, params)).all()
        out = [InterviewSummary(row[1], row[2], row[3], INTERVIEW_STATUS[row[4]],
                                step_from(row[5:]) if row[5] is not None else None) for row in rows]
        thanks = [i for i, s in enumerate(out) if s.next_step is not None and s.next_step.kind is StepKind.THANK_YOU]
        if thanks:  # who each thank-you is still owed to
            not_thanked: dict[int, list[str]] = {}
            for interview_id, name in await self._conn.execute(_NOT_THANKED, {"user_id": user_id}):
                not_thanked.setdefault(interview_id, []).append(name)
            for i in thanks:
                out[i] = replace(out[i], not_thanked=tuple(not_thanked.get(rows[i][0], ())))
        return out

    async def _load(self, reads: _Aggregate, params: dict[str, Any]) -> list[Interview]:
        """Interviews with their interviewers and steps, in three flat queries."""
        rows = (await self._conn.execute(reads.interviews, params)).all()
        if not rows:
            return []
        by_id: dict[int, Interview] = {}
        result: list[Interview] = []
        for row in rows:
            item = interview_from(row)
            by_id[row[0]] = item
            result.append(item)
        if reads.single:
            params = {"interview_id": rows[0][0]}
        for row in await self._conn.execute(reads.interviewers, params):
            by_id[row[1]].interviewers.append(interviewer_from(row))
        steps = reads.steps
        if self._conn.dialect.name == "postgresql" and not self.read_only:
            # Locked until the use case ends, so that what it saves is compared with what it read
            # (SQLite's transactions hold the write lock throughout already).
            steps = steps.with_for_update()
        for row in await self._conn.execute(steps, params):
            by_id[row[1]].steps.append(step_from(row))
        return result

    async def undelivered_steps(self, user_id: int) -> list[Step]:
        params = {"user_id": user_id, "failed": Delivery.FAILED.value}
        return [step_from(row) for row in await self._conn.execute(_UNDELIVERED, params)]


__all__ = ["Reads"]
