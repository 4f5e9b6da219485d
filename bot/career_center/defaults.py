"""`/interview admin defaults [check-in: 10d; check-in-2: 7d; stay-in-touch: 6w; quiet: 21:00-08:00;
morning: 09:00; tone: formal; retention: 365d]`: the community's defaults, within the ranges of the
follow-up rules (docs/follow-up-rules.md).

A member's own setting (quiet hours, morning hour, tone) wins over these (bot.domain.Rules.resolve).
Every value is checked before anything is saved: one value out of range changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import time

from bot.domain import RANGES, CommunityDefaults, Tone
from bot.replies import Form, FormField, Reply, Section
from bot.settings_grammar import read_setting
from bot.use_case import Context, refuse

KEYS = ("check-in", "check-in-2", "stay-in-touch", "quiet", "morning", "tone", "retention")
ALIASES = {
    "checkin": "check-in", "check in": "check-in", "check-in-1": "check-in", "check-in 1": "check-in",
    "first check-in": "check-in", "checkin2": "check-in-2", "check in 2": "check-in-2",
    "check-in 2": "check-in-2", "second check-in": "check-in-2", "stay in touch": "stay-in-touch",
    "stayintouch": "stay-in-touch", "quiet hours": "quiet", "morning hour": "morning", "keep": "retention",
}
EXAMPLE = "/interview admin defaults check-in: 10d; check-in-2: 7d; stay-in-touch: 6w; tone: formal"
RETENTION_RANGE = (30, 3650)  # days a departed member's data may be kept at most: a month to ten years
NO_RETENTION = ("none", "off", "never", "forever", "-", "clear", "until they ask")

_AMOUNT = re.compile(r"(\d{1,5})\s*([a-z]*)")
_UNITS = {
    "": None, "d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7,
    "m": 30, "mo": 30, "month": 30, "months": 30, "y": 365, "yr": 365, "year": 365, "years": 365,
}


def _days(key: str, value: str, default_unit: int) -> int:
    """`10d`, `10 days`, `2w`, `10` (in `default_unit` days) -> days; refuses anything else."""
    m = _AMOUNT.fullmatch(value.strip().lower())
    if m is None or m.group(2) not in _UNITS:
        raise refuse(f'"{value[:40]}" is not a number of days or weeks for {key}. Example: {EXAMPLE}')
    unit = _UNITS[m.group(2)] or default_unit
    return int(m.group(1)) * unit


def _in_range(what: str, amount: int, low: int, high: int, unit: str, why: str) -> int:
    if not low <= amount <= high:
        raise refuse(f"{what} {amount} {unit} is out of range: {why} allow {low} to {high} {unit}. "
                     "Nothing was changed.")
    return amount


def _read_pairs(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for piece in text.replace("\n", ";").split(";"):
        piece = piece.strip()
        if not piece:
            continue
        raw, colon, value = piece.partition(":")
        key = " ".join(raw.split()).lower()
        key = ALIASES.get(key, key)
        if not colon or key not in KEYS:
            raise refuse(f'"{piece[:40]}" is not a default I know: give key: value with the keys '
                         f"{', '.join(KEYS)}. Example: {EXAMPLE}")
        if any(k == key for k, _ in pairs):
            raise refuse(f'"{key}" is given twice; give it once.')
        if value.strip():
            pairs.append((key, value.strip()))
    return pairs


def apply(current: CommunityDefaults, text: str) -> CommunityDefaults:
    """The defaults with the admin's changes, every value checked (a refusal changes nothing)."""
    new = current
    for key, value in _read_pairs(text):
        if key == "check-in":
            low, high = RANGES["check_in_days"]
            days = _in_range("Check-in 1 after", _days(key, value, 1), low, high, "days", "the follow-up rules")
            new = replace(new, check_in_days=days)
        elif key == "check-in-2":
            low, high = RANGES["check_in_2_days"]
            days = _in_range("Check-in 2 after", _days(key, value, 1), low, high, "days", "the follow-up rules")
            new = replace(new, check_in_2_days=days)
        elif key == "stay-in-touch":
            low, high = RANGES["stay_in_touch_weeks"]
            days = _days(key, value, 7)
            if days % 7:
                raise refuse(f'Give stay-in-touch in whole weeks ("{value[:40]}" is {days} days), '
                             "e.g. stay-in-touch: 6w. Nothing was changed.")
            weeks = _in_range("Stay in touch after", days // 7, low, high, "weeks", "the follow-up rules")
            new = replace(new, stay_in_touch_weeks=weeks)
        elif key == "retention":
            if value.lower() in NO_RETENTION:
                new = replace(new, retention_days=None)
                continue
            low, high = RETENTION_RANGE
            days = _in_range("Keeping a departed member's data for", _days(key, value, 1), low, high,
                             "days", "the retention settings (or retention: none)")
            new = replace(new, retention_days=days)
        else:
            normal = read_setting(key, value)
            if not isinstance(normal, str):
                raise refuse(normal.message)
            if key == "tone":
                new = replace(new, tone=Tone(normal))
            elif key == "morning":
                new = replace(new, morning=time.fromisoformat(normal))
            else:
                start, end = normal.split("-")
                new = replace(new, quiet_start=time.fromisoformat(start), quiet_end=time.fromisoformat(end))
    return new


def _retention_text(defaults: CommunityDefaults) -> str:
    if defaults.retention_days is None:
        return "kept until they ask to be forgotten (no retention period set)"
    return f"deleted {defaults.retention_days} days after they leave"


def describe(defaults: CommunityDefaults) -> str:
    return "\n".join([
        f"Check-in 1: {defaults.check_in_days} days after the interview (range 10–14)",
        f"Check-in 2: {defaults.check_in_2_days} days after check-in 1 was sent (range 5–10)",
        f"Stay in touch: {defaults.stay_in_touch_weeks} weeks after a rejection or no reply (range 4–8)",
        f"Quiet hours: {defaults.quiet_start:%H:%M}-{defaults.quiet_end:%H:%M}",
        f"Morning reminders at: {defaults.morning:%H:%M}",
        f"Tone of drafts: {defaults.tone.value}",
        f"Data of members who left: {_retention_text(defaults)}",
    ])


def form(defaults: CommunityDefaults) -> Form:
    return Form(command="admin defaults", title="Community defaults", fields=(
        FormField("check-in", "Check-in 1 after (10-14 days)", initial=f"{defaults.check_in_days}d"),
        FormField("check-in-2", "Check-in 2 after (5-10 days)", initial=f"{defaults.check_in_2_days}d"),
        FormField("stay-in-touch", "Stay in touch after (4-8 weeks)", initial=f"{defaults.stay_in_touch_weeks}w"),
        FormField("quiet", "Quiet hours", initial=f"{defaults.quiet_start:%H:%M}-{defaults.quiet_end:%H:%M}"),
        FormField("morning", "Morning reminders at", initial=f"{defaults.morning:%H:%M}"),
        FormField("tone", "Tone: formal or casual", initial=defaults.tone.value),
        FormField("retention", "Keep data of members who left (30-3650 days, or none)",
                  initial=f"{defaults.retention_days}d" if defaults.retention_days else "none"),
    ))


NOTE = ("A member's own settings (quiet hours, morning hour, tone) win over these. New intervals apply to "
        "follow-ups scheduled from now on.")


async def defaults(ctx: Context, args: str) -> Reply:
    platform, community = ctx.actor.platform, ctx.actor.community
    current = await ctx.tx.community_defaults(platform, community) or CommunityDefaults(platform, community)
    if not args.strip():
        return Reply(title="Community defaults", sections=[Section(describe(current)), Section(NOTE)],
                     form=form(current))
    new = apply(current, args)
    await ctx.tx.save_community_defaults(new)
    title = "Community defaults saved." if new != current else "Community defaults unchanged."
    return Reply(title=title, sections=[Section(describe(new)), Section(NOTE)])
