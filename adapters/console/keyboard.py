"""Lines from standard input without blocking the event loop, and Ctrl-C as an answer rather than
a traceback.

A thread reads the raw file descriptor (never the buffered `sys.stdin`, whose lock a reading thread
would hold at interpreter exit) and hands each line to the loop. Ctrl-C (SIGINT) while a line is
awaited makes `read` raise `Interrupted`; while a command runs, the console lets it finish (it is
never cut off inside a transaction) and then leaves.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TextIO


class Interrupted(Exception):
    """Ctrl-C while a line was awaited."""


_EOF = object()
_INTERRUPT = object()


class LineReader:
    """`await read()` -> the next line (without its newline), or None at end of input (Ctrl-D at a
    terminal, the end of a script). At a terminal, input may go on after a Ctrl-D."""

    def __init__(self, stdin: TextIO, interactive: bool) -> None:
        try:
            self.fd: int | None = stdin.fileno()
        except (AttributeError, OSError, ValueError):  # closed, or not a file at all: nothing to read
            self.fd = None
        self.interactive = interactive
        self.queue: asyncio.Queue[object] = asyncio.Queue()
        self.waiting = False
        self.loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._pump, name="console-stdin", daemon=True)
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    async def read(self) -> str | None:
        self.start()
        self.waiting = True
        try:
            item = await self.queue.get()
        finally:
            self.waiting = False
        if item is _INTERRUPT:
            raise Interrupted
        if item is _EOF:
            return None
        assert isinstance(item, str)
        return item

    def interrupt(self) -> bool:
        """Deliver Ctrl-C to a waiting `read`; False when nothing is waiting for a line."""
        if not self.waiting:
            return False
        self.queue.put_nowait(_INTERRUPT)
        return True

    # ------------------------------------------------------------------ the reading thread

    def _pump(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while True:
            if self.fd is None:
                self._hand(_EOF)
                return
            try:
                chunk = os.read(self.fd, 65536)
            except InterruptedError:  # pragma: no cover - os.read retries on EINTR itself
                continue
            except OSError:
                chunk = b""
            if chunk:
                pending += decoder.decode(chunk)
                *lines, pending = pending.split("\n")
                if not all(self._hand(line.removesuffix("\r")) for line in lines):
                    return
                continue
            pending += decoder.decode(b"", final=True)
            if pending and not self._hand(pending):
                return
            pending = ""
            if not self._hand(_EOF) or not self.interactive:
                return

    def _hand(self, item: object) -> bool:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the loop is closed: the console has ended
            return False
        return True


@contextlib.contextmanager
def ctrl_c(on_interrupt: Callable[[], None]) -> Iterator[None]:
    """Within the block, SIGINT calls `on_interrupt` on the event loop instead of raising
    KeyboardInterrupt (where signals cannot be handled this way, nothing changes)."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, on_interrupt)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)
