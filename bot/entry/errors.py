"""A process that cannot start, said in one line an operator can act on."""

from __future__ import annotations


class CannotStart(Exception):
    """A process cannot start, for a reason the operator can fix: one line, shown as the exit
    message (no traceback)."""


def one_line(error: BaseException) -> str:
    """An error as one short line for an operator: the driver's own first line, no SQL, no
    parameters, no password (redacted by the log filters as well)."""
    cause: BaseException = getattr(error, "orig", None) or error
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {text[:200]}" if text else type(cause).__name__
