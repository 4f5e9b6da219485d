"""The proofreader's tables: each community's own word list (words its admins taught the spelling
check), and the notices left for a community's admins when its template failed for a member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime


class CommunityWordRow(Base):
    """A word the community's spelling check accepts (stored in lower case)."""

    __tablename__ = "community_words"
    __table_args__ = (UniqueConstraint("platform", "community", "word"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    community: Mapped[str] = mapped_column(String(128))
    word: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TemplateNoticeRow(Base):
    """A community template that failed while rendering a member's draft: the built-in one was used.

    No member's data: the kind, the problem (a sentence about the template), how many drafts it
    happened to and when first and last; one row per problem (a rare race may write two, which are
    read as one). Rows of a kind go when its template is saved or reverted."""

    __tablename__ = "community_template_notices"
    __table_args__ = (Index("ix_community_template_notices_community", "platform", "community", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    community: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    problem: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = ["CommunityWordRow", "TemplateNoticeRow"]
