"""The user's own settings: name and signature, time zone, quiet hours, morning hour, tone."""

from __future__ import annotations

import logging
from datetime import time

from bot import commands as c
from bot import policy, understood
from bot.domain import (
    Interview,
    Rules,
    Step,
    StepKind,
    StepStatus,
    Tone,
    UserSettings,
)
from bot.humanize import moment
from bot.replies import Form, FormField, Reply, Section
from bot.use_case import Context

log = logging.getLogger(__name__)


async def settings(ctx: Context, cmd: c.Settings) -> Reply:
    user = ctx.user
    values = dict(cmd.values)
    for key, value in values.items():
        if key in ("name", "email", "phone"):
            setattr(user, key, value or None)
        elif key == "tz":
            user.tz = value
        elif key == "dates":
            user.date_order = value or None
        elif key == "tone":
            user.tone = Tone(value)
        elif key == "morning":
            user.morning = time.fromisoformat(value)
        elif key == "quiet":
            start, end = value.split("-")
            user.quiet_start, user.quiet_end = time.fromisoformat(start), time.fromisoformat(end)
    if values:
        await ctx.tx.save_user(user)
    defaults = await ctx.tx.community_defaults(user.platform, user.community)
    rules = Rules.resolve(user, defaults, ctx.actor.tz_hint or ctx.default_tz)
    shown = [
        f"Name: {user.name or '(not set: your drafts need it)'}",
        f"E-mail: {user.email or '(not set)'}",
        f"Phone: {user.phone or '(not set)'}",
        f"Time zone: {rules.tz}" + ("" if user.tz else " (default)"),
        f"Quiet hours: {rules.quiet_start:%H:%M}-{rules.quiet_end:%H:%M}",
        f"Morning reminders at: {rules.morning:%H:%M}",
        f"Tone: {rules.tone.value}",
        _dates_line(user, ctx),
    ]
    if "tz" in values:
        shown.append(f"Your time now: {moment(ctx.now, rules, ctx.now)}")
    title = "Settings saved." if values else "Your settings"
    form = None if values else settings_form(user, rules)
    if values and ("tz" in values or "quiet" in values or "morning" in values):
        await reschedule_for_rules(ctx, rules)
    return Reply(title=title, sections=[Section("\n".join(shown))], form=form)

def _dates_line(user: UserSettings, ctx: Context) -> str:
    order = understood.date_order(ctx)
    example = {"day-first": "03/04 is 3 April", "month-first": "03/04 is March 4"}
    if order is None:
        return "Dates: not set, so a date like 03/04 is asked about (dates: day-first or month-first)"
    source = "" if user.date_order else " (from your language setting)"
    return f"Dates: {order}, {example[order]}{source}"


async def reschedule_for_rules(ctx: Context, rules: Rules) -> None:
    """A new zone, morning or quiet hours moves the pending morning reminders."""
    assert ctx.user.id is not None
    for interview in await ctx.tx.interviews(ctx.user.id):
        try:
            changed = _rescheduled(ctx, interview, rules)
        except (OverflowError, ValueError):  # a date at the very end of the calendar: left as it is
            log.warning("interview %s kept its schedule: its dates are out of range", interview.id)
            continue
        if changed:
            await ctx.tx.save_interview(interview)
            ctx.scheduled(changed)


def _rescheduled(ctx: Context, interview: Interview, rules: Rules) -> list[Step]:
    """The interview's open morning steps moved to the new zone, morning or quiet hours."""
    changed: list[Step] = []
    for step in interview.open_steps():
        if step.status is StepStatus.SNOOZED or step.kind is StepKind.THANK_YOU or step.notify_at is None:
            continue
        if step.kind is StepKind.CHECK_IN:
            fresh = policy.check_in(interview, rules, ctx.now)
            step.due_at, step.notify_at = fresh.due_at, fresh.notify_at
        else:
            local_day = policy.to_local(step.due_at, ctx.rules).date()
            step.due_at = policy.morning_of(local_day, rules)
            step.notify_at = policy.earliest_delivery(max(step.due_at, ctx.now), rules, step.kind)
        changed.append(step)
    return changed


def settings_form(user: UserSettings, rules: Rules) -> Form:
    return Form(command="settings", title="Your settings", fields=(
        FormField("name", "Your full name (signs your drafts)", initial=user.name),
        FormField("email", "Your e-mail", initial=user.email),
        FormField("phone", "Your phone", initial=user.phone),
        FormField("tz", "Time zone (IANA, e.g. Europe/Berlin)", initial=rules.tz),
        FormField("tone", "Tone: formal or casual", initial=rules.tone.value),
    ))
