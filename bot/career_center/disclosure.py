"""What an aggregate figure may show without singling a member out.

A figure about fewer than five members is shown as "fewer than 5" (and not drawn); where such a
figure is one of several adding up to a total shown elsewhere (the months, the outcomes), one more
is "withheld", so that it cannot be worked out by subtraction. The text of `admin stats` and its
chart both ask here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.career_center.records import MonthFigures, Tally

MIN_MEMBERS = 5
HIDDEN = "fewer than 5"
WITHHELD = "withheld"


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
