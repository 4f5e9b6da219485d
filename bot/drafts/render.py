"""Rendering drafts from Jinja2 templates in a sandbox: one cached Environment, compiled templates
cached by kind (built-in) or by source text (a community's own template)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateError

from bot.domain import Candidate, DraftKind, Interview, Interviewer, Tone
from bot.drafts.compose import compose_links
from bot.drafts.context import (
    Notes,
    and_join,
    candidate_vars,
    coffee_person,
    index_of,
    interview_vars,
    interviewer_vars,
    notes_of,
    others_for,
    variant_of,
)
from bot.drafts.proofread import excluded_words_for, proofread
from bot.drafts.sandbox import BudgetedEnvironment
from bot.drafts.template_budget import MAX_OUTPUT, BudgetExceeded, budget, over_memory
from bot.drafts.wording import in_turn
from bot.replies import Draft

LINKEDIN_LIMIT = 300  # LinkedIn's limit for a connection note
BREVITY_LEVELS = 5  # a LinkedIn note is tried at brevity 0 (fullest) .. 4 (shortest) until it fits

# Which kinds go to every interviewer (or `to`), and which to the main contact only.
PER_INTERVIEWER = frozenset({DraftKind.THANK_YOU, DraftKind.LINKEDIN, DraftKind.STAY_IN_TOUCH})


class DraftTemplateError(Exception):
    """A template that cannot be compiled or rendered; `problem` is a human sentence."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class TemplateOverBudget(DraftTemplateError):
    """A template that went over its budget of time, memory or size (see sandbox.py)."""


@lru_cache(maxsize=1)
def environment() -> BudgetedEnvironment:
    """The sandbox every template renders in, with its budget (see sandbox.py)."""
    env = BudgetedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["and_join"] = and_join
    env.filters["in_turn"] = in_turn
    env.guard_filters()
    return env


def builtin_template(kind: DraftKind) -> str:
    """The source of the built-in template for `kind` (what `admin template <kind> show` starts from)."""
    return _builtin_source(DraftKind(kind))


@lru_cache(maxsize=16)
def _builtin_source(kind: DraftKind) -> str:
    return resources.files("bot.drafts").joinpath("templates", f"{kind.value}.j2").read_text("utf-8")


@lru_cache(maxsize=16)
def _builtin(kind: DraftKind) -> Template:
    return environment().from_string(_builtin_source(kind))


@lru_cache(maxsize=128)
def compile_template(source: str) -> Template:
    """Compile a template's source (cached); raises DraftTemplateError with the line at fault."""
    try:
        return environment().from_string(source)
    except TemplateSyntaxError as exc:
        raise DraftTemplateError(f"Line {exc.lineno}: {exc.message}") from None
    except TemplateError as exc:  # pragma: no cover - other compile errors
        raise DraftTemplateError(str(exc) or type(exc).__name__) from None


def _sentence(problem: str) -> str:
    return problem[:1].upper() + problem[1:].rstrip(".") + "."


def render_text(template: Template, variables: dict[str, Any]) -> str:
    """The rendered text, cut after MAX_OUTPUT characters (a runaway loop stops there), within the
    sandbox's budget (sandbox.py)."""
    try:
        parts: list[str] = []
        size = 0
        with budget():
            for chunk in template.generate(variables):
                parts.append(chunk)
                size += len(chunk)
                if size > MAX_OUTPUT:
                    break
        return "".join(parts)[:MAX_OUTPUT]
    except BudgetExceeded as exc:
        raise TemplateOverBudget(_sentence(exc.problem)) from None
    except MemoryError:
        raise TemplateOverBudget(_sentence(over_memory().problem)) from None
    except RecursionError:
        raise DraftTemplateError("The template calls itself too deeply (a macro that never stops).") from None
    except UndefinedError as exc:
        raise DraftTemplateError(f"Unknown variable: {exc.message}.") from None
    except SecurityError as exc:
        raise DraftTemplateError(f"Not allowed in a template: {str(exc).rstrip('.')}.") from None
    except TemplateError as exc:
        raise DraftTemplateError(f"The template failed: {exc}.") from None
    except Exception as exc:  # arithmetic or type errors in a community template
        raise DraftTemplateError(f"The template failed: {type(exc).__name__}: {exc}.") from None


_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")
_SPACE_BEFORE_MARK = re.compile(r"(?<=\w)[ \t]+(?=[.,;:!?](?:\s|$))")
# An abbreviation's full stop ending a sentence ("Acme Inc." + ".") is the sentence's full stop.
_DOUBLE_STOP = re.compile(r"(?<=[A-Za-z]\.)\.(?!\.)")
_STOP_THEN_MARK = re.compile(r"(?<=[A-Za-z]\.)([!])")


def word_count(body: str) -> int:
    return len(re.findall(r"[\w'’-]+", body))


def split_output(text: str) -> tuple[str | None, str]:
    """`Subject: ...`, a blank line, then the body -> (subject or None, body), tidied: trailing
    spaces, doubled spaces and runs of blank lines left by template logic are removed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    subject: str | None = None
    if lines and lines[0].lower().startswith("subject:"):
        subject = lines.pop(0)[len("subject:") :].strip() or None
    body = "\n".join(lines)
    body = _SPACES.sub(" ", body)
    body = _SPACE_BEFORE_MARK.sub("", body)
    body = _DOUBLE_STOP.sub("", body)
    body = _STOP_THEN_MARK.sub("", body)
    body = _BLANKS.sub("\n\n", body).strip("\n")
    return subject, body


def template_variables(
    interview: Interview,
    candidate: Candidate,
    tone: Tone,
    person: Interviewer | None,
    *,
    late: bool,
    tz: str | None,
    notes: Notes | None = None,
    check_in: bool = False,
    brevity: int = 0,
) -> dict[str, Any]:
    """What a template sees for the draft to `person` (see the package docstring). `check_in`: this
    note also asks for an update (a late thank-you to the main contact when the check-in is due)."""
    notes = notes if notes is not None else notes_of(interview)
    return {
        "candidate": candidate_vars(candidate),
        "interview": interview_vars(interview, tz, notes, person),
        "interviewer": interviewer_vars(person, interview, notes, tone, coffee=coffee_person(interview)),
        "tone": tone.value,
        "others": others_for(interview, person),
        "late": late,
        "check_in": check_in,
        "variant": variant_of(interview, person),
        "index": index_of(interview, person),
        "brevity": brevity,
    }


def _recipients(kind: DraftKind, interview: Interview, to: Interviewer | None) -> list[Interviewer | None]:
    if to is not None:
        return [to]
    if kind in PER_INTERVIEWER:
        return list(interview.interviewers) or [None]
    return [interview.main_contact]


def _render_one(template: Template, kind: DraftKind, variables: dict[str, Any]) -> tuple[str | None, str]:
    """The draft's subject and body. A LinkedIn note is composed to fit LinkedIn's limit: it is
    rendered at brevity 0, 1, ... (each level chooses shorter wording) until it fits; it is never
    cut. A template that ignores `brevity` and stays too long is reported by the length check."""
    subject, body = split_output(render_text(template, variables))
    if kind is DraftKind.LINKEDIN:
        for level in range(1, BREVITY_LEVELS):
            if len(body) <= LINKEDIN_LIMIT:
                break
            subject, body = split_output(render_text(template, dict(variables, brevity=level)))
    return subject, body


render_one = _render_one  # what a template worker process calls
recipients = _recipients  # who gets a draft of a kind (the template check's matrix renders for them)


def _render_community(
    kind: DraftKind, source: str, all_variables: list[dict[str, Any]]
) -> tuple[list[tuple[str | None, str]] | None, str | None]:
    """A community template's (subject, body) per draft, or None and the problem."""
    from bot.drafts.template_workers import WorkerFailed, render_community

    try:
        compile_template(source)  # a syntax error is named here, without a worker
        return render_community(kind.value, source, all_variables), None
    except DraftTemplateError as exc:
        return None, exc.problem
    except WorkerFailed as exc:
        return None, exc.problem


def render_drafts(
    kind: DraftKind,
    interview: Interview,
    candidate: Candidate,
    tone: Tone,
    *,
    to: Interviewer | None = None,
    late: bool = False,
    template_source: str | None = None,
    tz: str | None = None,
    failures: list[tuple[str, str]] | None = None,
    words: Iterable[str] = (),
    with_check_in: bool = False,
) -> list[Draft]:
    """The drafts of `kind` for `interview`, proofread (Draft.problems filled) and with compose links.

    See the package docstring for who gets a draft and what a template sees. `tz` is the user's
    IANA zone, for the interview's local date ("Tuesday, December 1"); UTC when not given.
    A `template_source` (a community's template) is rendered in a worker process within its budget
    (template_workers.py), so this blocks the calling thread: call it off the event loop. One that
    cannot be compiled or rendered is not used: the built-in template is, and the problem is
    appended to `failures` as (kind, problem) when given (for the admins), else put first in each
    draft's problems. `words` are a community's own additions to the spelling check's word list.
    `with_check_in` (a late thank-you while the check-in is due too): the main contact's thank-you
    also asks for an update, so that person gets one note rather than two the same day.
    A field the user typed that no rule can make read well is left out, and each draft says which
    field to rephrase.
    """
    kind = DraftKind(kind)
    tone = Tone(tone)
    people = _recipients(kind, interview, to)
    notes = notes_of(interview)
    main = interview.main_contact

    def merged(person: Interviewer | None) -> bool:
        if not with_check_in or kind is not DraftKind.THANK_YOU:
            return False
        return person is None or main is None or index_of(interview, person) == index_of(interview, main)

    all_variables = [
        template_variables(interview, candidate, tone, person, late=late, tz=tz, notes=notes, check_in=merged(person))
        for person in people
    ]
    template_problem: str | None = None
    rendered: list[tuple[str | None, str]] | None = None
    if template_source is not None:
        rendered, template_problem = _render_community(kind, template_source, all_variables)
    drafts: list[Draft] = []
    for index, (person, variables) in enumerate(zip(people, all_variables, strict=True)):
        subject, body = rendered[index] if rendered is not None else _render_one(_builtin(kind), kind, variables)
        draft = Draft(
            kind=kind.value,
            to_name=variables["interviewer"]["name"] or None,
            to_email=(person.email or None) if person is not None else None,
            subject=subject,
            body=body,
        )
        drafts.append(replace(draft, links=compose_links(draft)))
    excluded = excluded_words_for(interview, candidate) | {w.lower() for w in words}
    checked = proofread(drafts, kind, excluded, candidate=candidate)
    extra: list[str] = []
    if template_problem is not None and failures is not None:
        failures.append((kind.value, template_problem))  # the caller tells the community's admins, not the member
    elif template_problem is not None:
        extra.append(
            f"The community template could not be used ({template_problem.rstrip('.')}); this is the built-in one."
        )
    extra.extend(notes.problems)
    if kind is DraftKind.CHECK_IN_2:
        first = _builtin(DraftKind.CHECK_IN)
        person = to if to is not None else main
        variables = template_variables(interview, candidate, tone, person, late=late, tz=tz, notes=notes)
        try:
            _, check_in_body = _render_one(first, DraftKind.CHECK_IN, variables)
            if word_count(checked[0].body) >= word_count(check_in_body):
                extra.append("The second check-in should be shorter than the first one.")
        except DraftTemplateError:  # pragma: no cover - the built-in template renders
            pass
    if extra:
        checked = [replace(d, problems=(*extra, *d.problems)) for d in checked]
    return checked
