"""The sandbox a draft template renders in, with a budget: what a community's template may do, and
how much of it.

Jinja2's ImmutableSandboxedEnvironment already keeps a template from reaching Python's internals
or changing the values it is given. On top of that, this environment refuses, through the sandbox's
documented hooks (`call`, `call_binop`/`intercepted_binops`, `getattr`/`getitem`,
`is_safe_attribute`, `wrap_str_format`, a `range` and a `namespace` of its own, `finalize` and the
filters table), every operation whose result could outgrow the budget before it is built:

- `range()` gives at most MAX_ITEMS numbers, and every step of it counts;
- `*`, `+`, `**` and `%` on strings, lists and integers: a string or list longer than MAX_VALUE
  characters or items, or an integer wider than MAX_BITS bits, is refused before it is computed;
- `%`-formatting, the `format` filter and `str.format` refuse widths and precisions over MAX_WIDTH
  ("%0999999999d" is refused, not attempted);
- the `center`, `indent`, `replace`, `join`, `batch` and `slice` filters and the string methods
  `center`, `ljust`, `rjust`, `zfill`, `replace`, `join`, `expandtabs` check the size of their
  result first; every other builtin method a template may call is one that cannot grow anything;
- a value kept in a `namespace()`, returned by a macro or filter, or printed, is at most MAX_VALUE
  characters, and the whole output at most MAX_OUTPUT (render.py cuts it there);
- every call, attribute read, operator and loop step counts against MAX_OPERATIONS, and the CPU
  time of one rendering against TIME_BUDGET.

A rendering that goes over any of these raises BudgetExceeded, whose `problem` is a sentence for
the admin. Community templates are only ever rendered in a worker process (template_workers.py)
that also enforces the time budget with a CPU timer and the memory budget with an address-space
limit, so a bomb no hook sees (nested loops over a long string call none) is still stopped there.
"""

from __future__ import annotations

import re
import time
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from string import Formatter
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

TIME_BUDGET = 0.100  # seconds of CPU time for one rendering of one draft
MEMORY_BUDGET = 32 * 1024 * 1024  # bytes a rendering may add to its worker process
MAX_OUTPUT = 20_000  # characters of one rendered draft
MAX_VALUE = MAX_OUTPUT  # characters of a string, or items of a list, built by a template
MAX_ITEMS = 1_000  # numbers one range() may give
MAX_BITS = 256  # width of an integer a template may compute (about 77 digits)
MAX_WIDTH = 200  # a field width or precision in a format string
MAX_OPERATIONS = 200_000  # calls, attribute reads, operators and loop steps of one rendering

# Builtin methods a template may call: none of them makes anything larger than what it is given.
SAFE_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isascii",
    "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle",
    "isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "rfind", "rindex",
    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
    "upper", "get", "items", "keys", "values", "copy",
})  # fmt: skip
# String methods whose result can be much larger than the string: their size is checked first.
SIZED_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "replace", "join", "expandtabs"})

_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_DIGITS = re.compile(r"\d+")


class BudgetExceeded(SecurityError):
    """A rendering went over its budget or tried an operation that would; `problem` says which."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass
class Budget:
    """What one rendering has spent so far."""

    operations: int = 0
    started: float = field(default_factory=time.thread_time)

    def spend(self, count: int = 1) -> None:
        self.operations += count
        if self.operations > MAX_OPERATIONS:
            raise BudgetExceeded(f"the template does too much work (more than {MAX_OPERATIONS:,} steps); "
                                 "simplify its loops")
        if self.operations % 64 == 0 and time.thread_time() - self.started > TIME_BUDGET:
            raise over_time()


def over_time() -> BudgetExceeded:
    return BudgetExceeded(f"the template took longer than {TIME_BUDGET * 1000:.0f} ms to render; "
                          "simplify its loops")


def over_memory() -> BudgetExceeded:
    return BudgetExceeded(f"the template needed more than {MEMORY_BUDGET // (1024 * 1024)} MB to render")


_BUDGET: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def budget() -> Iterator[Budget]:
    """Count what the renderings inside the block spend (one budget for the block)."""
    spent = Budget()
    token = _BUDGET.set(spent)
    try:
        yield spent
    finally:
        _BUDGET.reset(token)


def _spend(count: int = 1) -> None:
    spent = _BUDGET.get()
    if spent is not None:
        spent.spend(count)


def _too_long(what: str) -> BudgetExceeded:
    return BudgetExceeded(f"{what} would be longer than {MAX_VALUE:,} characters")


def _check_size(value: Any, what: str = "a value") -> Any:
    if isinstance(value, str | list | tuple | bytes | dict) and len(value) > MAX_VALUE:
        raise _too_long(what)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise BudgetExceeded(f"a number would be wider than {MAX_BITS} bits")
    return value


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
            _spend()
            yield number

    def __repr__(self) -> str:
        return repr(self._range)


class BoundedNamespace(Namespace):
    """`namespace()` for templates: what a template keeps in it is within MAX_VALUE."""

    def __setitem__(self, name: str, value: Any) -> None:
        _spend()
        super().__setitem__(name, _check_size(value, "a value kept in a namespace"))


def _sized_method(method: Callable[..., Any]) -> Callable[..., Any]:
    """A string's center/ljust/rjust/zfill/replace/join/expandtabs, checking the result's size first."""
    text: str = getattr(method, "__self__", "")
    name = method.__name__

    @wraps(method)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _spend()
        if name in ("center", "ljust", "rjust", "zfill"):
            width = _int(args[0]) if args else None
            if width is not None and width > MAX_VALUE:
                raise _too_long(f"the result of {name}()")
        elif name == "expandtabs":
            size = _int(args[0] if args else kwargs.get("tabsize", 8))
            if size is not None and size * max(1, text.count("\t")) + len(text) > MAX_VALUE:
                raise _too_long("the result of expandtabs()")
        elif name == "replace" and len(args) >= 2:
            _check_replace(text, args[0], args[1], args[2] if len(args) > 2 else -1)
        elif name == "join" and args:
            items = _bounded_items(args[0])
            size = sum(len(i) if isinstance(i, str) else MAX_VALUE + 1 for i in items)
            if size + len(text) * max(0, len(items) - 1) > MAX_VALUE:
                raise _too_long("the result of join()")
            return _check_size(method(items))
        return _check_size(method(*args, **kwargs), f"the result of {name}()")

    return checked


def _check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    times = len(text) + 1 if old == "" else text.count(old)
    limit = _int(count)
    if limit is not None and limit >= 0:
        times = min(times, limit)
    if len(text) + times * (len(new) - len(old)) > MAX_VALUE:
        raise _too_long("the result of replace")


def _bounded_items(items: Any) -> list[Any]:
    """The items of an iterable, refusing more than MAX_VALUE of them."""
    out: list[Any] = []
    for item in items:
        _spend()
        out.append(item)
        if len(out) > MAX_VALUE:
            raise _too_long("a list")
    return out


def _is_builtin_method(value: Any) -> bool:
    return isinstance(value, types.BuiltinMethodType | types.MethodWrapperType | types.MethodDescriptorType)


def _filter_guard(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A Jinja2 filter that counts, pre-checks the arguments known to blow up, and checks its result."""

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _spend()
        values = [a for a in args if not isinstance(a, Context | EvalContext | ImmutableSandboxedEnvironment)]
        value = values[0] if values else None
        rest = values[1:]
        if name == "center":
            width = _int(rest[0] if rest else kwargs.get("width", 80))
            if width is not None and width > MAX_VALUE:
                raise _too_long("the result of the center filter")
        elif name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            pad = len(width) if isinstance(width, str) else (_int(width) or 0)
            lines = str(value).count("\n") + 1
            if pad * lines + len(str(value)) > MAX_VALUE:
                raise _too_long("the result of the indent filter")
        elif name == "format" and isinstance(value, str):
            check_printf(value, tuple(rest) if rest else kwargs)
        elif name == "replace" and len(rest) >= 2:
            _check_replace(value, rest[0], rest[1], rest[2] if len(rest) > 2 else kwargs.get("count", -1))
        elif name == "join" and value is not None:
            items = _bounded_items(value)
            joiner = rest[0] if rest else kwargs.get("d", "")
            size = sum(len(str(i)) for i in items) + len(str(joiner)) * max(0, len(items) - 1)
            if size > MAX_VALUE:
                raise _too_long("the result of the join filter")
            args = tuple(items if a is value else a for a in args)
        elif name in ("batch", "slice"):
            count = _int(rest[0] if rest else kwargs.get("linecount", kwargs.get("slices")))
            if count is not None and count > MAX_ITEMS:
                raise BudgetExceeded(f"the {name} filter takes at most {MAX_ITEMS:,} (this one asks for {count:,})")
        elif name == "wordwrap":
            width = _int(rest[0] if rest else kwargs.get("width", 79))
            if width is not None and width < 1:
                raise BudgetExceeded("the wordwrap filter needs a width of at least 1")
        return _check_size(function(*args, **kwargs), f"the {name} filter's result")

    return guarded


def _finalize(value: Any) -> Any:
    _spend()
    if isinstance(value, str) and len(value) > MAX_VALUE:
        raise _too_long("a printed value")
    return value


class BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for draft templates (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "/", "-"})

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=_finalize, **options)
        self.globals["range"] = CountedRange
        self.globals["namespace"] = BoundedNamespace
        for unsafe in ("lipsum", "cycler", "joiner"):
            self.globals.pop(unsafe, None)

    def guard_filters(self) -> None:
        """Wrap every filter (call after adding the project's own)."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _filter_guard(name, function)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _spend()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size, count = _length(seq), _int(times)
                if size is not None and count is not None and size * count > MAX_VALUE:
                    raise _too_long("a repeated string or list")
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
                raise _too_long("a joined string or list")
        elif operator == "%" and isinstance(left, str):
            check_printf(left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if _is_builtin_method(value) and attr not in SAFE_METHODS and attr not in SIZED_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def _guard_value(self, value: Any) -> Any:
        if _is_builtin_method(value) and isinstance(getattr(value, "__self__", None), str) \
                and value.__name__ in SIZED_METHODS:
            return _sized_method(value)
        return value

    def getattr(self, obj: Any, attribute: str) -> Any:
        _spend()
        return self._guard_value(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        _spend()
        return self._guard_value(super().getitem(obj, argument))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = getattr(value, "__self__", "")

        @wraps(wrapper)
        def checked(*args: Any, **kwargs: Any) -> str:
            _spend()
            check_format_spec(fmt)
            return str(_check_size(wrapper(*args, **kwargs), "the result of format()"))

        return checked

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _spend()
        return _check_size(super().call(__context, __obj, *args, **kwargs), "the result of a macro or call")


__all__ = [
    "MAX_ITEMS",
    "MAX_OUTPUT",
    "MAX_VALUE",
    "MEMORY_BUDGET",
    "TIME_BUDGET",
    "Budget",
    "BudgetExceeded",
    "BudgetedEnvironment",
    "budget",
    "over_memory",
    "over_time",
]
