"""What the store hands the career center: saved template versions and aggregate figures.

Plain data only (the store builds them with aggregate SQL): no name, company, note or draft of any
member ever reaches these records, only counts, and with each count how many distinct members it
covers, so that the answer can hide any figure over fewer than five members.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TemplateVersion:
    """One saved version of a community's template for a draft kind."""

    kind: str  # a DraftKind value
    version: int
    source: str | None  # None: this version reverted to the built-in template
    saved_by: str  # the admin's platform user id
    saved_at: datetime
    active: bool  # the community's current version of this kind


@dataclass(frozen=True)
class Tally:
    """A count and how many distinct members it is about."""

    count: int = 0
    members: int = 0


@dataclass(frozen=True)
class MonthFigures:
    """One calendar month (UTC) of interviews: by the month of the interview."""

    month: str  # "2026-11"
    interviews: Tally = Tally()  # interviews logged; members = members who logged one
    thank_yous: Tally = Tally()  # thank-yous due by now, marked sent, or missed (cancelled after the 24 h)
    thank_yous_on_time: int = 0  # of those, marked sent within the 24 hours
    # days from the interview to check-in 1 marked sent -> how many; members = distinct members
    check_in_days: dict[int, int] = field(default_factory=dict)
    check_in_members: int = 0


@dataclass(frozen=True)
class Outcome:
    kind: str  # interview kind: interview, informational, networking, career-fair
    status: str  # active, offer, rejected, ghosted, withdrawn
    interviews: Tally = Tally()


@dataclass(frozen=True)
class CommunityStats:
    """Everything `admin stats` shows, for one community."""

    interviews: Tally = Tally()  # all interviews; members = members using the bot (one logged or more)
    thank_yous: Tally = Tally()
    thank_yous_on_time: int = 0
    check_in_days: dict[int, int] = field(default_factory=dict)
    check_in_members: int = 0
    months: list[MonthFigures] = field(default_factory=list)  # oldest first
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass(frozen=True)
class TemplateNotice:
    """A community template failed while rendering members' drafts; they got the built-in one."""

    kind: str  # a DraftKind value
    problem: str  # a sentence about the template, never about a member
    count: int  # drafts it happened to
    first_at: datetime
    last_at: datetime


__all__ = ["CommunityStats", "MonthFigures", "Outcome", "Tally", "TemplateNotice", "TemplateVersion"]
