"""`python -m bench template-bombs`: each template bomb rendered for 3 people as a member's draft
would be (in a template worker): what the answer says, how long the caller waited, the worker's
peak memory, and the longest gap of a 5 ms ticker on the event loop meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

# Each bomb of the report, and variants of each. All must be refused or stopped within the budget.
BOMBS = {
    "nested ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested loops within the range cap": "{% for i in range(1000) %}{% for j in range(1000) %}"
                                         "{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}",
    "loops over a long string": "{% set s = 'ab' * 9000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "huge format width": "{{ '%0999999999d' | format(1) }}",
    "huge % width": "{{ '%0999999999d' % 1 }}",
    "width given by *": "{{ '%*d' % (999999999, 1) }}",
    "huge str.format width": "{{ '{:>999999999}'.format(1) }}",
    "string doubling in a namespace": "{% set ns = namespace(s='xx') %}{% for i in range(40) %}"
                                      "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "list growth in a namespace": "{% set ns = namespace(l=[]) %}{% set s = 'x' * 19000 %}"
                                  "{% for i in range(1000) %}{% for j in range(20) %}"
                                  "{% set ns.l = ns.l + [s ~ i ~ j] %}{% endfor %}{% endfor %}{{ ns.l|length }}",
    "replace filter": "{{ ('x' * 10000) | replace('x', 'x' * 10000) }}",
    "replace method": "{{ ('x' * 10000).replace('x', 'yyyyyyyyyy') }}",
    "center filter": "{{ 'x' | center(999999999) }}",
    "center method": "{{ 'x'.center(999999999) }}",
    "ljust method": "{{ 'x'.ljust(999999999) }}",
    "join filter": "{{ range(1000) | map('string') | join('x' * 19000) }}",
    "join method": "{{ ('x' * 19000).join(['a', 'b', 'c']) }}",
    "indent filter": "{{ ('a\n' * 5000) | indent(5000) }}",
    "repeated string": "{{ 'x' * 100000000 }}",
    "repeated list": "{{ [1, 2] * 999999999 }}",
    "big power": "{{ 9 ** 999999 }}",
    "big integer squaring": "{% set ns = namespace(n=2) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
                            "{% endfor %}{{ ns.n }}",
    "doubling macro": "{% macro f(n) %}{% if n %}{% set s = f(n - 1) %}{{ s }}{{ s }}{% else %}x{% endif %}"
                      "{% endmacro %}{{ f(60) }}",
    "branching macro": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "endless macro recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "batch padding": "{{ [1] | batch(999999999, 'x') | list }}",
    "slice count": "{{ [1] | slice(999999999) | list }}",
    "int.to_bytes": "{{ (1).to_bytes(999999999, 'big') }}",
}


@asynccontextmanager
async def loop_gaps(every: float = 0.005) -> AsyncIterator[list[float]]:
    """While the block runs, a ticker on the event loop asks to wake every `every` seconds; the list
    it yields fills with how long each wait really took (a long one: the loop was stalled)."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(every)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    try:
        yield gaps
    finally:
        done.set()
        await ticker


async def _one(source: str) -> tuple[str, float, float]:
    from bot.drafts.template_workers import WorkerFailed, render_community

    async with loop_gaps() as gaps:
        started = time.perf_counter()
        try:
            await asyncio.to_thread(render_community, "check-in", "Subject: x\n\n" + source, [{}, {}, {}])
            answer = "rendered"
        except WorkerFailed as exc:
            answer = exc.problem
        took = time.perf_counter() - started
    return answer, took, max(gaps, default=0.0)


def main(argv: list[str]) -> int:
    from bot.drafts.template_workers import render_community

    render_community("check-in", "Subject: warm-up\n\nhello", [{}])  # a worker is started
    results: list[tuple[str, Any]] = []
    for name, source in BOMBS.items():
        answer, took, gap = asyncio.run(_one(source))
        results.append((name, (answer, took, gap)))
        print(f"{name:36} {took * 1000:7.0f} ms   loop gap {gap * 1000:4.0f} ms   {answer}")
    worst = max(took for _, (_, took, _) in results)
    gap = max(g for _, (_, _, g) in results)
    print(f"slowest answer {worst * 1000:.0f} ms; longest event-loop gap {gap * 1000:.0f} ms")
    return 0
