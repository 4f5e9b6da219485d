"""Checks that refuse what a template would build too large, before it is built.

- `range()` gives at most MAX_ITEMS numbers, and every step of it counts (CountedRange);
- `*`, `+`, `**` and `%` on strings, lists and integers: a string or list longer than MAX_VALUE
  characters or items, or an integer wider than MAX_BITS bits, is refused before it is computed
  (check_binop);
- `%`-formatting, the `format` filter and `str.format` refuse widths and precisions over MAX_WIDTH
  ("%0999999999d" is refused, not attempted: check_printf, check_format_spec);
- the `center`, `indent`, `replace`, `join`, `batch` and `slice` filters (filter_guard) and the
  string methods `center`, `ljust`, `rjust`, `zfill`, `replace`, `join`, `expandtabs`
  (sized_method) check the size of their result first;
- a value kept in a `namespace()` is at most MAX_VALUE characters (BoundedNamespace).

The numbers are template_budget.py's; sandbox.py puts these checks in the environment's hooks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from string import Formatter
from typing import Any

from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from bot.drafts.template_budget import (
    MAX_BITS,
    MAX_ITEMS,
    MAX_VALUE,
    MAX_WIDTH,
    BudgetExceeded,
    check_size,
    spend,
    too_long,
)

_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_DIGITS = re.compile(r"\d+")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple | bytes) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_width(width: int, what: str = "a width") -> None:
    if width > MAX_WIDTH:
        raise BudgetExceeded(f"{what} of {width:,} is more than the {MAX_WIDTH} allowed")


def check_printf(fmt: str, args: Any) -> None:
    """Refuse a `%`-format whose widths or precisions (written, or given by `*`) are too large."""
    values = list(args) if isinstance(args, tuple | list) else [args]
    position = 0
    for match in _PRINTF.finditer(fmt):
        for part in (match.group(1), match.group(2)):
            if part == "*":
                given = _int(values[position]) if position < len(values) else None
                position += 1
                if given is not None:
                    _check_width(abs(given))
            elif part:
                _check_width(int(part))
        if match.group(3) != "%":
            position += 1


def check_format_spec(fmt: str) -> None:
    """Refuse a `str.format` string whose field widths or precisions are too large or computed."""
    try:
        fields = list(Formatter().parse(fmt))
    except ValueError:
        return  # str.format will say what is wrong
    for _, name, spec, _ in fields:
        if name is None or not spec:
            continue
        if "{" in spec:
            raise BudgetExceeded("a format width computed from another value is not allowed")
        for digits in _DIGITS.findall(spec):
            _check_width(int(digits))


class CountedRange(Sequence[int]):
    """`range()` for templates: at most MAX_ITEMS numbers, each step counted."""

    def __init__(self, *args: int) -> None:
        self._range = range(*args)
        if len(self._range) > MAX_ITEMS:
            raise BudgetExceeded(f"a range() in a template gives at most {MAX_ITEMS:,} numbers "
                                 f"(this one asks for {len(self._range):,})")

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __iter__(self) -> Iterator[int]:
        for number in self._range:
            spend()
            yield number

    def __repr__(self) -> str:
        return repr(self._range)


class BoundedNamespace(Namespace):
    """`namespace()` for templates: what a template keeps in it is within MAX_VALUE."""

    def __setitem__(self, name: str, value: Any) -> None:
        spend()
        super().__setitem__(name, check_size(value, "a value kept in a namespace"))


def sized_method(method: Callable[..., Any]) -> Callable[..., Any]:
    """A string's center/ljust/rjust/zfill/replace/join/expandtabs, checking the result's size first."""
    text: str = getattr(method, "__self__", "")
    name = method.__name__

    @wraps(method)
    def checked(*args: Any, **kwargs: Any) -> Any:
        spend()
        if name in ("center", "ljust", "rjust", "zfill"):
            width = _int(args[0]) if args else None
            if width is not None and width > MAX_VALUE:
                raise too_long(f"the result of {name}()")
        elif name == "expandtabs":
            size = _int(args[0] if args else kwargs.get("tabsize", 8))
            if size is not None and size * max(1, text.count("\t")) + len(text) > MAX_VALUE:
                raise too_long("the result of expandtabs()")
        elif name == "replace" and len(args) >= 2:
            _check_replace(text, args[0], args[1], args[2] if len(args) > 2 else -1)
        elif name == "join" and args:
            items = _bounded_items(args[0])
            size = sum(len(i) if isinstance(i, str) else MAX_VALUE + 1 for i in items)
            if size + len(text) * max(0, len(items) - 1) > MAX_VALUE:
                raise too_long("the result of join()")
            return check_size(method(items))
        return check_size(method(*args, **kwargs), f"the result of {name}()")

    return checked


def _check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    times = len(text) + 1 if old == "" else text.count(old)
    limit = _int(count)
    if limit is not None and limit >= 0:
        times = min(times, limit)
    if len(text) + times * (len(new) - len(old)) > MAX_VALUE:
        raise too_long("the result of replace")


def _bounded_items(items: Any) -> list[Any]:
    """The items of an iterable, refusing more than MAX_VALUE of them."""
    out: list[Any] = []
    for item in items:
        spend()
        out.append(item)
        if len(out) > MAX_VALUE:
            raise too_long("a list")
    return out


def filter_guard(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A Jinja2 filter that counts, pre-checks the arguments known to blow up, and checks its result."""

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        spend()
        values = [a for a in args if not isinstance(a, Context | EvalContext | ImmutableSandboxedEnvironment)]
        value = values[0] if values else None
        rest = values[1:]
        if name == "center":
            width = _int(rest[0] if rest else kwargs.get("width", 80))
            if width is not None and width > MAX_VALUE:
                raise too_long("the result of the center filter")
        elif name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            pad = len(width) if isinstance(width, str) else (_int(width) or 0)
            lines = str(value).count("\n") + 1
            if pad * lines + len(str(value)) > MAX_VALUE:
                raise too_long("the result of the indent filter")
        elif name == "format" and isinstance(value, str):
            check_printf(value, tuple(rest) if rest else kwargs)
        elif name == "replace" and len(rest) >= 2:
            _check_replace(value, rest[0], rest[1], rest[2] if len(rest) > 2 else kwargs.get("count", -1))
        elif name == "join" and value is not None:
            items = _bounded_items(value)
            joiner = rest[0] if rest else kwargs.get("d", "")
            size = sum(len(str(i)) for i in items) + len(str(joiner)) * max(0, len(items) - 1)
            if size > MAX_VALUE:
                raise too_long("the result of the join filter")
            args = tuple(items if a is value else a for a in args)
        elif name in ("batch", "slice"):
            count = _int(rest[0] if rest else kwargs.get("linecount", kwargs.get("slices")))
            if count is not None and count > MAX_ITEMS:
                raise BudgetExceeded(f"the {name} filter takes at most {MAX_ITEMS:,} (this one asks for {count:,})")
        elif name == "wordwrap":
            width = _int(rest[0] if rest else kwargs.get("width", 79))
            if width is not None and width < 1:
                raise BudgetExceeded("the wordwrap filter needs a width of at least 1")
        return check_size(function(*args, **kwargs), f"the {name} filter's result")

    return guarded


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `left operator right` when its result would be larger than the budget allows."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            size, count = _length(seq), _int(times)
            if size is not None and count is not None and size * count > MAX_VALUE:
                raise too_long("a repeated string or list")
        if _int(left) is not None and _int(right) is not None \
                and left.bit_length() + right.bit_length() > MAX_BITS:
            raise BudgetExceeded(f"a number would be wider than {MAX_BITS} bits")
    elif operator == "**":
        base, exponent = _int(left), _int(right)
        if base is not None and exponent is not None and exponent > 0 and abs(base) > 1 \
                and base.bit_length() * exponent > MAX_BITS:
            raise BudgetExceeded(f"a number would be wider than {MAX_BITS} bits")
        if exponent is None and isinstance(right, float) and abs(right) > MAX_BITS:
            raise BudgetExceeded("the exponent is too large")
    elif operator == "+":
        a, b = _length(left), _length(right)
        if a is not None and b is not None and a + b > MAX_VALUE:
            raise too_long("a joined string or list")
    elif operator == "%" and isinstance(left, str):
        check_printf(left, right)
