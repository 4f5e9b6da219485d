"""`/interview admin stats`: aggregate figures for career-center staff.

Counts only, from aggregate SQL (the store's community_stats): never a name, company, note or
draft. Any figure about fewer than five members is shown as "fewer than 5" and left out of the
chart, so that no member can be singled out.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.career_center.records import CommunityStats, MonthFigures, Tally
from bot.replies import FileOut, Reply, Section
from bot.use_case import Context, refuse

MIN_MEMBERS = 5
HIDDEN = "fewer than 5"
MONTHS_SHOWN = 12
OUTCOME_ORDER = ("offer", "rejected", "ghosted", "withdrawn", "active")
OUTCOME_NAMES = {"active": "still waiting"}


def shown(members: int) -> bool:
    return members >= MIN_MEMBERS


def count_text(tally: Tally) -> str:
    return str(tally.count) if shown(tally.members) else HIDDEN


def share(on_time: int, total: Tally) -> float | None:
    """The share of thank-yous marked sent within 24 h, or None when it must not be shown."""
    if not shown(total.members) or total.count == 0:
        return None
    return on_time / total.count


def share_text(on_time: int, total: Tally) -> str:
    if not shown(total.members):
        return HIDDEN
    value = share(on_time, total)
    return "none due yet" if value is None else f"{round(value * 100)}% of {total.count}"


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as value -> how many."""
    n = sum(histogram.values())
    if n == 0:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for index in wanted:
            if seen <= index < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def median_days(histogram: dict[int, int], members: int) -> float | None:
    return median(histogram) if shown(members) else None


def median_text(histogram: dict[int, int], members: int) -> str:
    if not shown(members):
        return HIDDEN
    value = median(histogram)
    if value is None:
        return "no check-in marked sent yet"
    return f"{value:g} days"


def month_line(m: MonthFigures) -> str:
    if not shown(m.interviews.members):
        return f"{m.month}: {HIDDEN} members"
    return (f"{m.month}: {m.interviews.members} members, {m.interviews.count} interviews; thank-yous sent within "
            f"24 h: {share_text(m.thank_yous_on_time, m.thank_yous)}; median to check-in 1: "
            f"{median_text(m.check_in_days, m.check_in_members)}")


def outcome_lines(stats: CommunityStats) -> list[str]:
    by_kind: dict[str, dict[str, Tally]] = {}
    for o in stats.outcomes:
        by_kind.setdefault(o.kind, {})[o.status] = o.interviews
    lines = []
    for kind in sorted(by_kind):
        cells = by_kind[kind]
        order = [s for s in OUTCOME_ORDER if s in cells] + sorted(s for s in cells if s not in OUTCOME_ORDER)
        parts = [f"{OUTCOME_NAMES.get(s, s)}: {count_text(cells[s])}" for s in order]
        lines.append(f"{kind} — " + "; ".join(parts))
    return lines


def months_start(now: datetime, months: int = MONTHS_SHOWN) -> datetime:
    """The first moment of the month `months - 1` months before now's (UTC)."""
    year, month = now.year, now.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def stats_reply(stats: CommunityStats, chart: FileOut | None) -> Reply:
    total = stats.interviews
    overall = "\n".join([
        f"Members using the bot: {total.members if shown(total.members) else HIDDEN}",
        f"Interviews logged: {count_text(total)}",
        f"Thank-yous marked sent within 24 h: {share_text(stats.thank_yous_on_time, stats.thank_yous)}",
        f"Median days from the interview to check-in 1 marked sent: "
        f"{median_text(stats.check_in_days, stats.check_in_members)}",
    ])
    sections = [Section(overall, title="Overall")]
    if stats.months:
        sections.append(Section("\n".join(month_line(m) for m in stats.months),
                                title=f"By month of the interview (UTC, last {MONTHS_SHOWN} months)"))
    outcomes = outcome_lines(stats)
    if outcomes:
        sections.append(Section("\n".join(outcomes), title="Outcomes by kind of meeting"))
    sections.append(Section(f'"{HIDDEN}": a figure about fewer than five members is not shown, so that nobody '
                            "can be singled out. These are counts only: no names, companies, notes or drafts."))
    return Reply(title="Followthrough in this community: aggregate figures", sections=sections,
                 files=[chart] if chart is not None else [])


async def stats(ctx: Context, args: str) -> Reply:
    from bot.career_center.chart import monthly_chart

    if args.strip():
        raise refuse("admin stats takes nothing more. Example: /interview admin stats")
    figures = await ctx.tx.community_stats(ctx.actor.platform, ctx.actor.community, ctx.now,
                                           since=months_start(ctx.now))
    chart = await asyncio.to_thread(monthly_chart, figures.months)  # matplotlib is slow: off the event loop
    return stats_reply(figures, chart)
