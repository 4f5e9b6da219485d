"""How much one rendering of a draft template may spend, and what it raises when it goes over.

The numbers: CPU time (TIME_BUDGET), memory a worker process may add (MEMORY_BUDGET), the output's
length (MAX_OUTPUT), the size of a string, list or integer a template builds (MAX_VALUE, MAX_BITS),
the numbers a range() gives (MAX_ITEMS), format widths (MAX_WIDTH) and the steps of one rendering
(MAX_OPERATIONS). `budget()` counts what the renderings inside it spend; going over any of these
raises BudgetExceeded, whose `problem` is a sentence for the admin.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2.exceptions import SecurityError

TIME_BUDGET = 0.100  # seconds of CPU time for one rendering of one draft
MEMORY_BUDGET = 32 * 1024 * 1024  # bytes a rendering may add to its worker process
MAX_OUTPUT = 20_000  # characters of one rendered draft
MAX_VALUE = MAX_OUTPUT  # characters of a string, or items of a list, built by a template
MAX_ITEMS = 1_000  # numbers one range() may give
MAX_BITS = 256  # width of an integer a template may compute (about 77 digits)
MAX_WIDTH = 200  # a field width or precision in a format string
MAX_OPERATIONS = 200_000  # calls, attribute reads, operators and loop steps of one rendering


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


def spend(count: int = 1) -> None:
    """Count `count` steps against the budget of the rendering under way, if any."""
    spent = _BUDGET.get()
    if spent is not None:
        spent.spend(count)


def too_long(what: str) -> BudgetExceeded:
    return BudgetExceeded(f"{what} would be longer than {MAX_VALUE:,} characters")


def check_size(value: Any, what: str = "a value") -> Any:
    """`value`, unless it is a string or list longer than MAX_VALUE or an integer wider than MAX_BITS."""
    if isinstance(value, str | list | tuple | bytes | dict) and len(value) > MAX_VALUE:
        raise too_long(what)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise BudgetExceeded(f"a number would be wider than {MAX_BITS} bits")
    return value
