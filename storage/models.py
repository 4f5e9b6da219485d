"""The database tables, as SQLAlchemy 2 typed models.

Every datetime is stored in UTC and comes back timezone-aware in UTC (`UTCDateTime`). Enumerated
values (statuses, kinds, tones) are stored as their plain string values, so adding a value needs
no migration. The store (storage/store.py) converts rows to and from bot.domain's dataclasses; no
ORM object ever leaves the storage package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    Interval,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations (and SQLite batch migrations) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The dispatcher's claim index covers only rows with a reminder to send; its predicate, shared by
# the model and the migration. A query must say `delivery = 'waiting'` (literal or bound) to use it.
WAITING_PREDICATE = "delivery = 'waiting'"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC.

    PostgreSQL: `timestamp with time zone`. SQLite: text without a zone (always UTC, always with
    microseconds, so that text order is time order). Naive datetimes are refused: the core's times
    are aware, and guessing a zone would silently shift a reminder.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: the store keeps timezone-aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return _to_utc(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], datetime | None]:
        # One plain function per value instead of the impl's processor plus the decorator's: a
        # user's list reads a few thousand of these.
        return _sqlite_to_utc if dialect.name == "sqlite" else _to_utc


def _to_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


def _sqlite_to_utc(value: str | datetime | None, _parse: Callable[[str], datetime] = datetime.fromisoformat) -> (
    datetime | None
):
    """SQLite keeps text such as '2026-12-01 14:30:00.000000' (26 characters), always UTC."""
    if value is None:
        return None
    if value.__class__ is str and len(value) <= 26:  # no offset: the common case, kept quick
        try:
            # Parsing with the offset is several times faster than datetime.replace(tzinfo=...).
            return _parse(value + "+00:00")  # type: ignore[operator]
        except ValueError:
            pass
    return _to_utc(_parse(value) if isinstance(value, str) else value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Base):
    """A member of a community, as the bot knows them (bot.domain.UserSettings)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "community", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    community: Mapped[str] = mapped_column(String(128))
    external_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    tz: Mapped[str | None] = mapped_column(String(64))
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    morning: Mapped[time | None] = mapped_column(Time)
    tone: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # left the workspace/server
    date_order: Mapped[str | None] = mapped_column(String(16))  # "day-first" / "month-first"; None: locale's

    interviews: Mapped[list[InterviewRow]] = relationship(
        back_populates="user", passive_deletes=True, order_by="InterviewRow.number"
    )


class CommunityDefaultsRow(Base):
    """A workspace's or server's defaults (bot.domain.CommunityDefaults)."""

    __tablename__ = "community_defaults"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    community: Mapped[str] = mapped_column(String(128), primary_key=True)
    check_in_days: Mapped[int] = mapped_column(Integer)
    check_in_2_days: Mapped[int] = mapped_column(Integer)
    stay_in_touch_weeks: Mapped[int] = mapped_column(Integer)
    quiet_start: Mapped[time] = mapped_column(Time)
    quiet_end: Mapped[time] = mapped_column(Time)
    morning: Mapped[time] = mapped_column(Time)
    tone: Mapped[str] = mapped_column(String(16))
    retention_days: Mapped[int | None] = mapped_column(Integer)


class InterviewRow(Base):
    """An interview (bot.domain.Interview); `number` is the user's own, from 1."""

    __tablename__ = "interviews"
    __table_args__ = (
        UniqueConstraint("user_id", "number"),
        Index("ix_interviews_user_id_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    company: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration: Mapped[timedelta] = mapped_column(Interval)
    topics: Mapped[list[str]] = mapped_column(JSON)
    decision_on: Mapped[date | None] = mapped_column(Date)
    promised: Mapped[str | None] = mapped_column(Text)
    their_promise: Mapped[str | None] = mapped_column(Text)  # what the employer said they would do
    point: Mapped[str | None] = mapped_column(Text)
    news: Mapped[str | None] = mapped_column(Text)  # the stay-in-touch note's hook
    notes_round: Mapped[dict[str, int] | None] = mapped_column(JSON)  # bot.domain.Interview.notes_round
    tone: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer)
    offer_deadline: Mapped[date | None] = mapped_column(Date)
    heard_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[UserRow] = relationship(back_populates="interviews")
    interviewers: Mapped[list[InterviewerRow]] = relationship(
        back_populates="interview", passive_deletes=True, order_by="InterviewerRow.position"
    )
    reminders: Mapped[list[ReminderRow]] = relationship(
        back_populates="interview", passive_deletes=True, order_by="ReminderRow.id"
    )


class InterviewerRow(Base):
    """One person the user met (bot.domain.Interviewer), in the order the user gave them."""

    __tablename__ = "interviewers"
    __table_args__ = (Index("ix_interviewers_interview_id_position", "interview_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    honorific: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(Text)
    recruiter: Mapped[bool] = mapped_column(Boolean)
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    interview: Mapped[InterviewRow] = relationship(back_populates="interviewers")


class ReminderRow(Base):
    """A follow-up step of an interview (bot.domain.Step) and the delivery of its reminder DM.

    One writer per column (SCHEDULE_COLUMNS, DELIVERY_COLUMNS): the service owns the schedule
    (kind .. created_at; `notify_at` is when the follow-up rules plan the next reminder DM) and
    bumps `version` on every change it makes; the dispatcher's queue owns the delivery fields, the
    claim (claimed_until, claim_token) and `send_at`, when it sends the next DM (the plan, moved by
    a retry or a thank-you's last call).
    `user_id` and `platform` are copies of the interview's user's, for the dispatcher's claim and
    for per-user queries without a join.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_interview_id_due_at", "interview_id", "due_at"),
        Index("ix_reminders_user_id_delivery", "user_id", "delivery"),
        Index(
            "ix_reminders_claim",
            "platform",
            "send_at",
            postgresql_where=text(WAITING_PREDICATE),
            sqlite_where=text(WAITING_PREDICATE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    # schedule (service-owned)
    kind: Mapped[str] = mapped_column(String(32))
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notify_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # delivery (dispatcher-owned)
    delivery: Mapped[str] = mapped_column(String(16))
    dm_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_told: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    interview: Mapped[InterviewRow] = relationship(back_populates="reminders")


# The same tables for queries written in SQLAlchemy Core (the store, the claim queries, statistics).
users_table = cast(Table, UserRow.__table__)
community_defaults_table = cast(Table, CommunityDefaultsRow.__table__)
interviews_table = cast(Table, InterviewRow.__table__)
interviewers_table = cast(Table, InterviewerRow.__table__)
reminders_table = cast(Table, ReminderRow.__table__)


__all__ = [
    "users_table",
    "reminders_table",
    "interviews_table",
    "interviewers_table",
    "community_defaults_table",
    "WAITING_PREDICATE",
    "Base",
    "CommunityDefaultsRow",
    "InterviewRow",
    "InterviewerRow",
    "ReminderRow",
    "UTCDateTime",
    "UserRow",
]

# Who writes which column of `reminders`: the service (storage/writes.py, from a use case's Step)
# the schedule, the dispatcher's queue (storage/dispatch_queue.py) the delivery. Identity and
# copies (id, interview_id, user_id, platform, created_at) are written once, when a step is added.
SCHEDULE_COLUMNS = ("kind", "round", "status", "due_at", "notify_at", "sent_at", "version")
DELIVERY_COLUMNS = (
    "delivery", "dm_count", "attempts", "last_error", "delivered_at", "send_at", "user_told", "claimed_until",
    "claim_token",
)
