"""The user's data in their hands: a calendar of follow-ups, a JSON export, and forgetting."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.domain import Interview, Rules, Step
from bot.humanize import STEP_NAMES
from bot.policy import to_local
from bot.replies import FileOut

EXPORT_FORMAT_VERSION = 1


def _iso(at: datetime | None, rules: Rules) -> str | None:
    return to_local(at, rules).isoformat() if at is not None else None


def step_record(step: Step, rules: Rules) -> dict[str, Any]:
    return {
        "kind": step.kind.value,
        "round": step.round,
        "due_at": _iso(step.due_at, rules),
        "reminder_at": _iso(step.notify_at, rules),
        "status": step.status.value,
        "sent_at": _iso(step.sent_at, rules),
        "reminder_delivery": step.delivery.value,
        "reminder_error": step.last_error,
    }


def interview_record(interview: Interview, rules: Rules) -> dict[str, Any]:
    return {
        "number": interview.number,
        "company": interview.company,
        "role": interview.role,
        "kind": interview.kind.value,
        "starts_at": _iso(interview.starts_at, rules),
        "length_minutes": int(interview.duration.total_seconds() // 60),
        "status": interview.status.value,
        "round": interview.round,
        "decision_on": interview.decision_on.isoformat() if interview.decision_on else None,
        "offer_deadline": interview.offer_deadline.isoformat() if interview.offer_deadline else None,
        "topics": interview.topics,
        "promised": interview.promised,
        "point": interview.point,
        "tone": interview.tone.value if interview.tone else None,
        "interviewers": [
            {
                "name": p.name,
                "honorific": p.honorific,
                "title": p.title,
                "email": p.email,
                "topic": p.topic,
                "recruiter": p.recruiter,
                "thanked_at": _iso(p.thanked_at, rules),
            }
            for p in interview.interviewers
        ],
        "steps": [step_record(s, rules) for s in sorted(interview.steps, key=lambda s: (s.round, s.due_at))],
    }


def export_json(profile: dict[str, Any], interviews: list[Interview], rules: Rules, now: datetime) -> FileOut:
    document = {
        "format": "followthrough-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(now, rules),
        "user": profile,
        "interviews": [interview_record(i, rules) for i in sorted(interviews, key=lambda i: i.number)],
    }
    body = json.dumps(document, indent=2, ensure_ascii=False).encode()
    return FileOut(filename="followthrough-export.json", content=body, mime="application/json")


def calendar_ics(interviews: list[Interview], rules: Rules, now: datetime) -> FileOut:
    """One event per upcoming open step, at its reminder time (or due time)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Followthrough//interview follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Interview follow-ups")
    for interview in interviews:
        for step in interview.open_steps():
            at = step.notify_at or step.due_at
            if step.due_at < now and (step.notify_at is None or step.notify_at < now):
                at = now
            event = Event()
            event.add("uid", f"ft-{interview.id}-{step.id}@followthrough")
            event.add("dtstamp", now)
            event.add("dtstart", at)
            event.add("duration", timedelta(minutes=15))
            event.add("summary", f"Send {STEP_NAMES[step.kind]}: {interview.company} – {interview.role}")
            event.add("description", f"Interview #{interview.number}. Get the draft with "
                                     f"/interview draft #{interview.number} {step.kind.value}")
            cal.add_component(event)
    return FileOut(filename="followthrough-follow-ups.ics", content=cal.to_ical(), mime="text/calendar")
