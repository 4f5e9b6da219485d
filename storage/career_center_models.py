"""The career center's tables: every saved version of a community's approved draft
templates. (The `users.left_at` column, for the retention period, is on UserRow itself.)

A community's current template for a kind is its row with `active` true; a `revert` writes a
version with no `source` (the built-in template) and makes it the active one, so the history
keeps every step with who did it and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, InterviewRow, ReminderRow, UTCDateTime


class TemplateVersionRow(Base):
    """One saved version of a community's template for one draft kind."""

    __tablename__ = "community_template_versions"
    __table_args__ = (
        UniqueConstraint("platform", "community", "kind", "version"),
        Index("ix_community_template_versions_current", "platform", "community", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    community: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))  # a DraftKind value
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per (platform, community, kind)
    source: Mapped[str | None] = mapped_column(Text)  # None: reverted to the built-in template
    saved_by: Mapped[str] = mapped_column(String(128))  # the admin's platform user id
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean)  # the community's current version of this kind


# Covering indexes for `admin stats`: its aggregate queries read a community's interviews and their
# thank-yous and check-ins from these alone, without visiting the tables (100,000 interviews:
# SQLite 1.4 s -> 0.7 s, PostgreSQL 0.9 s -> 0.6 s; see bench/career_center_stats.py). Declared here,
# on the tables of storage.models, so that the career center's schema stays in one place.
STATS_INDEXES = (
    Index("ix_interviews_stats", InterviewRow.user_id, InterviewRow.starts_at, InterviewRow.kind,
          InterviewRow.status, InterviewRow.round, InterviewRow.heard_at),
    Index("ix_reminders_stats", ReminderRow.user_id, ReminderRow.kind, ReminderRow.status, ReminderRow.round,
          ReminderRow.due_at, ReminderRow.sent_at, ReminderRow.interview_id),
)

__all__ = ["STATS_INDEXES", "TemplateVersionRow"]
