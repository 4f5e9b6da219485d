"""The user's data in their hands: a calendar of follow-ups, a JSON export, and forgetting."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from bot import commands as c
from bot.domain import Interview, Rules, Step
from bot.humanize import STEP_NAMES
from bot.policy import to_local
from bot.replies import Action, FileOut, Reply, Section
from bot.use_case import Context

log = logging.getLogger(__name__)

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


async def calendar(ctx: Context, cmd: c.Calendar) -> Reply:
    assert ctx.user.id is not None
    interviews = await ctx.tx.interviews(ctx.user.id)
    file = calendar_ics(interviews, ctx.rules, ctx.now)
    count = sum(len(i.open_steps()) for i in interviews)
    return Reply(title=f"Your calendar of {count} upcoming follow-up{'s' if count != 1 else ''}.",
                 sections=[Section("Import the .ics file into Google Calendar, Outlook or Apple Calendar.")],
                 files=[file])

async def export(ctx: Context, cmd: c.Export) -> Reply:
    assert ctx.user.id is not None
    interviews = await ctx.tx.interviews(ctx.user.id, include_closed=True)
    profile = {"platform": ctx.user.platform, "community": ctx.user.community, "user": ctx.user.external_id,
               "name": ctx.user.name, "email": ctx.user.email, "phone": ctx.user.phone, "tz": ctx.rules.tz,
               "tone": ctx.rules.tone.value}
    files = [export_json(profile, interviews, ctx.rules, ctx.now)]
    return Reply(title=f"All your data: {len(interviews)} interview{'s' if len(interviews) != 1 else ''}.",
                 files=files)

async def forget(ctx: Context, cmd: c.Forget) -> Reply:
    assert ctx.user.id is not None
    if not cmd.confirm:
        count = len(await ctx.tx.interviews(ctx.user.id, include_closed=True))
        return Reply(title=f"This deletes everything I keep about you: {count} interview"
                           f"{'s' if count != 1 else ''}, every reminder and your settings. It cannot be undone.",
                     sections=[Section("To go ahead: /interview forget confirm. You can take a copy first "
                                       "with /interview export.")],
                     actions=[Action("Delete everything", "forget confirm", "danger")])
    rows = await ctx.tx.forget_user(ctx.user.id)
    log.info("user data forgotten (%d rows)", rows)
    return Reply(title="Done: I deleted all your interviews, reminders and settings. "
                       "Nothing of yours is left here.")
