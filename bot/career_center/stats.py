"""`/interview admin stats`: aggregate figures for career-center staff.

Counts only, from aggregate SQL (the store's community_stats): never a name, company, note or
draft. Any figure about fewer than five members is shown as "fewer than 5" and left out of the
chart, so that no member can be singled out; and where such a figure is one of several that add up
to a total shown elsewhere (months, outcomes), one more is "withheld", so that it cannot be worked
out by subtraction either.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.career_center.chart import monthly_chart
from bot.career_center.disclosure import (
    HIDDEN,
    WITHHELD,
    MonthShown,
    count_text,
    median_text,
    months_shown,
    protect,
    share_text,
    shown,
)
from bot.career_center.records import CommunityStats
from bot.replies import FileOut, Reply, Section
from bot.use_case import Context, refuse

MONTHS_SHOWN = 12
OUTCOME_ORDER = ("offer", "rejected", "ghosted", "withdrawn", "active")
OUTCOME_NAMES = {"active": "still waiting"}


def month_line(month: MonthShown) -> str:
    m = month.figures
    if not shown(m.interviews.members):
        return f"{m.month}: {HIDDEN} members"
    return (f"{m.month}: {m.interviews.members} members, interviews: {count_text(m.interviews, month.interviews)}; "
            f"thank-yous sent within 24 h: {share_text(m.thank_yous_on_time, m.thank_yous, month.thank_yous)}; "
            f"median to check-in 1: {median_text(m.check_in_days, m.check_in_members)}")


def outcome_lines(stats: CommunityStats) -> list[str]:
    may_show = protect([o.interviews for o in stats.outcomes])
    by_kind: dict[str, dict[str, str]] = {}
    for o, may in zip(stats.outcomes, may_show, strict=True):
        by_kind.setdefault(o.kind, {})[o.status] = count_text(o.interviews, may)
    lines = []
    for kind in sorted(by_kind):
        cells = by_kind[kind]
        order = [s for s in OUTCOME_ORDER if s in cells] + sorted(s for s in cells if s not in OUTCOME_ORDER)
        parts = [f"{OUTCOME_NAMES.get(s, s)}: {cells[s]}" for s in order]
        lines.append(f"{kind} — " + "; ".join(parts))
    return lines


def months_start(now: datetime, months: int = MONTHS_SHOWN) -> datetime:
    """The first moment of the month `months - 1` months before now's (UTC)."""
    year, month = now.year, now.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def stats_reply(stats: CommunityStats, months: list[MonthShown], chart: FileOut | None) -> Reply:
    total = stats.interviews
    overall = "\n".join([
        f"Members using the bot: {total.members if shown(total.members) else HIDDEN}",
        f"Interviews logged: {count_text(total)}",
        f"Thank-yous marked sent within 24 h: {share_text(stats.thank_yous_on_time, stats.thank_yous)}",
        f"Median days from the interview to check-in 1 marked sent: "
        f"{median_text(stats.check_in_days, stats.check_in_members)}",
    ])
    sections = [Section(overall, title="Overall")]
    lines = [month_line(m) for m in months]
    if lines:
        sections.append(Section("\n".join(lines), title=f"By month of the interview (UTC, last {MONTHS_SHOWN} months)"))
    outcomes = outcome_lines(stats)
    if outcomes:
        sections.append(Section("\n".join(outcomes), title="Outcomes by kind of meeting"))
        lines += outcomes
    footnote = (f'"{HIDDEN}": a figure about fewer than five members is not shown, so that nobody can be singled '
                "out.")
    if any(WITHHELD in line for line in lines):
        footnote += (f' "{WITHHELD}": a figure about five members or more, held back so that a "{HIDDEN}" one '
                     "cannot be worked out by subtracting the others from the total.")
    sections.append(Section(footnote + " These are counts only: no names, companies, notes or drafts."))
    return Reply(title="Followthrough in this community: aggregate figures", sections=sections,
                 files=[chart] if chart is not None else [])


async def stats(ctx: Context, args: str) -> Reply:
    if args.strip():
        raise refuse("admin stats takes nothing more. Example: /interview admin stats")
    figures = await ctx.tx.community_stats(ctx.actor.platform, ctx.actor.community, ctx.now,
                                           since=months_start(ctx.now))
    months = months_shown(figures.months)
    chart = await asyncio.to_thread(monthly_chart, months)  # matplotlib is slow: off the event loop
    return stats_reply(figures, months, chart)
