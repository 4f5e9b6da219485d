"""A community template cannot stall the bot: the sandbox refuses what blows up, a worker process
enforces the time and memory budget, the event loop keeps answering meanwhile, a bomb hidden
behind a branch is caught when the template is saved, and one that fails later falls back to the
built-in template and is reported to the admins."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from bench.template_bombs import BOMBS, loop_gaps
from bot.actor import Actor
from bot.domain import Candidate, DraftKind, Interview, Interviewer, InterviewKind, Tone
from bot.drafts import builtin_template, render_drafts
from bot.drafts import template_workers as workers
from bot.drafts.matrix import cells
from bot.drafts.render import DraftTemplateError, compile_template, render_text
from bot.drafts.template_budget import MAX_ITEMS, MAX_VALUE
from bot.service import Service
from tests.service_support import ok

ALEX = Candidate(name="Alex Morgan", email="alex.morgan@example.com", phone="555-0100")
BOSS = Actor("console", "local", "boss", is_admin=True)
ALICE = Actor("console", "local", "alice")

BUDGET_WORDS = ("longer than", "wider than", "at most", "too much work", "took longer", "more than",
                "too deeply", "not allowed", "unsafe")


def interview(**kw: Any) -> Interview:
    base: dict[str, Any] = dict(
        user_id=1, company="Acme Analytics", role="Data Analyst", starts_at=datetime(2026, 12, 1, 14, tzinfo=UTC),
        interviewers=[Interviewer("Jane Richardson", honorific="Ms.", email="jane@acme.example", recruiter=True)],
        topics=["the reporting pipeline"])
    base.update(kw)
    return Interview(**base)


# Nested loops over a string call no hook of the sandbox: only the worker's CPU timer stops them.
CPU_TIMER_ONLY = {"loops over a long string"}


@pytest.mark.parametrize("source", [s for name, s in BOMBS.items() if name not in CPU_TIMER_ONLY],
                         ids=[name for name in BOMBS if name not in CPU_TIMER_ONLY])
def test_the_sandbox_itself_refuses_each_bomb(source: str) -> None:
    """In the bot's own process, without a worker: refused by the sandbox or stopped by its budget."""
    with pytest.raises(DraftTemplateError) as failed:
        render_text(compile_template(source), {})
    assert any(word in failed.value.problem for word in BUDGET_WORDS), failed.value.problem


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_a_members_draft_from_a_bomb_is_the_builtin_one_and_the_problem_is_reported(source: str) -> None:
    failures: list[tuple[str, str]] = []
    [draft] = render_drafts(DraftKind.CHECK_IN, interview(), ALEX, Tone.FORMAL, template_source=source,
                            failures=failures)
    builtin = render_drafts(DraftKind.CHECK_IN, interview(), ALEX, Tone.FORMAL)[0]
    assert draft.body == builtin.body and draft.problems == builtin.problems  # the member sees nothing amiss
    [(kind, problem)] = failures
    assert kind == "check-in" and any(word in problem for word in BUDGET_WORDS), problem


def test_templates_within_the_limits_still_work() -> None:
    source = ("Subject: Hello\n\n{% set ns = namespace(n=0) %}{% for i in range(" + str(MAX_ITEMS) + ") %}"
              "{% set ns.n = ns.n + i %}{% endfor %}{{ '%05d' % ns.n }} {{ 'ab' | center(9) }}|"
              "{{ ('x' * 10) | replace('x', 'yz') }} {{ 2 ** 100 }} {{ ([interview.company] * 2) | join(', ') }}")
    text = render_text(compile_template(source), {"interview": {"company": "Acme"}})
    assert "499500" in text and "ab".center(9) + "|" in text and "yz" * 10 in text and str(2 ** 100) in text
    assert "Acme, Acme" in text
    assert len("x" * MAX_VALUE) == MAX_VALUE  # the cap is on what a template builds, not on Python


def test_a_worker_that_does_not_answer_in_time_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hard deadline: whatever the sandbox did not foresee, the caller waits a bounded time."""
    monkeypatch.setattr(workers, "WALL_SLACK", 0.0)
    monkeypatch.setattr(workers, "WALL_PER_RENDER", 0.02)
    slow = BOMBS["loops over a long string"]  # no hook counts it: the CPU timer (150 ms) or the deadline
    with pytest.raises(workers.WorkerFailed) as failed:
        workers.render_community("check-in", slow, [{}, {}, {}, {}, {}])
    # whichever limit the worker reaches first on this machine (time, or the memory its loop holds)
    assert any(limit in failed.value.problem for limit in ("took longer than 100 ms", "more than 32 MB"))
    monkeypatch.undo()
    assert workers.render_community("check-in", "Subject: x\n\nfine {{ 1 + 1 }}", [{}]) == [("x", "fine 2")]


async def test_the_event_loop_keeps_answering_while_a_bomb_renders(service: Service) -> None:
    """An admin previews a bomb (the whole matrix is checked, then rendered) while a ticker and
    another member's command run: the bomb is worked off the event loop, so the loop keeps ticking
    all the while (no pause near the bomb's own time) and the member is answered meanwhile.
    (How long the longest pause is, in ms, is a figure of `python -m bench template-bombs`.)"""
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: 2026-12-01 14:00; with: Jane Roe")
    await ok(service, BOSS, "admin template check-in preview Subject: warm-up\n\n{{ interviewer.greeting }}")
    bomb = "Subject: x\n\n" + BOMBS["loops over a long string"]
    async with loop_gaps() as gaps:
        started = time.perf_counter()
        preview = asyncio.create_task(service.handle(BOSS, f"admin template check-in preview {bomb}"))
        await asyncio.sleep(0.05)
        listed = await ok(service, ALICE, "list")
        reply = await preview
        took = time.perf_counter() - started
    assert "Acme" in listed.as_text()
    assert "took longer than 100 ms" in reply.as_text() or "too much work" in reply.as_text()
    # Rendered on the loop, the bomb would stall it for most of its time in one piece.
    assert len(gaps) > 10 and max(gaps) < took / 2, f"the loop stalled {max(gaps):.3f} s of {took:.3f} s"


# ---- through the service: save-time matrix, fallback and the admins' notice ----------------------


HIDDEN = "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"

# A career center's own check-in: short, and clean in every sample interview.
OWN_CHECK_IN = """Subject: Following up on the {{ interview.role }} {{ interview.meeting }}

{{ interviewer.greeting }},

{% if tone == "formal" %}Thank you again for our conversation on {{ interview.starts_at }}. I am following \
up to ask whether there is any news about the {{ interview.role }} role at {{ interview.company }}, and \
whether any further information from me would help. The team's plans still interest me greatly, and \
it would be a pleasure to contribute to them.{% else %}Thanks again for our chat on \
{{ interview.starts_at }}! Is there any news on the {{ interview.role }} role at {{ interview.company }}, \
or anything else I can send? The team's plans still excite me, and it would be great to help with \
them.{% endif %}

{% if tone == "formal" %}Kind regards{% else %}Best{% endif %},
{{ candidate.name }}
{{ candidate.contact }}
"""


@pytest.mark.parametrize("condition", [
    '{% if interview.company == "Initech" %}',
    '{% set where = interview.company %}{% if where == "Initech" %}',  # a copy under another name
    '{% if "Initech" in interviewer.name %}',
    '{% if interview.role in ["Chief Bomb Officer", "Analyst"] %}',
])
async def test_a_bomb_hidden_behind_a_branch_is_caught_when_the_template_is_saved(
        service: Service, condition: str) -> None:
    source = builtin_template(DraftKind.REJECTION).replace("Subject:", condition + HIDDEN + "{% endif %}Subject:", 1)
    reply = await service.handle(BOSS, f"admin template rejection set {source}")
    assert reply.error, reply.title
    text = reply.as_text()
    assert "too much work" in text and "sample interview" in text
    assert ('"Initech"' in text) or ('"Chief Bomb Officer"' in text) or ('"Analyst"' in text), text
    assert "never been changed" in (await ok(service, BOSS, "admin template rejection history")).title


async def test_the_failing_cells_are_named(service: Service) -> None:
    source = builtin_template(DraftKind.REJECTION).replace(
        "Subject:", '{% if late and interview.kind == "networking" and not interview.promised %}[Name]{% endif %}'
                    "Subject:", 1)
    text = (await service.handle(BOSS, f"admin template rejection set {source}")).as_text()
    assert '"[Name]"' in text
    # the rejection goes to the main contact (the samples' recruiter, Jane); a promise said to the
    # whole panel is in the lead's note only (Omar, from 3 people on), so Jane's has none there
    failing = [c for c in cells() if c.late and c.meeting is InterviewKind.NETWORKING
               and (not c.promise or c.people >= 3)]
    assert f"In {len(failing)} of {len(cells())} sample interviews" in text
    assert "(networking, formal, no interviewer named, late, no topics, no promise, no point" in text


async def test_the_preview_uses_the_communitys_default_tone(service: Service) -> None:
    await ok(service, BOSS, "admin defaults tone: casual")
    preview = await ok(service, BOSS, "admin template thank-you preview")
    assert "casual tone" in preview.title and preview.drafts[0].body.startswith("Hi ")


async def test_a_template_that_fails_for_a_member_falls_back_and_the_admins_are_told(
        service: Service, store: Any) -> None:
    # Passes every sample interview; only a role longer than the samples' sets the bomb off.
    trap = "{% if interview.role|length > 60 %}" + HIDDEN + "{% endif %}"
    source = trap + OWN_CHECK_IN
    saved = await ok(service, BOSS, f"admin template check-in set {source}")
    assert saved.title.startswith("Saved version 1 of the check-in template")

    long_role = "Senior Principal Staff Data Platform Reliability Engineering Manager"
    await ok(service, ALICE, "settings name: Alex Morgan; email: alex.morgan@example.com; phone: 555-0100")
    await ok(service, ALICE, f"add company: Acme; role: {long_role}; when: 2026-12-01 14:00; with: Jane Roe")
    async with store.transaction() as tx:
        user = await tx.user("console", "local", "alice")
        iv = await tx.interview(user.id, 1)
    builtin = render_drafts(DraftKind.CHECK_IN, iv, ALEX, Tone.FORMAL, tz="Europe/Berlin")

    draft = await ok(service, ALICE, "draft #1 check-in")
    assert [(d.subject, d.body, d.problems) for d in draft.drafts] == [
        (d.subject, d.body, d.problems) for d in builtin]  # the built-in draft, and nothing said of the template

    step = next(s for s in iv.steps if s.kind.value == "check-in")  # the reminder DM of the same check-in
    dm = await service.reminder_message(iv.id, [step.id], datetime(2026, 12, 15, 9, tzinfo=UTC))
    assert dm is not None and [d.body for d in dm.drafts] == [d.body for d in builtin]

    overview = (await ok(service, BOSS, "admin template")).as_text()
    assert "A community template failed for members" in overview
    assert "check-in: The template does too much work" in overview and "(2 drafts" in overview
    assert long_role not in overview and "alice" not in overview  # about the template, not the member
    await ok(service, BOSS, "admin template check-in revert")
    assert "failed for members" not in (await ok(service, BOSS, "admin template")).as_text()
