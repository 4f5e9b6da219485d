"""`/interview add` on its own, at a terminal: the questions of the core's add form, one at a time.

Each answer is read as it is typed, by the core's own grammar and time parser, and a mistake is
said at once and asked again; earlier answers are kept. Interviewers come one per line until an
empty line. The form also asks when the employer said they would decide. `cancel` (or Ctrl-C, or
Ctrl-D) leaves the form and nothing is logged. When the core refuses the finished form, the person
picks the answer to change and the rest are kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields, replace

from bot.commands import Fields, GrammarError, InterviewerSpec
from bot.domain import MAX_INTERVIEWERS
from bot.grammar import format_fields, format_interviewer, parse_fields, parse_interviewer
from bot.replies import Form, FormField

DECISION = FormField("decision", "When did they say they would decide?", placeholder="next Friday")
TIME_FIELDS = ("when", "decision")
CANCEL_WORDS = frozenset({"cancel", "/cancel", "/interview cancel"})


class Cancelled(Exception):
    """The person left the form (cancel, Ctrl-C, Ctrl-D)."""


Ask = Callable[[str], Awaitable[str | None]]  # a question -> the line typed; None at end of input
Say = Callable[[str], None]


class Unreadable(Exception):
    """A time or date answer the core did not accept; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


ReadTime = Callable[[str, str], Awaitable[str]]
"""(field, typed) -> the core's reading of a time answer, as it says it back; raises Unreadable."""


@dataclass
class Answers:
    fields: Fields = field(default_factory=Fields)

    def command(self, form: Form) -> str:
        return f"{form.command} {format_fields(self.fields)}"


def questions(form: Form) -> tuple[FormField, ...]:
    """The core's fields, and the decision date when the core's form does not ask for it."""
    if any(f.key == "decision" for f in form.fields):
        return form.fields
    return (*form.fields, DECISION)


class AddForm:
    def __init__(self, form: Form, ask: Ask, say: Say, read_time: ReadTime) -> None:
        self.form = form
        self.ask = ask
        self.say = say
        self.read_time = read_time
        self.answers = Answers()

    async def fill(self) -> str:
        """All questions in turn; returns the `add ...` command. Raises Cancelled."""
        self.say("Logging an interview. Type cancel (or press Ctrl-C) to stop; nothing is saved until the end.")
        for question in questions(self.form):
            await self.answer(question)
        return self.answers.command(self.form)

    async def change_one(self) -> str:
        """After the core refused the form: which answer to change; then the command again."""
        keys = [q.key for q in questions(self.form)]
        while True:
            typed = await self._line(f"Which answer do you want to change ({', '.join(keys)})? ")
            key = typed.strip().lower().rstrip(":")
            chosen = next((q for q in questions(self.form) if q.key == key), None)
            if chosen is not None:
                if chosen.key == "with":
                    self.answers.fields = replace(self.answers.fields, with_=())
                await self.answer(chosen)
                return self.answers.command(self.form)
            self.say(f"Type one of: {', '.join(keys)} (or cancel).")

    async def answer(self, question: FormField) -> None:
        if question.key == "with":
            await self._interviewers(question)
            return
        hint = f" (e.g. {question.placeholder})" if question.placeholder else ""
        optional = "" if question.required else " [Enter to skip]"
        current = getattr(self.answers.fields, question.key, None)
        kept = f" [now: {current}]" if isinstance(current, str) and current else ""
        while True:
            typed = (await self._line(f"{question.label}{hint}{kept}{optional}: ")).strip()
            if not typed:
                if kept:
                    return  # Enter keeps the answer already given
                if question.required:
                    self.say("This one is needed to log the interview (or type cancel to stop).")
                    continue
                return
            problem = await self._take(question.key, typed)
            if problem is None:
                return
            self.say(problem)

    async def _interviewers(self, question: FormField) -> None:
        people = list(self.answers.fields.with_)
        example = f" For example: {question.placeholder}" if question.placeholder else ""
        self.say(f"Who interviewed you? One person per line; an empty line when done.{example}")
        while len(people) < MAX_INTERVIEWERS:
            typed = (await self._line(f"Interviewer {len(people) + 1} (Enter when done): ")).strip()
            if not typed:
                break
            person = parse_interviewer(typed.replace(";", ","))
            if isinstance(person, GrammarError):
                self.say(person.message)
                continue
            people.append(person)
            self.say(f"  ✓ {_who(person)}")
        else:
            self.say(f"That is the most one interview can have ({MAX_INTERVIEWERS}).")
        self.answers.fields = replace(self.answers.fields, with_=tuple(people))

    async def _take(self, key: str, typed: str) -> str | None:
        """Read one answer with the core's grammar (and its reading of times, with the rules of
        each field: the plausible years, the member's date order); None when it reads well."""
        value = " ".join(typed.replace(";", ",").split())  # a ';' would start another field
        parsed = parse_fields(f"{key}: {value}")
        if isinstance(parsed, GrammarError):
            return parsed.message
        if key in TIME_FIELDS:
            try:
                said = await self.read_time(key, value)
            except Unreadable as problem:
                return problem.message
            self.say(f"  ✓ {said}")
        self.answers.fields = _merge(self.answers.fields, parsed)
        return None

    async def _line(self, question: str) -> str:
        typed = await self.ask(question)
        if typed is None or typed.strip().lower() in CANCEL_WORDS:
            raise Cancelled
        return typed


def _merge(into: Fields, given: Fields) -> Fields:
    """`into` with every field `given` sets."""
    changes = {f.name: getattr(given, f.name) for f in fields(given) if getattr(given, f.name) not in (None, ())}
    return replace(into, **changes)


def _who(person: InterviewerSpec) -> str:
    return format_interviewer(person)
