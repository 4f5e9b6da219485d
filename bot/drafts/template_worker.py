"""A template worker process: `python -m bot.drafts.template_worker`, started by template_workers.py.

It loads the rendering code, limits its own address space to what it then uses plus the memory
budget (RLIMIT_AS, where /proc tells the size), and answers one JSON request a line on standard
input with one JSON answer a line on standard output: [kind, value, retire], where kind is "ok" or
"error" and retire says the worker ends after this answer (it came near its memory limit). Each
draft renders under a CPU timer (ITIMER_PROF) of about TIME_BUDGET, which stops a loop no hook of
the sandbox sees.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.domain import DraftKind
from bot.drafts.render import DraftTemplateError, TemplateOverBudget, compile_template, render_one
from bot.drafts.template_budget import MEMORY_BUDGET, TIME_BUDGET, BudgetExceeded, over_memory, over_time

Answer = tuple[str, Any]


def _sentence(problem: str) -> str:
    return problem[:1].upper() + problem[1:].rstrip(".") + "."


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


_timing = False  # a rendering is under the CPU timer: only then does the timer's signal stop it


def _on_cpu_timer(signum: int, frame: Any) -> None:
    if _timing:
        raise over_time()


@contextmanager
def _cpu_timer() -> Iterator[None]:
    """Stop what runs inside after about TIME_BUDGET of CPU time (a signal between two bytecodes,
    for a loop that no hook of the sandbox sees). A signal that comes late does nothing."""
    global _timing
    _timing = True
    signal.setitimer(signal.ITIMER_PROF, TIME_BUDGET * 1.5)
    try:
        yield
    finally:
        _timing = False
        signal.setitimer(signal.ITIMER_PROF, 0)


def _render_batch(kind: str, source: str, variables: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    template = compile_template(source)
    out: list[tuple[str | None, str]] = []
    for one in variables:
        with _cpu_timer():
            out.append(render_one(template, DraftKind(kind), one))
    return out


def _render_each(kind: str, source: str, variables: list[dict[str, Any]]) -> list[list[Any]]:
    """Each draft's ["ok", subject, body] or ["error", problem]; after one goes over its budget
    (["over-budget", problem]) the rest are ["skipped"], for the matrix stops there."""
    template = compile_template(source)
    out: list[list[Any]] = []
    for one in variables:
        if out and out[-1][0] in ("over-budget", "skipped"):
            out.append(["skipped"])
            continue
        try:
            with _cpu_timer():
                subject, body = render_one(template, DraftKind(kind), one)
            out.append(["ok", subject, body])
        except TemplateOverBudget as exc:
            out.append(["over-budget", exc.problem])
        except DraftTemplateError as exc:
            out.append(["error", exc.problem])
        except BudgetExceeded as exc:
            out.append(["over-budget", _sentence(exc.problem)])
        except MemoryError:
            out.append(["over-budget", _sentence(over_memory().problem)])
    return out


JOBS: dict[str, Callable[..., Any]] = {"render": _render_batch, "render_each": _render_each}


def _answer(what: str, args: list[Any]) -> Answer:
    try:
        return "ok", JOBS[what](*args)
    except DraftTemplateError as exc:
        return "error", exc.problem
    except BudgetExceeded as exc:
        return "error", _sentence(exc.problem)
    except MemoryError:
        return "error", _sentence(over_memory().problem)
    except RecursionError:
        return "error", "The template calls itself too deeply (a macro that never stops)."
    except Exception as exc:  # a bug of ours must not end the worker silently
        return "error", f"The template could not be rendered ({type(exc).__name__})."


def serve() -> None:
    """A worker's life: load the code, limit memory, answer requests until standard input closes."""
    answers = os.fdopen(os.dup(1), "wb")  # only answers go to the pipe, whatever else prints
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker ends
    signal.signal(signal.SIGPROF, _on_cpu_timer)
    _limit_memory()
    start = _peak_memory()
    answers.write(b'["ready"]\n')
    answers.flush()
    for line in sys.stdin.buffer:
        try:
            what, args = json.loads(line)
            kind, value = _answer(what, args)
        except MemoryError:
            kind, value = "error", _sentence(over_memory().problem)
        except Exception:  # the worker goes on whatever happened to one request
            kind, value = "error", "The template could not be rendered; try again."
        # A worker that came near its memory limit, or whose allocation the limit stopped (which
        # leaves no trace in the peak), is retired: what is left of its heap may be too little for
        # the next template.
        retire = _peak_memory() - start > MEMORY_BUDGET // 2 or _hit_memory_limit(value)
        answers.write(json.dumps([kind, value, retire]).encode() + b"\n")
        answers.flush()
        if retire:
            return


def _hit_memory_limit(value: Any) -> bool:
    """Whether the memory limit stopped an allocation while answering (a matrix answer has one row
    per draft)."""
    over = _sentence(over_memory().problem)
    return value == over or (isinstance(value, list) and any(isinstance(row, list) and over in row for row in value))


def _peak_memory() -> int:
    """The most memory (resident, in bytes) this process has used so far."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not a Unix
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    serve()
