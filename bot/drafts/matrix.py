"""The sample matrix a community template must pass before it is saved: every kind of meeting, both
tones, no interviewer named and panels of 1, 3 and 8 people, on time and late, with and without
topics, a promise, a point and news. Each cell's drafts are rendered in a template worker (within
the budget, see template_workers.py) and proofread; the answer names the cells that fail.

A branch can hide behind a value no sample has (`{% if interview.company == "Acme" %}`): every
string the template compares a value with is also tried, both in the field it is compared with
and in every text field at once (for a copy of a field kept under another name), on a smaller
matrix of its own.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from bot.domain import Candidate, DraftKind, Interview, Interviewer, InterviewKind, Tone
from bot.drafts.proofread import excluded_words_for, proofread, words_of
from bot.drafts.render import DraftTemplateError, compile_template, environment, recipients, template_variables
from bot.drafts.samples import sample_candidate, sample_interview
from bot.drafts.template_workers import WorkerFailed, render_each
from bot.replies import Draft

PANEL_SIZES = (0, 1, 3, 8)
MAX_CONSTANTS = 8  # strings compared in a template that get a matrix of their own
MATRIX_DEADLINE = 90.0  # seconds of wall clock for the whole check (the admin waits for it)
BATCH = 48  # drafts per request to a worker
EXAMPLES = 3  # failing cells named per problem

# What the matrix varies itself: a string compared with one of these needs no matrix of its own.
PLAIN_VARIABLES = frozenset({"tone", "late", "variant", "others", "interview.kind", "interview.meeting"})
TEXT_ROOTS = ("interview", "interviewer")  # where a compared string is put when its field is unknown
# What is checked where a compared string is in every text field at once: the branch's own words.
EVERY_FIELD_CHECKS = ("Unfilled placeholder", "Check the spelling")
NEWS_FIELD = "news"  # Interview's field for something new to say in a stay-in-touch note, if it has one


@dataclass(frozen=True)
class Cell:
    """One sample interview of the matrix, and how its drafts are made."""

    meeting: InterviewKind
    tone: Tone
    people: int
    late: bool
    topics: bool
    promise: bool
    point: bool
    news: bool
    constant: str | None = None  # a string the template compares with, put in the fields
    path: str | None = None  # the field it is compared with ("interview.company"); None: every text field

    def describe(self) -> str:
        people = {0: "no interviewer named", 1: "1 person"}.get(self.people, f"{self.people} people")
        parts = [self.meeting.value, self.tone.value, people, "late" if self.late else "on time",
                 "topics" if self.topics else "no topics", "a promise" if self.promise else "no promise",
                 "a point" if self.point else "no point"]
        if has_news():
            parts.append("news" if self.news else "no news")
        if self.constant is not None:
            where = self.path or "every text field"
            parts.append(f'"{self.constant[:40]}" in {where}')
        return ", ".join(parts)


def has_news() -> bool:
    return any(f.name == NEWS_FIELD for f in fields(Interview))


def cells() -> list[Cell]:
    """The full matrix."""
    news = (False, True) if has_news() else (False,)
    return [Cell(*values) for values in itertools.product(
        InterviewKind, Tone, PANEL_SIZES, (False, True), (False, True), (False, True), (False, True), news)]


def constant_cells(constant: str, path: str | None) -> list[Cell]:
    """A smaller matrix for one compared string: every meeting, tone and panel, late or not, with
    every optional field or none."""
    news = has_news()
    return [Cell(meeting, tone, people, late, full, full, full, full and news, constant, path)
            for meeting, tone, people, late, full in itertools.product(
                InterviewKind, Tone, PANEL_SIZES, (False, True), (False, True))]


PEOPLE = (
    Interviewer(name="Jane Richardson", honorific="Ms.", title="Marketing Director", email="jane@horizon.example",
                topic="the upcoming brand campaign launch", recruiter=True),
    Interviewer(name="Omar Haddad", title="Content Lead", email="omar@horizon.example", topic="the video pilot"),
    Interviewer(name="Lee Chen", title="Analyst"),
    Interviewer(name="Priya Nair", honorific="Dr.", title="Head of Data", email="priya@horizon.example",
                topic="how the team measures engagement"),
    Interviewer(name="Tomás Ruiz", title="Designer", topic="the new style guide"),
    Interviewer(name="Grace Okafor", honorific="Mrs.", title="Operations Manager", email="grace@horizon.example"),
    Interviewer(name="Sam Becker", honorific="Mx.", title="Engineer", email="sam@horizon.example",
                topic="the publishing tools"),
    Interviewer(name="Hannah Weiss", title="Account Executive", topic="client onboarding"),
)


def sample(cell: Cell) -> tuple[Interview, Candidate]:
    people = [replace(p, topic=p.topic if cell.topics else None) for p in PEOPLE[: cell.people]]
    if people and not any(p.recruiter for p in people):
        people[0] = replace(people[0], recruiter=True)
    # The guide's example interview (samples.py), with this panel and the company's plain name.
    example = sample_interview(kind=cell.meeting, topic=cell.topics, promise=cell.promise, point=cell.point)
    interview = replace(example, company="Horizon Marketing", interviewers=people, tone=cell.tone)
    if has_news():
        news: dict[str, Any] = {NEWS_FIELD: "I just finished a certificate in digital analytics" if cell.news else None}
        interview = replace(interview, **news)
    return interview, sample_candidate()


# ---- strings a template compares values with ---------------------------------------------------


def _path(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        return f"{node.node.name}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name) and isinstance(node.arg, nodes.Const):
        return f"{node.node.name}.{node.arg.value}"
    if isinstance(node, nodes.Name):
        return node.name
    return None


def _strings(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.List | nodes.Tuple):
        return [item.value for item in node.items if isinstance(item, nodes.Const) and isinstance(item.value, str)]
    return []


def compared_strings(source: str) -> list[tuple[str, str | None]]:
    """(string, field or None) for each string the template compares something with."""
    try:
        tree = environment().parse(source)
    except TemplateSyntaxError:
        return []
    found: dict[tuple[str, str | None], None] = {}

    def add(text: str, other: nodes.Node) -> None:
        path = _path(other)
        if not text.strip() or path in PLAIN_VARIABLES:
            return  # `tone == "formal"`, `late == ...`: the matrix has every value already
        found[(text, path if path is not None and "." in path else None)] = None

    for compare in tree.find_all(nodes.Compare):
        sides = [compare.expr, *(op.expr for op in compare.ops)]
        for a, b in itertools.permutations(sides, 2):
            for text in _strings(a):
                add(text, b)
    for test in tree.find_all(nodes.Test):  # `x is in [...]`, `x is eq "..."`
        for arg in test.args:
            for text in _strings(arg):
                add(text, test.node)
    return list(found)[:MAX_CONSTANTS]


def _put(variables: dict[str, Any], constant: str, path: str | None) -> dict[str, Any]:
    """The variables with `constant` in the field `path` (or in every text field)."""
    out = {name: dict(value) if isinstance(value, dict) else value for name, value in variables.items()}
    targets = [path] if path else [f"{name}.{key}" for name in TEXT_ROOTS for key, field_value in out[name].items()
                                   if isinstance(field_value, str)]
    for target in targets:
        root, _, key = target.partition(".")
        holder = out.get(root)
        if isinstance(holder, dict) and key in holder:
            old = holder[key]
            holder[key] = [constant] if isinstance(old, list) else constant
    return out


# ---- the check --------------------------------------------------------------------------------


@dataclass
class _Job:
    cell: Cell
    interview: Interview
    candidate: Candidate
    people: list[Interviewer | None]
    variables: list[dict[str, Any]]


def _jobs(kind: DraftKind, all_cells: list[Cell]) -> Iterator[_Job]:
    for cell in all_cells:
        interview, candidate = sample(cell)
        people = recipients(kind, interview, None)
        variables = [template_variables(interview, candidate, cell.tone, person, late=cell.late, tz="UTC")
                     for person in people]
        if cell.constant is not None:
            variables = [_put(v, cell.constant, cell.path) for v in variables]
        yield _Job(cell, interview, candidate, people, variables)


def _batches(jobs: Iterator[_Job]) -> Iterator[list[_Job]]:
    batch: list[_Job] = []
    size = 0
    for job in jobs:
        batch.append(job)
        size += len(job.variables)
        if size >= BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _failing(problem: str, cells_of: dict[str, list[Cell]], total: int) -> str:
    where = cells_of[problem]
    shown = "; ".join(f"({c.describe()})" for c in where[:EXAMPLES])
    more = f" and {len(where) - EXAMPLES} more" if len(where) > EXAMPLES else ""
    return f"{problem} In {len(where)} of {total} sample interviews: {shown}{more}."


def check_matrix(kind: DraftKind, source: str, words: Iterable[str] = ()) -> list[str]:
    """What is wrong with a community template over the whole matrix: each problem once, with the
    sample interviews it happens in (`words`: the community's word list, which the spelling check
    accepts). Empty when the template can be saved. Blocks the calling thread (renders in a
    worker): call it off the event loop."""
    community_words = {w.lower() for w in words}
    kind = DraftKind(kind)
    try:
        compile_template(source)
    except DraftTemplateError as exc:
        return [exc.problem]
    all_cells = cells()
    for constant, path in compared_strings(source):
        all_cells += constant_cells(constant, path)
    cells_of: dict[str, list[Cell]] = {}
    started = time.monotonic()

    def found(problem: str, cell: Cell) -> None:
        cells_of.setdefault(problem, [])
        if cell not in cells_of[problem]:
            cells_of[problem].append(cell)

    for batch in _batches(_jobs(kind, all_cells)):
        if time.monotonic() - started > MATRIX_DEADLINE:
            return [f"Checking the template over the sample interviews took longer than {MATRIX_DEADLINE:.0f} s; "
                    "simplify it."]
        flat = [v for job in batch for v in job.variables]
        try:
            results = render_each(kind.value, source, flat)
        except WorkerFailed as exc:  # the worker was stopped: a bomb in one of these cells
            found(exc.problem, batch[0].cell)
            break
        position = 0
        stop = False
        for job in batch:
            rendered = results[position: position + len(job.variables)]
            position += len(job.variables)
            drafts: list[Draft] = []
            for person, result in zip(job.people, rendered, strict=True):
                if result[0] == "skipped":
                    continue
                if result[0] != "ok":
                    found(str(result[1]), job.cell)
                    stop = stop or result[0] == "over-budget"
                    continue
                drafts.append(Draft(kind=kind.value, to_name=person.name if person else None, to_email=None,
                                    subject=result[1], body=result[2]))
            if len(drafts) != len(job.people):
                continue
            excluded = excluded_words_for(job.interview, job.candidate) | community_words
            if job.cell.constant is not None:
                excluded |= words_of(job.cell.constant)
            for draft in proofread(drafts, kind, excluded, candidate=job.candidate):
                for problem in draft.problems:
                    if job.cell.constant is not None and job.cell.path is None \
                            and not problem.startswith(EVERY_FIELD_CHECKS):
                        continue  # the same string in every field makes seams of its own
                    if problem.startswith("This draft is nearly identical"):
                        problem = "Drafts to different people come out nearly identical: vary them with `variant`."
                    found(problem, job.cell)
        if stop:  # a rendering went over its budget: one named cell is enough, and the rest would be slow
            break
    total = len(all_cells)
    return [_failing(problem, cells_of, total) for problem in cells_of]


check_template = check_matrix  # the name bot.drafts offers

__all__ = ["Cell", "cells", "check_matrix", "check_template", "compared_strings", "constant_cells", "sample"]
