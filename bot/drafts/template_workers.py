"""Where a community's template is rendered: in a small pool of worker processes, never in the
process that answers members, with a hard budget.

Each worker is a child process (`python -m bot.drafts.template_worker`, speaking one JSON object a
line on its standard input and output) that, once its code is loaded, limits its own address space
to what it uses plus the memory budget (RLIMIT_AS, where /proc tells the size) and renders each
draft under a CPU timer (ITIMER_PROF) of about TIME_BUDGET (see template_worker.py). The caller
waits at most a wall-clock deadline; a worker that has not answered by then, or that died, is
killed and replaced, and the rendering fails with a sentence for the admin.

`render_community` blocks its thread while the worker renders: call it off the event loop
(asyncio.to_thread), as bot.drafts.community does.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from typing import IO, Any

from bot.drafts.template_budget import over_memory, over_time

log = logging.getLogger(__name__)

WORKERS = 2  # processes rendering community templates at once
START_TIMEOUT = 30.0  # seconds a new worker may take to load its code (a loaded machine is slow)
WALL_SLACK = 2.0  # seconds of wall clock allowed on top of the CPU budget of a request
WALL_PER_RENDER = 0.5  # seconds of wall clock per rendering in a request (a shared CPU is slow)
MAX_ANSWER = 64 * 1024 * 1024  # bytes of one answer line

Answer = tuple[str, Any]  # ("ok", value) or ("error", problem)


class WorkerFailed(Exception):
    """The worker could not do the job: `problem` is a sentence for the admin."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _sentence(problem: str) -> str:
    return problem[:1].upper() + problem[1:].rstrip(".") + "."


# ---- the pool, in the bot's process -------------------------------------------------------------


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.drafts.template_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C in the terminal is the parent's to handle
        )
        self._buffer = b""
        self.retired = False  # it said it ends after this answer
        try:
            self._read_line(START_TIMEOUT)
        except (TimeoutError, EOFError):
            self.kill()
            raise WorkerFailed("The template could not be rendered right now (no worker started); "
                               "try again.") from None

    def _read_line(self, timeout: float) -> bytes:
        out: IO[bytes] | None = self.process.stdout
        assert out is not None
        end = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([out], [], [], left)
            if not ready:
                continue
            chunk = os.read(out.fileno(), 1 << 20)
            if not chunk:
                raise EOFError
            self._buffer += chunk
            if len(self._buffer) > MAX_ANSWER:
                raise EOFError
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def ask(self, what: str, args: list[Any], timeout: float) -> Answer:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(json.dumps([what, args]).encode() + b"\n")
        stdin.flush()
        kind, value, self.retired = json.loads(self._read_line(timeout))
        return kind, value

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


class TemplateWorkers:
    """A few worker processes, each used by one thread at a time; started when first needed."""

    def __init__(self, size: int = WORKERS) -> None:
        self._size = size
        self._idle: list[_Worker] = []
        self._count = 0  # workers alive or starting
        self._starting = 0  # of those, started in the background and not ready yet
        self._lock = threading.Condition()

    def _take(self) -> _Worker:
        with self._lock:
            while True:
                while not self._idle and (self._count >= self._size or self._starting):
                    self._lock.wait()  # a worker starting in the background is ready sooner than a new one
                if not self._idle:
                    break
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                self._count -= 1  # it ended while idle (its memory limit, or killed from outside)
                worker.kill()
            self._count += 1
        try:
            return _Worker()
        except BaseException:
            self._lost()
            raise

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
            self._lock.notify()

    def _lost(self, worker: _Worker | None = None) -> None:
        if worker is not None:
            worker.kill()
        with self._lock:
            self._count -= 1
            self._lock.notify_all()
        if worker is not None:
            self.warm()  # its replacement loads its code now, not when the next member waits for it

    def warm(self) -> None:
        """Start a worker in the background if the pool has room (loading the code takes seconds)."""
        with self._lock:
            if self._count >= self._size:
                return
            self._count += 1
            self._starting += 1

        def start() -> None:
            try:
                worker = _Worker()
            except BaseException:
                with self._lock:
                    self._starting -= 1
                self._lost()
                return
            with self._lock:
                self._starting -= 1
                self._idle.append(worker)
                self._lock.notify_all()

        threading.Thread(target=start, name="template-worker-start", daemon=True).start()

    def run(self, what: str, args: list[Any], renders: int) -> Any:
        """The job's value; WorkerFailed when it fails, goes over budget or over the deadline."""
        worker = self._take()
        deadline = WALL_SLACK + renders * WALL_PER_RENDER
        try:
            kind, value = worker.ask(what, args, deadline)
        except TimeoutError:
            log.warning("a template worker did not answer within %.1f s and was replaced", deadline)
            self._lost(worker)
            raise WorkerFailed(_sentence(over_time().problem)) from None
        except (EOFError, OSError, ValueError) as exc:
            log.warning("a template worker ended while rendering and was replaced (%s, exit %s)",
                        type(exc).__name__, worker.process.poll())
            self._lost(worker)
            raise WorkerFailed(_sentence(over_memory().problem)) from None
        except BaseException:
            self._lost(worker)
            raise
        if worker.retired:
            self._lost(worker)
        else:
            self._give_back(worker)
        if kind == "error":
            raise WorkerFailed(str(value))
        return value

    def close(self) -> None:
        """End the idle workers (at exit; a busy one ends when its job is done or killed)."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()


_pool: TemplateWorkers | None = None
_pool_lock = threading.Lock()


def pool() -> TemplateWorkers:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = TemplateWorkers()
            atexit.register(_pool.close)
        return _pool


def render_community(kind: str, source: str, variables: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    """(subject, body) of each draft, rendered from a community's template in a worker; blocks the
    calling thread. Raises WorkerFailed with a sentence for the admin."""
    result = pool().run("render", [kind, source, variables], len(variables))
    return [(subject, body) for subject, body in result]


def render_each(kind: str, source: str, variables: list[dict[str, Any]]) -> list[list[Any]]:
    """For the matrix: each draft's ["ok", subject, body], ["error", problem], ["over-budget",
    problem] or ["skipped"] (after one over budget). Raises WorkerFailed when the worker was stopped."""
    result: list[list[Any]] = pool().run("render_each", [kind, source, variables], len(variables))
    return result


__all__ = ["TemplateWorkers", "WorkerFailed", "pool", "render_community", "render_each"]
