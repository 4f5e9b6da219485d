"""A PNG chart of the monthly figures for `admin stats` (matplotlib, Agg backend, imported lazily).

Only figures that the text shows are drawn: a month about fewer than five members is left out, and
so are a withheld interview count and a thank-you share whose count is not shown.
"""

from __future__ import annotations

import io
import logging
import math

from bot.career_center.chart_words import chart_alt
from bot.career_center.disclosure import MonthShown, median_days, share
from bot.replies import FileOut

log = logging.getLogger(__name__)


def monthly_chart(months: list[MonthShown]) -> FileOut | None:
    """Interviews and members per month (bars), thank-yous on time (%) and median days to check-in 1
    (lines); None when no month may be shown or matplotlib is missing."""
    drawn = [m for m in months if m.drawn]
    visible = [m.figures for m in drawn]
    if not visible:
        return None
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a dependency of the career center
        log.warning("matplotlib is not installed: admin stats comes without its chart")
        return None
    labels = [m.month for m in visible]
    x = list(range(len(visible)))
    figure = Figure(figsize=(8, 4.5), dpi=100)
    FigureCanvasAgg(figure)  # the Agg backend, without pyplot's global state
    top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    width = 0.4
    counts = [m.figures.interviews.count if m.interviews else math.nan for m in drawn]  # NaN: no bar
    top.bar([i - width / 2 for i in x], counts, width, label="interviews logged")
    top.bar([i + width / 2 for i in x], [m.interviews.members for m in visible], width, label="members")
    top.set_ylabel("count")
    top.legend(loc="upper left", fontsize="small")
    top.set_title("Followthrough: monthly figures (figures about fewer than 5 members, and withheld ones, left out)",
                  fontsize="medium")
    shares = [(i, share(m.figures.thank_yous_on_time, m.figures.thank_yous) if m.thank_yous else None)
              for i, m in zip(x, drawn, strict=True)]
    points = [(i, v * 100) for i, v in shares if v is not None]
    if points:
        bottom.plot([p[0] for p in points], [p[1] for p in points], marker="o", label="thank-yous within 24 h (%)")
    bottom.set_ylim(0, 105)
    bottom.set_ylabel("%")
    medians = [(i, median_days(m.check_in_days, m.check_in_members)) for i, m in zip(x, visible, strict=True)]
    days = [(i, v) for i, v in medians if v is not None]
    if days:
        right = bottom.twinx()
        right.plot([p[0] for p in days], [p[1] for p in days], marker="s", color="tab:green",
                   label="median days to check-in 1")
        right.set_ylabel("days")
        right.legend(loc="lower right", fontsize="small")
    if points:
        bottom.legend(loc="lower left", fontsize="small")
    bottom.set_xticks(x, labels, rotation=45, fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return FileOut(filename="followthrough-stats.png", content=buffer.getvalue(), mime="image/png",
                   alt=chart_alt(labels, has_shares=bool(points), has_days=bool(days)))
