"""What a button's command needs before it runs, read from the core's command value
(bot.grammar.parse), never from its words: the interview it acts on, and whether it still needs a
time (whether it only shows something is bot.capabilities')."""

from __future__ import annotations

from bot.capabilities import time_question
from bot.grammar import GrammarError, parse

_SOME_TIME = "tomorrow 10:00"


def interview_number(command: str) -> int | None:
    """The interview a command acts on (`sent #3 thank-you` -> 3), if it names one."""
    read = parse(command)
    if isinstance(read, GrammarError) and time_question(command) is not None:
        read = parse(f"{command} {_SOME_TIME}")
    number = getattr(read, "number", None)
    return number if isinstance(number, int) else None


__all__ = ["interview_number", "time_question"]
