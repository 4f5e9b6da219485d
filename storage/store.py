"""The Store the core's ports ask for, on SQLAlchemy's asyncio engine (SQLite or PostgreSQL).

`SqlStore(url)` opens an engine; `async with store.transaction() as tx:` is one database
transaction (commit on success, rollback on an exception) whose methods take and return
bot.domain dataclasses. Reads are flat Core queries (one per table, never one per interview), so a
user's list loads in three queries however many interviews they have.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain import (
    CommunityDefaults,
    Delivery,
    Interview,
    Interviewer,
    InterviewKind,
    InterviewStatus,
    InterviewSummary,
    Step,
    StepKind,
    StepStatus,
    Tone,
    UserSettings,
)
from bot.ports import ClaimedReminder, Store, StoreSession
from storage import dispatch_queue
from storage.career_center_store import CareerCenterQueries
from storage.engine import NO_BEGIN, create_store_engine
from storage.models import community_defaults_table as defaults_t
from storage.models import interviewers_table as interviewers_t
from storage.models import interviews_table as interviews_t
from storage.models import reminders_table as reminders
from storage.models import users_table as users
from storage.proofread_store import ProofreadQueries

log = logging.getLogger(__name__)

# The columns each read selects, in the order the row converters below unpack them.
_INTERVIEW_COLUMNS = tuple(
    interviews_t.c[name]
    for name in (
        "id", "user_id", "number", "company", "role", "starts_at", "duration", "topics", "decision_on",
        "promised", "point", "tone", "kind", "status", "round", "offer_deadline", "heard_at", "created_at",
    )
)
_INTERVIEWER_COLUMNS = tuple(
    interviewers_t.c[name]
    for name in ("id", "interview_id", "position", "name", "honorific", "title", "email", "topic", "recruiter",
                 "thanked_at")
)
# Every field of bot.domain.Step (not the claim, nor the version).
_STEP_COLUMNS = tuple(
    reminders.c[name]
    for name in (
        "id", "interview_id", "kind", "round", "status", "due_at", "notify_at", "sent_at", "created_at",
        "delivery", "dm_count", "attempts", "last_error", "delivered_at", "user_told",
    )
)

# Enum values by their stored text: a dict lookup is much cheaper than calling the enum.
_TONE = {t.value: t for t in Tone}
_INTERVIEW_KIND = {k.value: k for k in InterviewKind}
_INTERVIEW_STATUS = {s.value: s for s in InterviewStatus}
_STEP_KIND = {k.value: k for k in StepKind}
_STEP_STATUS = {s.value: s for s in StepStatus}
_DELIVERY = {d.value: d for d in Delivery}

_STEP_INDEX = {column.name: i for i, column in enumerate(_STEP_COLUMNS)}

# A result row, read by position or by column name.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


@dataclass(frozen=True)
class _Aggregate:
    """The three reads that load interviews with their interviewers and steps."""

    interviews: Select[Any]
    interviewers: Select[Any]
    steps: Select[Any]
    single: bool  # children by the one interview's id (param interview_id) instead of `params`


def _aggregate(*where: ColumnElement[bool], single: bool = False, steps_by_user: bool = False) -> _Aggregate:
    chosen = select(*_INTERVIEW_COLUMNS).where(*where).order_by(interviews_t.c.number)
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
            select(*_INTERVIEWER_COLUMNS)
            .where(people_filter)
            .order_by(interviewers_t.c.interview_id, interviewers_t.c.position)
        ),
        steps=select(*_STEP_COLUMNS).where(steps_filter).order_by(reminders.c.interview_id, reminders.c.id),
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
        select(chosen.c.id, chosen.c.number, chosen.c.company, chosen.c.role, chosen.c.status, *_STEP_COLUMNS)
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
_USER_KEYS = tuple(c.name for c in users.c)
_DEFAULTS_KEYS = tuple(c.name for c in defaults_t.c)
_USER_WIDTH = len(_USER_KEYS)
_USER_ID_AT, _DEFAULTS_PLATFORM_AT = _USER_KEYS.index("id"), _DEFAULTS_KEYS.index("platform")
_UNDELIVERED = (
    select(*_STEP_COLUMNS)
    .where(
        reminders.c.user_id == bindparam("user_id"),
        reminders.c.delivery == bindparam("failed"),
        reminders.c.user_told.is_(false()),
    )
    .order_by(reminders.c.id)
)


def _now() -> datetime:
    return datetime.now(UTC)


# ---- rows -> domain -----------------------------------------------------------------------------


def _user(row: Mapping[str, Any]) -> UserSettings:
    """A users row (its values by column name)."""
    return UserSettings(
        platform=row["platform"],
        community=row["community"],
        external_id=row["external_id"],
        name=row["name"],
        email=row["email"],
        phone=row["phone"],
        tz=row["tz"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        morning=row["morning"],
        tone=Tone(row["tone"]) if row["tone"] is not None else None,
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        left_at=row["left_at"],
        id=row["id"],
    )


def _defaults(row: Mapping[str, Any]) -> CommunityDefaults:
    """A community_defaults row (its values by column name)."""
    return CommunityDefaults(
        platform=row["platform"],
        community=row["community"],
        check_in_days=row["check_in_days"],
        check_in_2_days=row["check_in_2_days"],
        stay_in_touch_weeks=row["stay_in_touch_weeks"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        morning=row["morning"],
        tone=Tone(row["tone"]),
        retention_days=row["retention_days"],
    )


def _interview(row: Sequence[Any]) -> Interview:
    (id_, user_id, number, company, role, starts_at, duration, topics, decision_on, promised, point, tone, kind,
     status, round_, offer_deadline, heard_at, created_at) = row
    return Interview(
        user_id,
        company,
        role,
        starts_at,
        duration,
        [],
        list(topics or ()),
        decision_on,
        promised,
        point,
        _TONE[tone] if tone is not None else None,
        _INTERVIEW_KIND[kind],
        _INTERVIEW_STATUS[status],
        round_,
        offer_deadline,
        heard_at,
        created_at,
        [],
        number,
        id_,
    )


def _interviewer(row: Sequence[Any]) -> Interviewer:
    id_, _interview_id, _position, name, honorific, title, email, topic, recruiter, thanked_at = row
    return Interviewer(name, honorific, title, email, topic, bool(recruiter), thanked_at, id_)


def _step(row: Sequence[Any]) -> Step:
    (id_, interview_id, kind, round_, status, due_at, notify_at, sent_at, created_at, delivery, dm_count,
     attempts, last_error, delivered_at, user_told) = row
    return Step(
        _STEP_KIND[kind],
        due_at,
        notify_at,
        _STEP_STATUS[status],
        round_,
        sent_at,
        created_at,
        _DELIVERY[delivery],
        dm_count,
        attempts,
        last_error,
        delivered_at,
        bool(user_told),
        id_,
        interview_id,
    )


# ---- domain -> rows -----------------------------------------------------------------------------


def _user_values(user: UserSettings) -> dict[str, Any]:
    return {
        "platform": user.platform,
        "community": user.community,
        "external_id": user.external_id,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "tz": user.tz,
        "quiet_start": user.quiet_start,
        "quiet_end": user.quiet_end,
        "morning": user.morning,
        "tone": Tone(user.tone).value if user.tone is not None else None,
        "last_seen_at": user.last_seen_at,
        "left_at": user.left_at,
    }


def _defaults_values(d: CommunityDefaults) -> dict[str, Any]:
    return {
        "platform": d.platform,
        "community": d.community,
        "check_in_days": d.check_in_days,
        "check_in_2_days": d.check_in_2_days,
        "stay_in_touch_weeks": d.stay_in_touch_weeks,
        "quiet_start": d.quiet_start,
        "quiet_end": d.quiet_end,
        "morning": d.morning,
        "tone": Tone(d.tone).value,
        "retention_days": d.retention_days,
    }


def _interview_values(i: Interview) -> dict[str, Any]:
    return {
        "company": i.company,
        "role": i.role,
        "starts_at": i.starts_at,
        "duration": i.duration,
        "topics": list(i.topics),
        "decision_on": i.decision_on,
        "promised": i.promised,
        "point": i.point,
        "tone": Tone(i.tone).value if i.tone is not None else None,
        "kind": InterviewKind(i.kind).value,
        "status": InterviewStatus(i.status).value,
        "round": i.round,
        "offer_deadline": i.offer_deadline,
        "heard_at": i.heard_at,
    }


def _interviewer_values(person: Interviewer, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "name": person.name,
        "honorific": person.honorific,
        "title": person.title,
        "email": person.email,
        "topic": person.topic,
        "recruiter": bool(person.recruiter),
        "thanked_at": person.thanked_at,
    }


def _schedule_values(step: Step) -> dict[str, Any]:
    return {
        "kind": StepKind(step.kind).value,
        "round": step.round,
        "status": StepStatus(step.status).value,
        "due_at": step.due_at,
        "notify_at": step.notify_at,
        "sent_at": step.sent_at,
    }


def _delivery_for(step: Step, *, rescheduled: bool) -> Delivery:
    """Where a step's delivery stands after the service wrote it.

    An open step with a notify_at waits for its DM; otherwise nothing is waiting. A reschedule
    (notify_at or status changed) starts the delivery afresh, so an old failure is not reported
    for a step the user has since dealt with.
    """
    if StepStatus(step.status).is_open and step.notify_at is not None:
        return Delivery.WAITING
    if rescheduled or Delivery(step.delivery) is Delivery.WAITING:
        if StepStatus(step.status).is_open and step.dm_count > 0:
            return Delivery.DELIVERED
        return Delivery.NONE
    return Delivery(step.delivery)


def _copy_step(source: Step, target: Step) -> None:
    for f in fields(Step):
        setattr(target, f.name, getattr(source, f.name))


def _dialect_insert(conn: AsyncConnection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class SqlStoreSession(CareerCenterQueries, ProofreadQueries):
    """One transaction on one connection; implements bot.ports.StoreSession."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        # The schedule of each step as this transaction loaded it, so that save_interview writes
        # only what the service changed (and never undoes a concurrent dispatcher's write).
        self._loaded_steps: dict[int, Sequence[Any]] = {}

    @property
    def connection(self) -> AsyncConnection:
        """The transaction's connection, for storage code outside this class (same transaction)."""
        return self._conn

    # ---- users and community defaults -----------------------------------------------------------

    async def user(self, platform: str, community: str, external_id: str) -> UserSettings | None:
        params = {"platform": platform, "community": community, "external_id": external_id}
        row = (await self._conn.execute(_USER, params)).first()
        return _user(dict(zip(_USER_KEYS, row, strict=True))) if row is not None else None

    async def user_by_id(self, user_id: int) -> UserSettings | None:
        row = (await self._conn.execute(select(users).where(users.c.id == user_id))).first()
        return _user(dict(zip(_USER_KEYS, row, strict=True))) if row is not None else None

    async def save_user(self, user: UserSettings) -> UserSettings:
        values = _user_values(user)
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

    async def member(
        self, platform: str, community: str, external_id: str
    ) -> tuple[UserSettings | None, CommunityDefaults | None, bool]:
        params = {"platform": platform, "community": community, "external_id": external_id,
                  "failed": Delivery.FAILED.value}
        row = (await self._conn.execute(_MEMBER, params)).one()
        user_part, defaults_part = row[:_USER_WIDTH], row[_USER_WIDTH:-1]
        user = defaults = None
        if user_part[_USER_ID_AT] is not None:
            user = _user(dict(zip(_USER_KEYS, user_part, strict=True)))
        if defaults_part[_DEFAULTS_PLATFORM_AT] is not None:
            defaults = _defaults(dict(zip(_DEFAULTS_KEYS, defaults_part, strict=True)))
        return user, defaults, bool(row[-1])

    async def community_defaults(self, platform: str, community: str) -> CommunityDefaults | None:
        params = {"platform": platform, "community": community}
        row = (await self._conn.execute(_COMMUNITY_DEFAULTS, params)).first()
        return _defaults(dict(zip(_DEFAULTS_KEYS, row, strict=True))) if row is not None else None

    async def save_community_defaults(self, defaults: CommunityDefaults) -> None:
        values = _defaults_values(defaults)
        changes = {k: v for k, v in values.items() if k not in ("platform", "community")}
        stmt = (
            _dialect_insert(self._conn, defaults_t)
            .values(**values)
            .on_conflict_do_update(index_elements=["platform", "community"], set_=changes)
        )
        await self._conn.execute(stmt)

    # ---- interviews -----------------------------------------------------------------------------

    async def add_interview(self, interview: Interview) -> Interview:
        # The user's platform and next number. PostgreSQL: lock the user's row first, then count
        # (a count in the locking statement would read a snapshot from before the lock wait), so
        # two concurrent adds cannot take the same number. SQLite: transactions are serialised
        # (BEGIN IMMEDIATE), so one query does.
        next_number = (
            select(func.coalesce(func.max(interviews_t.c.number), 0) + 1)
            .where(interviews_t.c.user_id == users.c.id)
            .scalar_subquery()
        )
        if self._conn.dialect.name == "sqlite":
            found = (await self._conn.execute(
                select(users.c.platform, next_number).where(users.c.id == interview.user_id))).first()
        else:
            locked = (await self._conn.execute(
                select(users.c.platform).where(users.c.id == interview.user_id).with_for_update())).first()
            found = None if locked is None else (await self._conn.execute(
                select(users.c.platform, next_number).where(users.c.id == interview.user_id))).first()
        if found is None:
            raise LookupError(f"no user with id {interview.user_id}")
        platform, number = found
        created_at = interview.created_at or _now()
        values = _interview_values(interview)
        values.update(user_id=interview.user_id, number=number, created_at=created_at)
        interview_id = (
            await self._conn.execute(insert(interviews_t).values(**values).returning(interviews_t.c.id))
        ).scalar_one()
        interview.id = interview_id
        interview.number = number
        interview.created_at = created_at
        await self._insert_interviewers(interview_id, list(enumerate(interview.interviewers)))
        await self._insert_steps(interview, platform, interview.steps)
        return interview

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
        out = [InterviewSummary(row[1], row[2], row[3], _INTERVIEW_STATUS[row[4]],
                                _step(row[5:]) if row[5] is not None else None) for row in rows]
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
            item = _interview(row)
            by_id[row[0]] = item
            result.append(item)
        if reads.single:
            params = {"interview_id": rows[0][0]}
        for row in await self._conn.execute(reads.interviewers, params):
            by_id[row[1]].interviewers.append(_interviewer(row))
        loaded = self._loaded_steps
        for row in await self._conn.execute(reads.steps, params):
            by_id[row[1]].steps.append(_step(row))
            loaded[row[0]] = row
        return result

    async def save_interview(self, interview: Interview) -> Interview:
        if interview.id is None:
            raise ValueError("save_interview needs a stored interview (use add_interview for a new one)")
        result = await self._conn.execute(
            update(interviews_t)
            .where(interviews_t.c.id == interview.id, interviews_t.c.user_id == interview.user_id)
            .values(**_interview_values(interview))
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
                select(*_INTERVIEWER_COLUMNS).where(interviewers_t.c.interview_id == interview.id)
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
            values = _interviewer_values(person, position)
            if any(getattr(old, k) != v for k, v in values.items()):
                await self._conn.execute(
                    update(interviewers_t).where(interviewers_t.c.id == person.id).values(**values)
                )
        await self._insert_interviewers(interview.id, new)

    async def _save_steps(self, interview: Interview) -> None:
        assert interview.id is not None
        current = {
            row.id: row
            for row in await self._conn.execute(
                select(*_STEP_COLUMNS).where(reminders.c.interview_id == interview.id)
            )
        }
        new: list[Step] = []
        for step in interview.steps:
            if step.id is None:
                new.append(step)
                continue
            now_row = current.get(step.id)
            if now_row is None:
                raise LookupError(f"step {step.id} is not one of interview {interview.id}'s")
            baseline = self._loaded_steps.pop(step.id, now_row)
            changed = {k: v for k, v in _schedule_values(step).items() if baseline[_STEP_INDEX[k]] != v}
            # What the row holds once written: the service's changes over the database's values
            # (the dispatcher may have written the delivery fields, or notify_at, meanwhile).
            fresh = _step(now_row)
            if changed:
                for key in changed:
                    setattr(fresh, key, getattr(step, key))
                values: dict[str, Any] = dict(changed, version=reminders.c.version + 1)
                if "notify_at" in changed or "status" in changed:
                    fresh.delivery = _delivery_for(fresh, rescheduled=True)
                    fresh.attempts, fresh.last_error, fresh.user_told = 0, None, False
                    values.update(
                        delivery=fresh.delivery.value,
                        attempts=0,
                        last_error=None,
                        user_told=False,
                        claimed_until=None,
                        claim_token=None,
                    )
                await self._conn.execute(update(reminders).where(reminders.c.id == step.id).values(**values))
            _copy_step(fresh, step)
        if new:
            platform = (
                await self._conn.execute(select(users.c.platform).where(users.c.id == interview.user_id))
            ).scalar_one()
            await self._insert_steps(interview, platform, new)

    async def _insert_interviewers(self, interview_id: int, people: Iterable[tuple[int, Interviewer]]) -> None:
        people = list(people)
        if not people:
            return
        rows = [dict(_interviewer_values(p, pos), interview_id=interview_id) for pos, p in people]
        ids = (
            await self._conn.execute(
                insert(interviewers_t).returning(interviewers_t.c.id, sort_by_parameter_order=True), rows
            )
        ).scalars()
        for (_, person), new_id in zip(people, ids, strict=True):
            person.id = new_id

    async def _insert_steps(self, interview: Interview, platform: str, steps: Sequence[Step]) -> None:
        if not steps:
            return
        assert interview.id is not None
        now = _now()
        rows = []
        for step in steps:
            step.delivery = _delivery_for(step, rescheduled=False)
            step.created_at = step.created_at or now
            step.interview_id = interview.id
            rows.append(
                dict(
                    _schedule_values(step),
                    interview_id=interview.id,
                    user_id=interview.user_id,
                    platform=platform,
                    created_at=step.created_at,
                    delivery=step.delivery.value,
                    dm_count=step.dm_count,
                    attempts=step.attempts,
                    last_error=step.last_error,
                    delivered_at=step.delivered_at,
                    user_told=bool(step.user_told),
                    version=1,
                )
            )
        ids = (
            await self._conn.execute(insert(reminders).returning(reminders.c.id, sort_by_parameter_order=True), rows)
        ).scalars()
        for step, new_id in zip(steps, ids, strict=True):
            step.id = new_id

    # ---- delivery failures the user must hear of ------------------------------------------------

    async def undelivered_steps(self, user_id: int) -> list[Step]:
        params = {"user_id": user_id, "failed": Delivery.FAILED.value}
        return [_step(row) for row in await self._conn.execute(_UNDELIVERED, params)]

    async def mark_user_told(self, step_ids: list[int]) -> None:
        if step_ids:
            await self._conn.execute(
                update(reminders).where(reminders.c.id.in_(list(step_ids))).values(user_told=True)
            )

    # ---- forgetting -----------------------------------------------------------------------------

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
        self._loaded_steps.clear()
        self.erased = True
        return total


class SqlStore:
    """bot.ports.Store on SQLite (aiosqlite) or PostgreSQL (psycopg 3)."""

    def __init__(self, url: str, *, echo: bool = False, **engine_options: Any) -> None:
        self._engine = create_store_engine(url, echo=echo, **engine_options)

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlStoreSession]:
        async with self._engine.connect() as conn:
            async with conn.begin():
                session = SqlStoreSession(conn)
                yield session
        if session.erased:
            await self.wipe_erased()

    async def wipe_erased(self) -> None:
        """SQLite: make deleted rows unreadable in the files themselves. `secure_delete` (set on
        every connection) overwrites their bytes in the pages written since; a TRUNCATE checkpoint
        then copies those pages into the database file and empties the write-ahead log, where
        older copies of the rows were. PostgreSQL: nothing here (its own VACUUM reclaims space)."""
        if self._engine.dialect.name != "sqlite":
            return
        async with self._engine.connect() as conn:
            await conn.execution_options(**{NO_BEGIN: True})
            outcome = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        if outcome[0]:  # busy
            log.warning("the write-ahead log could not be emptied after a deletion (other connections busy); "
                        "the background checkpoint will copy it")

    # ---- the dispatcher's side (storage/dispatch_queue.py) ---------------------------------------

    async def next_notify_at(self, platforms: frozenset[str]) -> datetime | None:
        return await dispatch_queue.next_notify_at(self._engine, platforms)

    async def claim_due(
        self, now: datetime, platforms: frozenset[str], limit: int, lease_seconds: float
    ) -> list[ClaimedReminder]:
        return await dispatch_queue.claim_due(self._engine, now, platforms, limit, lease_seconds)

    async def still_claimed(self, step_id: int, claim_token: str) -> bool:
        return await dispatch_queue.still_claimed(self._engine, step_id, claim_token)

    async def record_delivered(
        self, step_id: int, claim_token: str, now: datetime, next_notify_at: datetime | None
    ) -> bool:
        return await dispatch_queue.record_delivered(self._engine, step_id, claim_token, now, next_notify_at)

    async def record_retry(self, step_id: int, claim_token: str, retry_at: datetime, error: str) -> None:
        await dispatch_queue.record_retry(self._engine, step_id, claim_token, retry_at, error)

    async def record_failed(self, step_id: int, claim_token: str, error: str) -> None:
        await dispatch_queue.record_failed(self._engine, step_id, claim_token, error)

    async def release_claims(self, claims: list[tuple[int, str]]) -> int:
        """Hand back (step_id, claim_token) claims the dispatcher will not deliver."""
        return await dispatch_queue.release_claims(self._engine, claims)

    async def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database (a PASSIVE checkpoint, which never
        waits for readers or writers). Run periodically in the background so commands never pay
        for it. PostgreSQL: nothing to do."""
        if self._engine.dialect.name != "sqlite":
            return
        async with self._engine.connect() as conn:
            # Outside a transaction: a checkpoint needs no write lock, and must not wait for one.
            await conn.execution_options(**{NO_BEGIN: True})
            (await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")).all()

    async def close(self) -> None:
        await self._engine.dispose()


def _conforms(store: SqlStore, session: SqlStoreSession) -> tuple[Store, StoreSession]:
    """Never called: makes mypy check that the classes implement the ports' protocols."""
    return store, session


__all__ = ["SqlStore", "SqlStoreSession"]
