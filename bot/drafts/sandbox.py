"""The sandbox a draft template renders in, with a budget: what a community's template may do, and
how much of it.

Jinja2's ImmutableSandboxedEnvironment already keeps a template from reaching Python's internals
or changing the values it is given. On top of that, this environment refuses, through the sandbox's
documented hooks (`call`, `call_binop`/`intercepted_binops`, `getattr`/`getitem`,
`is_safe_attribute`, `wrap_str_format`, a `range` and a `namespace` of its own, `finalize` and the
filters table), every operation whose result could outgrow the budget (template_budget.py) before
it is built (the checks are size_guards.py's):

- every builtin method a template may call is one that cannot grow anything, or one whose result's
  size is checked first;
- a value returned by a macro or filter, or printed, is at most MAX_VALUE characters, and the whole
  output at most MAX_OUTPUT (render.py cuts it there);
- every call, attribute read, operator and loop step counts against MAX_OPERATIONS, and the CPU
  time of one rendering against TIME_BUDGET.

A rendering that goes over any of these raises BudgetExceeded, whose `problem` is a sentence for
the admin. Community templates are only ever rendered in a worker process (template_workers.py)
that also enforces the time budget with a CPU timer and the memory budget with an address-space
limit, so a bomb no hook sees (nested loops over a long string call none) is still stopped there.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from functools import wraps
from typing import Any

from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.drafts.size_guards import (
    BoundedNamespace,
    CountedRange,
    check_binop,
    check_format_spec,
    filter_guard,
    sized_method,
)
from bot.drafts.template_budget import MAX_VALUE, check_size, spend, too_long

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


def _is_builtin_method(value: Any) -> bool:
    return isinstance(value, types.BuiltinMethodType | types.MethodWrapperType | types.MethodDescriptorType)


def _finalize(value: Any) -> Any:
    spend()
    if isinstance(value, str) and len(value) > MAX_VALUE:
        raise too_long("a printed value")
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
            self.filters[name] = filter_guard(name, function)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        spend()
        check_binop(operator, left, right)
        return check_size(super().call_binop(context, operator, left, right))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if _is_builtin_method(value) and attr not in SAFE_METHODS and attr not in SIZED_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def _guard_value(self, value: Any) -> Any:
        if _is_builtin_method(value) and isinstance(getattr(value, "__self__", None), str) \
                and value.__name__ in SIZED_METHODS:
            return sized_method(value)
        return value

    def getattr(self, obj: Any, attribute: str) -> Any:
        spend()
        return self._guard_value(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        spend()
        return self._guard_value(super().getitem(obj, argument))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = getattr(value, "__self__", "")

        @wraps(wrapper)
        def checked(*args: Any, **kwargs: Any) -> str:
            spend()
            check_format_spec(fmt)
            return str(check_size(wrapper(*args, **kwargs), "the result of format()"))

        return checked

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        spend()
        return check_size(super().call(__context, __obj, *args, **kwargs), "the result of a macro or call")

