"""`/interview admin stats`: aggregate figures for career-center staff.

Counts only, from aggregate SQL (the store's community_stats): never a name, company, note or
draft. Any figure about fewer than five members is shown as "fewer than 5" and left out of the
chart, so that no member can be singled out; and where such a figure is one of several that add up
to a total shown elsewhere (months, outcomes), one more is "withheld", so that it cannot be worked
out by subtraction either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.career_center.records import CommunityStats, MonthFigures, Tally
from bot.replies import FileOut, Reply, Section
from bot.use_case import Context, refuse

MIN_MEMBERS = 5
HIDDEN = "fewer than 5"
WITHHELD = "withheld"
MONTHS_SHOWN = 12
OUTCOME_ORDER = ("offer", "rejected", "ghosted", "withdrawn", "active")
OUTCOME_NAMES = {"active": "still waiting"}


def shown(members: int) -> bool:
    return members >= MIN_MEMBERS


def protect(tallies: Sequence[Tally]) -> list[bool]:
    """Which figures of a group adding up to a total that is shown may be shown themselves.

    Not those about fewer than five members. And when one of those hides anything, one more is
    withheld, the smallest about five members or more: subtracting the shown figures from the total
    then only ever gives a sum that covers five members or more, never a hidden figure alone.
    """
    show = [shown(t.members) for t in tallies]
    if any(not shown(t.members) and t.count > 0 for t in tallies):
        rest = [i for i, may in enumerate(show) if may]
        if rest:
            show[min(rest, key=lambda i: (tallies[i].count, i))] = False
    return show


def figure_text(tally: Tally, may_show: bool, text: str) -> str:
    """`text`, unless the figure is about fewer than five members or withheld (see protect)."""
    if not shown(tally.members):
        return HIDDEN
    return text if may_show else WITHHELD


def count_text(tally: Tally, may_show: bool = True) -> str:
    return figure_text(tally, may_show, str(tally.count))


def share(on_time: int, total: Tally) -> float | None:
    """The share of thank-yous marked sent within 24 h, or None when it must not be shown."""
    if not shown(total.members) or total.count == 0:
        return None
    return on_time / total.count


def share_text(on_time: int, total: Tally, may_show: bool = True) -> str:
    value = share(on_time, total)
    return figure_text(total, may_show, "none due yet" if value is None else f"{round(value * 100)}% of {total.count}")


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


@dataclass(frozen=True)
class MonthShown:
    """A month's figures with which of its additive ones may be shown (see protect)."""

    figures: MonthFigures
    interviews: bool
    thank_yous: bool

    @property
    def drawn(self) -> bool:
        """On the chart: a month about five members or more (its withheld figures left out)."""
        return shown(self.figures.interviews.members)


def months_shown(months: Sequence[MonthFigures]) -> list[MonthShown]:
    interviews = protect([m.interviews for m in months])
    thank_yous = protect([m.thank_yous for m in months])
    return [MonthShown(m, i, t) for m, i, t in zip(months, interviews, thank_yous, strict=True)]


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
    from bot.career_center.chart import monthly_chart

    if args.strip():
        raise refuse("admin stats takes nothing more. Example: /interview admin stats")
    figures = await ctx.tx.community_stats(ctx.actor.platform, ctx.actor.community, ctx.now,
                                           since=months_start(ctx.now))
    months = months_shown(figures.months)
    chart = await asyncio.to_thread(monthly_chart, months)  # matplotlib is slow: off the event loop
    return stats_reply(figures, months, chart)
