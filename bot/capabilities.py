"""What a command may do, read from the command value (never from its text): whether it only
shows things (a button running it may be pressed again and leaves its message as it was; it
needs no member row), whether only a community's staff may run it, the interview it acts on (a
button's label for screen readers names it), and, for a button's command that is complete only
once given a time (`heard #3 next round`), the question to ask first and whether its answer is a
moment (a next round) or a day (a decision date)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import commands as c
from bot import grammar

# Admin subcommands that change nothing: `admin defaults` with no values shows them, and so on.
_STAFF_READS = {"stats": ("",), "defaults": ("",)}
_TEMPLATE_READS = ("", "show", "preview", "history")


@dataclass(frozen=True)
class Capabilities:
    read_only: bool  # shows things, changes nothing
    staff_only: bool  # a community's staff only (Slack user group or admins, Discord Manage Server, --admin)

    @property
    def needs_member(self) -> bool:
        """Running it writes the member's own data, so their row must exist."""
        return not self.read_only


def capabilities(command: c.Command) -> Capabilities:
    return Capabilities(read_only=_reads_only(command), staff_only=isinstance(command, c.Admin))


def _reads_only(command: c.Command) -> bool:
    if isinstance(command, c.ListInterviews | c.Show | c.DraftRequest | c.Help | c.Calendar | c.Export):
        return True
    if isinstance(command, c.Add):
        return command.fields is None  # the form, nothing logged yet
    if isinstance(command, c.Settings):
        return not command.values
    if isinstance(command, c.Forget):
        return not command.confirm  # asks to confirm first
    if isinstance(command, c.Admin):
        args = command.args.split()
        if command.sub == "template":
            return len(args) <= 1 or args[1].lower() in _TEMPLATE_READS
        return command.sub in _STAFF_READS and not args
    return False


def text_capabilities(text: str) -> Capabilities:
    """The capabilities of a command's text (a button's value): those of the command the grammar
    reads from it. Text it cannot read as it stands (`heard #3 next round`, still missing its time)
    is taken as a command that changes something once completed."""
    command = grammar.parse(text)
    if isinstance(command, c.GrammarError):
        return Capabilities(read_only=False, staff_only=False)
    return capabilities(command)


def is_read_only(text: str) -> bool:
    return text_capabilities(text).read_only


@dataclass(frozen=True)
class TimeAsked:
    """What to ask before a command missing its time can run: the question, and whether the answer
    is a day (a decision date) rather than a moment (a next round's start)."""

    question: str
    day: bool


_TIME_QUESTIONS = {
    c.NewsKind.NEXT_ROUND: TimeAsked("When is the next round?", day=False),
    c.NewsKind.DECISION: TimeAsked("When will they decide?", day=True),
}
_SOME_TIME = "tomorrow 10:00"


def time_asked(text: str) -> TimeAsked | None:
    """What to ask when `text` reads as a command only once a time is added (a button's
    `heard #3 next round`), else None."""
    if not isinstance(grammar.parse(text), c.GrammarError):
        return None
    completed = grammar.parse(f"{text} {_SOME_TIME}")
    if isinstance(completed, c.Heard) and completed.when == _SOME_TIME:
        return _TIME_QUESTIONS.get(completed.news)
    return None


def time_question(text: str) -> str | None:
    """The question to ask when `text` reads as a command only once a time is added, else None."""
    asked = time_asked(text)
    return asked.question if asked is not None else None


def interview_number(text: str) -> int | None:
    """The interview a command acts on (`sent #3 thank-you` -> 3), if it names one; a button's
    command still missing its time (`heard #3 next round`) is read as completed."""
    command = grammar.parse(text)
    if isinstance(command, c.GrammarError) and time_question(text) is not None:
        command = grammar.parse(f"{text} {_SOME_TIME}")
    number = getattr(command, "number", None)
    return number if isinstance(number, int) else None
