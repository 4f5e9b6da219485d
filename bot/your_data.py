"""The user's data in their hands: a calendar of follow-ups, a JSON export, and forgetting."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from bot import commands as c
from bot.domain import ROUND_NOTES, Interview, Rules, Step
from bot.drafts.names import display_name
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
        "reminder_at": _iso(step.next_dm_at, rules),
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
        "they_promised": interview.their_promise,
        "noted_in_round": {note: interview.noted_in(note) for note in ROUND_NOTES if interview.round_note(note)},
        "news": interview.news,
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


CSV_COLUMNS = ("interview", "company", "role", "kind", "round", "stage", "status", "date", "due", "contacts")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _minute(at: datetime | None, rules: Rules) -> str:
    return to_local(at, rules).strftime("%Y-%m-%d %H:%M %z") if at is not None else ""


def export_csv(interviews: list[Interview], rules: Rules, now: datetime) -> FileOut:
    """The interviews with their stage history, one row per stage, for a record of the job search:
    the interview itself, each follow-up (thank-you, check-ins, ...) with when it was due and when it
    was marked sent, and the outcome when one was recorded. Times in the user's zone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for interview in sorted(interviews, key=lambda i: i.number):
        contacts = "; ".join(
            " ".join(x for x in (p.honorific, display_name(p.name)) if x) + (f" ({p.title})" if p.title else "")
            for p in interview.interviewers
        )
        head = (f"#{interview.number}", interview.company, interview.role, interview.kind.value)
        writer.writerow([_cell(v) for v in (*head, interview.round, "interview",
                                             "held" if interview.starts_at <= now else "scheduled",
                                             _minute(interview.starts_at, rules), "", contacts)])
        for step in sorted(interview.steps, key=lambda s: (s.round, s.due_at)):
            writer.writerow([_cell(v) for v in (*head, step.round, step.kind.value, step.status.value,
                                                 _minute(step.sent_at, rules), _minute(step.due_at, rules), "")])
        if not interview.status.is_active:
            writer.writerow([_cell(v) for v in (*head, interview.round, "outcome", interview.status.value,
                                                 _minute(interview.heard_at, rules), "", "")])
    body = out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet apps read UTF-8
    return FileOut(filename="followthrough-interviews.csv", content=body, mime="text/csv")


def calendar_ics(interviews: list[Interview], rules: Rules, now: datetime) -> FileOut:
    """One event per upcoming open step, at its reminder time (or due time)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Followthrough//interview follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Interview follow-ups")
    for interview in interviews:
        for step in interview.open_steps():
            reminder = step.next_dm_at
            at = reminder or step.due_at
            if step.due_at < now and (reminder is None or reminder < now):
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
    # closed interviews too: a ghosted or rejected one still has its stay-in-touch note to come
    interviews = await ctx.tx.interviews(ctx.user.id, include_closed=True)
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
    files = [export_json(profile, interviews, ctx.rules, ctx.now), export_csv(interviews, ctx.rules, ctx.now)]
    return Reply(title=f"All your data: {len(interviews)} interview{'s' if len(interviews) != 1 else ''}.",
                 sections=[Section("The JSON file has everything; the CSV file lists your interviews with each "
                                   "follow-up and outcome and its date, as a record of your job search.")],
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
    # An admin's id also marks the template versions they saved: the history keeps the version, not them.
    rows += await ctx.tx.forget_template_author(ctx.user.platform, ctx.user.community, ctx.user.external_id)
    log.info("user data forgotten (%d rows)", rows)
    return Reply(title="Done: I deleted all your interviews, reminders and settings. "
                       "Nothing of yours is left here.")
