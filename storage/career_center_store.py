"""The career center's queries (issue 6), mixed into storage.store.SqlStoreSession: approved
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
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.career_center.records import CommunityStats, MonthFigures, Outcome, Tally, TemplateVersion
from bot.domain import StepKind, StepStatus
from storage.career_center_models import TemplateVersionRow
from storage.models import CommunityDefaultsRow, InterviewerRow, InterviewRow, ReminderRow, UserRow

versions_t = cast(Table, TemplateVersionRow.__table__)
users_t = cast(Table, UserRow.__table__)
defaults_t = cast(Table, CommunityDefaultsRow.__table__)
interviews_t = cast(Table, InterviewRow.__table__)
interviewers_t = cast(Table, InterviewerRow.__table__)
reminders_t = cast(Table, ReminderRow.__table__)

FORMER_MEMBER = "(a former member)"
_PURGE_BATCH = 500
_OPEN = (StepStatus.PENDING.value, StepStatus.SNOOZED.value)


def _version(row: Any) -> TemplateVersion:
    return TemplateVersion(kind=row.kind, version=row.version, source=row.source, saved_by=row.saved_by,
                           saved_at=row.saved_at, active=bool(row.active))


class CareerCenterQueries:
    """Methods of bot.ports.StoreSession for the career center; needs the session's `_conn`."""

    _conn: AsyncConnection

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

    def _month(self, column: Any) -> ColumnElement[str]:
        """'YYYY-MM' of a UTC datetime column."""
        if self._conn.dialect.name == "postgresql":
            return func.to_char(func.timezone("UTC", column), literal("YYYY-MM"), type_=String)
        return func.substr(column, 1, 7, type_=String)  # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff'

    def _whole_days(self, later: Any, earlier: Any) -> ColumnElement[int]:
        if self._conn.dialect.name == "postgresql":
            seconds = func.extract("epoch", later - earlier)
            return func.floor(seconds / 86400).cast(Integer)
        return func.cast(func.julianday(later) - func.julianday(earlier), Integer)

    async def community_stats(self, platform: str, community: str, now: datetime,
                              since: datetime | None = None) -> CommunityStats:
        conn = self._conn
        member = and_(users_t.c.platform == platform, users_t.c.community == community)
        month = self._month(interviews_t.c.starts_at).label("month")
        in_range: list[ColumnElement[bool]] = [interviews_t.c.starts_at >= since] if since is not None else []
        members = func.count(func.distinct(interviews_t.c.user_id))
        of_community = interviews_t.join(users_t, users_t.c.id == interviews_t.c.user_id)

        # interviews logged, and by how many members
        total = (await conn.execute(select(func.count(), members).select_from(of_community).where(member))).one()
        by_month: dict[str, dict[str, Any]] = {}
        for m, count, who in await conn.execute(
            select(month, func.count(), members).select_from(of_community).where(member, *in_range)
            .group_by(month)
        ):
            by_month[m] = {"interviews": Tally(count, who)}

        # thank-yous due by now (or marked sent, or missed), and those marked sent within the 24 hours
        with_steps = of_community.join(reminders_t, reminders_t.c.interview_id == interviews_t.c.id)
        thank_yous = [
            reminders_t.c.kind == StepKind.THANK_YOU.value,
            or_(reminders_t.c.status == StepStatus.SENT.value,
                and_(reminders_t.c.status.in_(_OPEN), reminders_t.c.due_at <= now),
                # news (a rejection, an offer) cancelled it after its 24 hours had passed: missed
                and_(reminders_t.c.status == StepStatus.CANCELLED.value,
                     reminders_t.c.due_at < interviews_t.c.heard_at)),
        ]
        on_time = func.coalesce(func.sum(case(
            (and_(reminders_t.c.status == StepStatus.SENT.value, reminders_t.c.sent_at <= reminders_t.c.due_at), 1),
            else_=0)), 0)
        ty_total = (await conn.execute(
            select(func.count(), members, on_time).select_from(with_steps).where(member, *thank_yous))).one()
        for m, count, who, in_time in await conn.execute(
            select(month, func.count(), members, on_time).select_from(with_steps).where(member, *thank_yous, *in_range)
            .group_by(month)
        ):
            by_month.setdefault(m, {}).update(thank_yous=Tally(count, who), on_time=int(in_time))

        # days from the interview to its first check-in marked sent (this round's): a histogram
        check_ins = [
            reminders_t.c.kind == StepKind.CHECK_IN.value,
            reminders_t.c.status == StepStatus.SENT.value,
            reminders_t.c.round == interviews_t.c.round,
            reminders_t.c.sent_at.is_not(None),
        ]
        days = self._whole_days(reminders_t.c.sent_at, interviews_t.c.starts_at).label("days")
        ci_members = (
            await conn.execute(select(members).select_from(with_steps).where(member, *check_ins))
        ).scalar_one()
        ci_total: dict[int, int] = {}
        for m, d, count in await conn.execute(
            select(month, days, func.count()).select_from(with_steps).where(member, *check_ins).group_by(month, days)
        ):
            ci_total[int(d)] = ci_total.get(int(d), 0) + count
            if since is None or m >= f"{since:%Y-%m}":
                by_month.setdefault(m, {}).setdefault("check_in_days", {})[int(d)] = count
        for m, who in await conn.execute(
            select(month, members).select_from(with_steps).where(member, *check_ins, *in_range).group_by(month)
        ):
            by_month.setdefault(m, {})["check_in_members"] = who

        # outcomes by kind of meeting
        outcomes = [
            Outcome(kind=kind, status=status, interviews=Tally(count, who))
            for kind, status, count, who in await conn.execute(
                select(interviews_t.c.kind, interviews_t.c.status, func.count(), members)
                .select_from(of_community).where(member)
                .group_by(interviews_t.c.kind, interviews_t.c.status)
                .order_by(interviews_t.c.kind, interviews_t.c.status)
            )
        ]
        months = [
            MonthFigures(
                month=m,
                interviews=v.get("interviews", Tally()),
                thank_yous=v.get("thank_yous", Tally()),
                thank_yous_on_time=v.get("on_time", 0),
                check_in_days=v.get("check_in_days", {}),
                check_in_members=v.get("check_in_members", 0),
            )
            for m, v in sorted(by_month.items())
            if since is None or m >= f"{since:%Y-%m}"
        ]
        return CommunityStats(
            interviews=Tally(total[0], total[1]),
            thank_yous=Tally(ty_total[0], ty_total[1]),
            thank_yous_on_time=int(ty_total[2]),
            check_in_days=ci_total,
            check_in_members=ci_members,
            months=months,
            outcomes=outcomes,
        )

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
        """Each community with a retention period: its members who left before now - period go,
        with every row of theirs (reminders, interviewers, interviews, the user)."""
        policies = await self._conn.execute(
            select(defaults_t.c.platform, defaults_t.c.community, defaults_t.c.retention_days)
            .where(defaults_t.c.retention_days.is_not(None))
        )
        purged = 0
        for platform, community, days in policies.all():
            cutoff = now - timedelta(days=days)
            ids = list((await self._conn.execute(
                select(users_t.c.id).where(users_t.c.platform == platform, users_t.c.community == community,
                                           users_t.c.left_at.is_not(None), users_t.c.left_at < cutoff)
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
        return max(result.rowcount, 0)


__all__ = ["FORMER_MEMBER", "CareerCenterQueries"]
