"""One template worker: the child process that bot.drafts.template_workers starts (`python -m
bot.drafts.template_worker`). It loads the rendering code, limits its own address space to what it
uses plus the memory budget, and answers one JSON request a line on standard input, rendering each
draft under a CPU timer of about TIME_BUDGET.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from bot.drafts.sandbox import MEMORY_BUDGET, TIME_BUDGET, BudgetExceeded, over_memory, over_time
from bot.drafts.template_workers import Answer, as_sentence


def _address_space() -> int | None:
    """This process's current virtual memory size in bytes (Linux), else None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not a Unix
        return
    size = _address_space()
    if size is None:  # pragma: no cover - no /proc: the wall-clock deadline still holds
        return
    limit = size + MEMORY_BUDGET
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _on_cpu_timer(signum: int, frame: Any) -> None:
    raise over_time()


def _render_batch(kind: str, source: str, variables: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    from bot.domain import DraftKind
    from bot.drafts.render import compile_template, render_one

    template = compile_template(source)
    out: list[tuple[str | None, str]] = []
    for one in variables:
        signal.setitimer(signal.ITIMER_PROF, TIME_BUDGET * 1.5)
        try:
            out.append(render_one(template, DraftKind(kind), one))
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    return out


JOBS: dict[str, Callable[..., Any]] = {"render": _render_batch}


def _answer(what: str, args: list[Any]) -> Answer:
    from bot.drafts.render import DraftTemplateError

    try:
        return "ok", JOBS[what](*args)
    except DraftTemplateError as exc:
        return "error", exc.problem
    except BudgetExceeded as exc:
        return "error", as_sentence(exc.problem)
    except MemoryError:
        return "error", as_sentence(over_memory().problem)
    except RecursionError:
        return "error", "The template calls itself too deeply (a macro that never stops)."
    except Exception as exc:  # a bug of ours must not end the worker silently
        return "error", f"The template could not be rendered ({type(exc).__name__})."


def serve() -> None:
    """A worker's life: load the code, limit memory, answer requests until standard input closes."""
    import bot.drafts.render  # noqa: F401  (loaded before the memory limit is set)

    answers = os.fdopen(os.dup(1), "wb")  # only answers go to the pipe, whatever else prints
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker ends
    signal.signal(signal.SIGPROF, _on_cpu_timer)
    _limit_memory()
    answers.write(b'["ready"]\n')
    answers.flush()
    for line in sys.stdin.buffer:
        try:
            what, args = json.loads(line)
            answer = _answer(what, args)
            data = json.dumps(answer).encode() + b"\n"
        except MemoryError:
            data = json.dumps(["error", as_sentence(over_memory().problem)]).encode() + b"\n"
        answers.write(data)
        answers.flush()




if __name__ == "__main__":
    serve()
