"""The staff chart in words: its alternative text, for people who do not see the image."""

from __future__ import annotations

from collections.abc import Sequence


def chart_alt(months: Sequence[str], *, has_shares: bool, has_days: bool) -> str:
    """What the chart of `months` shows, briefly; the message beside it lists every figure."""
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
    lines = ["thank-yous sent within 24 hours (percent)"] if has_shares else []
    if has_days:
        lines.append("median days to the first check-in")
    drawn = f"; as lines: {' and '.join(lines)}" if lines else ""
    return (f"Chart of Followthrough's monthly figures, {span}: as bars, interviews logged and members each "
            f"month{drawn}. Months about fewer than 5 members are left out. The message lists the same figures.")
