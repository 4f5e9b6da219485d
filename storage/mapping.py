"""How the store's rows and bot.domain's dataclasses map onto each other, both ways.

Rows are read by position, in the order of the column tuples below; enum values are looked up by
their stored text (a dict lookup is much cheaper than calling the enum for every row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from bot.domain import (
    CommunityDefaults,
    Delivery,
    DeliveryReport,
    Interview,
    Interviewer,
    InterviewKind,
    InterviewStatus,
    Step,
    StepKind,
    StepStatus,
    Tone,
    UserSettings,
)
from storage.models import community_defaults_table as defaults_t
from storage.models import interviewers_table as interviewers_t
from storage.models import interviews_table as interviews_t
from storage.models import reminders_table as reminders
from storage.models import users_table as users

# The columns each read selects, in the order the row converters below unpack them.
INTERVIEW_COLUMNS = tuple(
    interviews_t.c[name]
    for name in (
        "id", "user_id", "number", "company", "role", "starts_at", "duration", "topics", "decision_on",
        "promised", "point", "tone", "kind", "status", "round", "offer_deadline", "heard_at", "created_at",
        "their_promise", "news", "notes_round",
    )
)
INTERVIEWER_COLUMNS = tuple(
    interviewers_t.c[name]
    for name in ("id", "interview_id", "position", "name", "honorific", "title", "email", "topic", "recruiter",
                 "thanked_at")
)
# Every field of bot.domain.Step (not the claim, nor the version).
STEP_COLUMNS = tuple(
    reminders.c[name]
    for name in (
        "id", "interview_id", "kind", "round", "status", "due_at", "notify_at", "sent_at", "created_at",
        "delivery", "dm_count", "last_error", "send_at",
    )
)

# Enum values by their stored text: a dict lookup is much cheaper than calling the enum.
_TONE = {t.value: t for t in Tone}
_INTERVIEW_KIND = {k.value: k for k in InterviewKind}
INTERVIEW_STATUS = {s.value: s for s in InterviewStatus}
_STEP_KIND = {k.value: k for k in StepKind}
_STEP_STATUS = {s.value: s for s in StepStatus}
_DELIVERY = {d.value: d for d in Delivery}


USER_KEYS = tuple(c.name for c in users.c)
DEFAULTS_KEYS = tuple(c.name for c in defaults_t.c)


# ---- rows -> domain -----------------------------------------------------------------------------


def _by_name(cls: Any, row: Mapping[str, Any], **converted: Any) -> dict[str, Any]:
    """The dataclass's fields that are columns of the row, by name, with `converted` replacing
    those stored in another form."""
    return {f.name: row[f.name] for f in fields(cls) if f.name in row} | converted


def user_from(row: Mapping[str, Any]) -> UserSettings:
    """A users row (its values by column name)."""
    return UserSettings(**_by_name(UserSettings, row, tone=Tone(row["tone"]) if row["tone"] is not None else None))


def defaults_from(row: Mapping[str, Any]) -> CommunityDefaults:
    """A community_defaults row (its values by column name)."""
    return CommunityDefaults(**_by_name(CommunityDefaults, row, tone=Tone(row["tone"])))


def interview_from(row: Sequence[Any]) -> Interview:
    (id_, user_id, number, company, role, starts_at, duration, topics, decision_on, promised, point, tone, kind,
     status, round_, offer_deadline, heard_at, created_at, their_promise, news, notes_round) = row
    interview = Interview(
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
        INTERVIEW_STATUS[status],
        round_,
        offer_deadline,
        heard_at,
        created_at,
        [],
        number,
        id_,
        their_promise,
    )
    interview.news = news
    interview.notes_round = {str(k): int(v) for k, v in (notes_round or {}).items()}
    return interview


def interviewer_from(row: Sequence[Any]) -> Interviewer:
    id_, _interview_id, _position, name, honorific, title, email, topic, recruiter, thanked_at = row
    return Interviewer(name, honorific, title, email, topic, bool(recruiter), thanked_at, id_)


def step_from(row: Sequence[Any]) -> Step:
    (id_, interview_id, kind, round_, status, due_at, notify_at, sent_at, created_at, delivery, dm_count,
     last_error, send_at) = row
    return Step(
        kind=_STEP_KIND[kind],
        due_at=due_at,
        notify_at=notify_at,
        status=_STEP_STATUS[status],
        round=round_,
        sent_at=sent_at,
        created_at=created_at,
        dm_count=dm_count,
        id=id_,
        interview_id=interview_id,
        reported=DeliveryReport(_DELIVERY[delivery], last_error, send_at),
    )


# ---- domain -> rows -----------------------------------------------------------------------------


def user_values(user: UserSettings) -> dict[str, Any]:
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
        "date_order": user.date_order,
    }


def defaults_values(d: CommunityDefaults) -> dict[str, Any]:
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


def interview_values(i: Interview) -> dict[str, Any]:
    return {
        "company": i.company,
        "role": i.role,
        "starts_at": i.starts_at,
        "duration": i.duration,
        "topics": list(i.topics),
        "decision_on": i.decision_on,
        "promised": i.promised,
        "point": i.point,
        "news": i.news,
        "notes_round": dict(i.notes_round) or None,
        "tone": Tone(i.tone).value if i.tone is not None else None,
        "kind": InterviewKind(i.kind).value,
        "status": InterviewStatus(i.status).value,
        "round": i.round,
        "offer_deadline": i.offer_deadline,
        "heard_at": i.heard_at,
        "their_promise": i.their_promise,
    }


def interviewer_values(person: Interviewer, position: int) -> dict[str, Any]:
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


def schedule_values(step: Step) -> dict[str, Any]:
    return {
        "kind": StepKind(step.kind).value,
        "round": step.round,
        "status": StepStatus(step.status).value,
        "due_at": step.due_at,
        "notify_at": step.notify_at,
        "sent_at": step.sent_at,
    }
