"""Dates written in numbers only ("03/04", "01.12.2026", "4-3-27"), which read two ways.

Whether 03/04 is the 3rd of April or March 4th depends on where the writer learned to write dates.
The user's date order (`day-first` or `month-first`, a setting that starts from their platform's
locale) decides; when it is unknown and both readings are real dates, the answer is a question,
never a guess. A part over 12 can only be the day, so 25/12 reads one way whatever the order.
A year written with two digits is in this century (26 is 2026).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DateOrder = Literal["day-first", "month-first"]
DATE_ORDERS: tuple[DateOrder, ...] = ("day-first", "month-first")

_NUMERIC = re.compile(r"^(?:on\s+)?(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?$")
_YEAR_FIRST = re.compile(r"^(?:on\s+)?(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})$")


@dataclass(frozen=True)
class NumericDate:
    """A numeric date read one way (`day`), or two (`ask` holds both)."""

    day: tuple[int | None, int, int] | None  # (year or None, month, day)
    ask: tuple[tuple[int | None, int, int], tuple[int | None, int, int]] | None = None


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29/02 without a year is a date
    except ValueError:
        return False
    return True


def read_numeric(text: str, order: DateOrder | None) -> NumericDate | None:
    """None when `text` is not a numeric date; a reading with no `day` and no `ask` when it is one
    that cannot be a date (31/31)."""
    if m := _YEAR_FIRST.match(text):
        parts = (int(m["y"]), int(m["m"]), int(m["d"]))
        return NumericDate(parts if _valid(*parts) else None)
    m = _NUMERIC.match(text)
    if not m:
        return None
    a, b = int(m["a"]), int(m["b"])
    year = None if m["y"] is None else int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
    day_first = (year, b, a)
    month_first = (year, a, b)
    options = [p for p in (day_first, month_first) if _valid(*p)]
    if not options:
        return NumericDate(None)
    if len(options) == 1 or day_first == month_first:
        return NumericDate(options[0])
    if order == "day-first":
        return NumericDate(day_first)
    if order == "month-first":
        return NumericDate(month_first)
    return NumericDate(None, ask=(day_first, month_first))


def order_from_locale(locale: str | None) -> DateOrder | None:
    """A platform locale ("en-US", "de_DE.UTF-8", "en-GB") -> the date order people there write; None
    when no locale is known. Month first is the custom in the United States and a few places near it."""
    if not locale:
        return None
    tag = locale.split(".")[0].replace("_", "-").lower()
    if tag in ("c", "posix", ""):
        return None
    if tag.endswith(("-us", "-ph", "-fm", "-mh", "-pw", "-as", "-gu", "-um", "-vi", "-mp")) or tag in ("en", "en-us"):
        return "month-first"
    return "day-first"
