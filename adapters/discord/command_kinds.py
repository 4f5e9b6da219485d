"""What a button's command needs before it runs, read from the core's command value
(bot.grammar.parse), never from its words: the interview it acts on, and whether it still needs a
time (whether it only shows something is bot.capabilities')."""

from __future__ import annotations

from bot.commands import Heard, NewsKind
from bot.grammar import GrammarError, parse

_QUESTIONS = {NewsKind.NEXT_ROUND: "When is the next round?", NewsKind.DECISION: "When will they decide?"}
_SOME_TIME = "tomorrow 10:00"


def interview_number(command: str) -> int | None:
    """The interview a command acts on (`sent #3 thank-you` -> 3), if it names one."""
    read = parse(command)
    if isinstance(read, GrammarError) and time_question(command) is not None:
        read = parse(f"{command} {_SOME_TIME}")
    number = getattr(read, "number", None)
    return number if isinstance(number, int) else None


def time_question(command: str) -> str | None:
    """The question to ask when `command` is complete only once given a time (a button's
    `heard #3 next round`), else None."""
    if isinstance(parse(command), GrammarError):
        completed = parse(f"{command} {_SOME_TIME}")
        if isinstance(completed, Heard) and completed.when == _SOME_TIME:
            return _QUESTIONS.get(completed.news)
    return None
