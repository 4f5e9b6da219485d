"""The career center's queries, mixed into storage.store.SqlStoreSession: approved
template versions, aggregate statistics, and retention of members who left.

The statistics are aggregate SQL only (COUNT, COUNT DISTINCT, GROUP BY month): no row about one
member ever leaves the database for them. Months are calendar months in UTC, of the interview.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.career_center.records import CommunityStats, MonthFigures, Outcome, Tally, TemplateVersion
from bot.domain import StepKind, StepStatus
from storage.career_center_models import TemplateVersionRow
from storage.connection import Awaited, Statements
from storage.engine import READ_ONLY
from storage.models import community_defaults_table as defaults_t
from storage.models import interviewers_table as interviewers_t
from storage.models import interviews_table as interviews_t
from storage.models import reminders_table as reminders_t
from storage.models import users_table as users_t

versions_t = cast(Table, TemplateVersionRow.__table__)

FORMER_MEMBER = "(a former member)"
_PURGE_BATCH = 500
_OPEN = (StepStatus.PENDING.value, StepStatus.SNOOZED.value)


def _version(row: Any) -> TemplateVersion:
    return TemplateVersion(kind=row.kind, version=row.version, source=row.source, saved_by=row.saved_by,
                           saved_at=row.saved_at, active=bool(row.active))


def _month_text(value: Any) -> str:
    return value if isinstance(value, str) else f"{value:%Y-%m}"


def _summed(interviews_by: dict[str, dict[int, int]], steps_by: dict[str, dict[int, tuple[int, int, int]]],
            days_by: dict[str, dict[int, int]], outcomes: list[Outcome], first_month: str | None) -> CommunityStats:
    """Per-(month, member) partial counts -> the figures, each with how many members it is about."""
    all_members: set[int] = set()
    thank_you_members: set[int] = set()
    check_in_members: set[int] = set()
    totals = [0, 0, 0]  # interviews, thank-yous counted, on time
    overall_days: dict[int, int] = {}
    months: list[MonthFigures] = []
    for m in sorted(set(interviews_by) | set(steps_by) | set(days_by)):
        people = interviews_by.get(m, {})
        steps = steps_by.get(m, {})
        all_members.update(people)
        totals[0] += sum(people.values())
        ty_members = {u for u, (due, _, _) in steps.items() if due}
        ci_members = {u for u, (_, _, sent) in steps.items() if sent}
        thank_you_members |= ty_members
        check_in_members |= ci_members
        due = sum(v[0] for v in steps.values())
        in_time = sum(v[1] for v in steps.values())
        totals[1] += due
        totals[2] += in_time
        for d, count in days_by.get(m, {}).items():
            overall_days[d] = overall_days.get(d, 0) + count
        if first_month is None or m >= first_month:
            months.append(MonthFigures(
                month=m, interviews=Tally(sum(people.values()), len(people)), thank_yous=Tally(due, len(ty_members)),
                thank_yous_on_time=in_time, check_in_days=dict(days_by.get(m, {})),
                check_in_members=len(ci_members)))
    return CommunityStats(
        interviews=Tally(totals[0], len(all_members)),
        thank_yous=Tally(totals[1], len(thank_you_members)),
        thank_yous_on_time=totals[2],
        check_in_days=overall_days,
        check_in_members=len(check_in_members),
        months=months,
        outcomes=outcomes,
    )


class CareerCenterQueries:
    """Methods of bot.ports.StoreSession for the career center; needs the session's `_conn`."""

    _conn: Statements
    # Set when this transaction runs on the event loop's thread: where long reads go instead.
    long_reads: AsyncEngine | None = None
    # Set when the transaction deleted a member's rows: the store then wipes them from disk too.
    erased: bool = False

    # ---- approved templates ---------------------------------------------------------------------

    async def community_templates(self, platform: str, community: str) -> dict[str, str]:
        """The community's current approved template source by draft kind (empty: built-ins)."""
        rows = await self._conn.execute(
            select(versions_t.c.kind, versions_t.c.source).where(
                versions_t.c.platform == platform,
                versions_t.c.community == community,
                versions_t.c.active.is_(True),
                versions_t.c.source.is_not(None),
            )
        )
        return {kind: source for kind, source in rows}

    async def template_versions(self, platform: str, community: str, kind: str) -> list[TemplateVersion]:
        rows = await self._conn.execute(
            select(versions_t)
            .where(versions_t.c.platform == platform, versions_t.c.community == community,
                   versions_t.c.kind == kind)
            .order_by(versions_t.c.version.desc())
        )
        return [_version(row) for row in rows]

    async def save_template_version(self, platform: str, community: str, kind: str, source: str | None,
                                    saved_by: str, saved_at: datetime) -> TemplateVersion:
        mine = (versions_t.c.platform == platform, versions_t.c.community == community, versions_t.c.kind == kind)
        latest = (
            await self._conn.execute(select(func.coalesce(func.max(versions_t.c.version), 0)).where(*mine))
        ).scalar_one()
        await self._conn.execute(update(versions_t).where(*mine, versions_t.c.active.is_(True)).values(active=False))
        values = dict(platform=platform, community=community, kind=kind, version=latest + 1, source=source,
                      saved_by=saved_by, saved_at=saved_at, active=True)
        await self._conn.execute(insert(versions_t).values(**values))
        return TemplateVersion(kind=kind, version=latest + 1, source=source, saved_by=saved_by, saved_at=saved_at,
                               active=True)

    async def forget_template_author(self, platform: str, community: str, external_id: str) -> int:
        result = await self._conn.execute(
            update(versions_t)
            .where(versions_t.c.platform == platform, versions_t.c.community == community,
                   versions_t.c.saved_by == external_id)
            .values(saved_by=FORMER_MEMBER)
        )
        return max(result.rowcount, 0)

    # ---- statistics -----------------------------------------------------------------------------

    def _month(self, column: Any) -> ColumnElement[Any]:
        """The month of a UTC datetime column: 'YYYY-MM' text (SQLite) or its first moment (PostgreSQL)."""
        if self._conn.dialect.name == "postgresql":
            return func.date_trunc(literal("month"), func.timezone(literal("UTC"), column))
        return func.substr(column, 1, 7, type_=String)  # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff'

    def _whole_days(self, later: Any, earlier: Any) -> ColumnElement[int]:
        if self._conn.dialect.name == "postgresql":
            seconds = func.extract("epoch", later - earlier)
            return func.floor(seconds / 86400).cast(Integer)
        return func.cast(func.julianday(later) - func.julianday(earlier), Integer)

    async def community_stats(self, platform: str, community: str, now: datetime,
                              since: datetime | None = None) -> CommunityStats:
        """Four aggregate queries, each one pass over the community's rows: interviews by (month,
        member), thank-yous and check-ins by (month, member), check-in days by (month, days), and
        outcomes by (kind, status). Per-member partial counts never leave this method: they only
        tell how many distinct members each figure is about.

        A transaction run on the event loop's thread reads them in a read-only transaction of
        its own off the loop (`long_reads`): their time grows with the whole community."""
        if self.long_reads is None:
            return await self._community_stats(self._conn, platform, community, now, since)
        async with self.long_reads.connect() as conn:
            await conn.execution_options(**{READ_ONLY: True}, postgresql_readonly=True)
            async with conn.begin():
                return await self._community_stats(Awaited(conn), platform, community, now, since)

    async def _community_stats(self, conn: Statements, platform: str, community: str, now: datetime,
                               since: datetime | None) -> CommunityStats:
        theirs = select(users_t.c.id).where(users_t.c.platform == platform, users_t.c.community == community)
        month = self._month(interviews_t.c.starts_at).label("month")

        interviews_by: dict[str, dict[int, int]] = {}
        for m, user_id, count in await conn.execute(
            select(month, interviews_t.c.user_id, func.count())
            .where(interviews_t.c.user_id.in_(theirs))
            .group_by(month, interviews_t.c.user_id)
        ):
            interviews_by.setdefault(_month_text(m), {})[user_id] = count

        is_thank_you = reminders_t.c.kind == StepKind.THANK_YOU.value
        thank_you_counts = and_(is_thank_you, or_(
            reminders_t.c.status == StepStatus.SENT.value,
            and_(reminders_t.c.status.in_(_OPEN), reminders_t.c.due_at <= now),
            # news (a rejection, an offer) cancelled it after its 24 hours had passed: missed
            and_(reminders_t.c.status == StepStatus.CANCELLED.value, reminders_t.c.due_at < interviews_t.c.heard_at),
        ))
        on_time = and_(is_thank_you, reminders_t.c.status == StepStatus.SENT.value,
                       reminders_t.c.sent_at <= reminders_t.c.due_at)
        check_in_sent = and_(reminders_t.c.kind == StepKind.CHECK_IN.value,
                             reminders_t.c.status == StepStatus.SENT.value,
                             reminders_t.c.round == interviews_t.c.round, reminders_t.c.sent_at.is_not(None))

        def tally(condition: ColumnElement[bool]) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        steps = reminders_t.join(interviews_t, interviews_t.c.id == reminders_t.c.interview_id)
        of_theirs = (reminders_t.c.user_id.in_(theirs),
                     reminders_t.c.kind.in_((StepKind.THANK_YOU.value, StepKind.CHECK_IN.value)))
        steps_by: dict[str, dict[int, tuple[int, int, int]]] = {}
        for m, user_id, due, in_time, sent in await conn.execute(
            select(month, reminders_t.c.user_id, tally(thank_you_counts), tally(on_time), tally(check_in_sent))
            .select_from(steps).where(*of_theirs)
            .group_by(month, reminders_t.c.user_id)
        ):
            steps_by.setdefault(_month_text(m), {})[user_id] = (int(due), int(in_time), int(sent))

        days = self._whole_days(reminders_t.c.sent_at, interviews_t.c.starts_at).label("days")
        days_by: dict[str, dict[int, int]] = {}
        for m, d, count in await conn.execute(
            select(month, days, func.count()).select_from(steps)
            .where(reminders_t.c.user_id.in_(theirs), check_in_sent)
            .group_by(month, days)
        ):
            histogram = days_by.setdefault(_month_text(m), {})
            histogram[int(d)] = histogram.get(int(d), 0) + count

        outcomes = [
            Outcome(kind=kind, status=status, interviews=Tally(count, who))
            for kind, status, count, who in await conn.execute(
                select(interviews_t.c.kind, interviews_t.c.status, func.count(),
                       func.count(func.distinct(interviews_t.c.user_id)))
                .where(interviews_t.c.user_id.in_(theirs))
                .group_by(interviews_t.c.kind, interviews_t.c.status)
                .order_by(interviews_t.c.kind, interviews_t.c.status)
            )
        ]
        return _summed(interviews_by, steps_by, days_by, outcomes, f"{since:%Y-%m}" if since else None)

    # ---- retention ------------------------------------------------------------------------------

    async def mark_member_left(self, platform: str, community: str, external_id: str,
                               at: datetime | None) -> bool:
        result = await self._conn.execute(
            update(users_t)
            .where(users_t.c.platform == platform, users_t.c.community == community,
                   users_t.c.external_id == external_id)
            .values(left_at=at)
        )
        return result.rowcount > 0

    async def purge_left_members(self, now: datetime) -> int:
        """Each community with a retention period: its members who left before now - period (and
        have not used the bot since) go, with every row of theirs (reminders, interviewers,
        interviews, the user)."""
        return await self._purge_left_members(now)

    async def _purge_left_members(self, now: datetime) -> int:
        policies = await self._conn.execute(
            select(defaults_t.c.platform, defaults_t.c.community, defaults_t.c.retention_days)
            .where(defaults_t.c.retention_days.is_not(None))
        )
        purged = 0
        for platform, community, days in policies.all():
            cutoff = now - timedelta(days=days)
            ids = list((await self._conn.execute(
                select(users_t.c.id).where(
                    users_t.c.platform == platform, users_t.c.community == community,
                    users_t.c.left_at.is_not(None), users_t.c.left_at < cutoff,
                    # used the bot since leaving (back, and the adapter missed it): not gone
                    or_(users_t.c.last_seen_at.is_(None), users_t.c.last_seen_at <= users_t.c.left_at),
                )
            )).scalars())
            for start in range(0, len(ids), _PURGE_BATCH):
                purged += await self._delete_users(ids[start:start + _PURGE_BATCH])
        return purged

    async def _delete_users(self, user_ids: Sequence[int]) -> int:
        theirs = select(interviews_t.c.id).where(interviews_t.c.user_id.in_(user_ids)).scalar_subquery()
        for stmt in (
            delete(reminders_t).where(reminders_t.c.user_id.in_(user_ids)),
            delete(interviewers_t).where(interviewers_t.c.interview_id.in_(theirs)),
            delete(interviews_t).where(interviews_t.c.user_id.in_(user_ids)),
        ):
            await self._conn.execute(stmt)
        result = await self._conn.execute(delete(users_t).where(users_t.c.id.in_(user_ids)))
        self.erased = True
        return max(result.rowcount, 0)


__all__ = ["FORMER_MEMBER", "CareerCenterQueries"]
