"""The local terminal chat, like a chat framework's text backend: `/interview ...` lines in,
answers and reminder DMs out. Interactive at a terminal; scripted when stdin is not one.

At a terminal, `add` on its own asks its questions one by one (see `add_form`); Ctrl-C leaves a
form, or the console; Ctrl-D at the prompt leaves. In a script every line is a command: a bare
`add` says how to give its fields on one line and does not take the following lines as answers.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from adapters.console.add_form import AddForm, Ask, Cancelled, Unreadable
from adapters.console.files import data_dir, save_new
from adapters.console.keyboard import Interrupted, LineReader, ctrl_c
from adapters.console.render import WIDTH, Style, clock_words, on_terminal_clock, render, render_text
from adapters.console.terminal_locale import from_environment, with_locale
from bot import time_marks, understood
from bot.actor import Actor
from bot.domain import Rules, UserSettings
from bot.grammar import ADD_EXAMPLE
from bot.ports import DeliveryResult, Recipient
from bot.replies import Reply
from bot.service import Service
from bot.typed_text import command_in
from bot.use_case import Context, Rejected

PROMPT = "followthrough> "
BANNER = ("Followthrough: your interview follow-up assistant (local console).\n"
          "Type /interview help to start, or /interview add to log an interview. "
          "Ctrl-D or 'quit' leaves; Ctrl-C cancels a form.")
QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})
SCRIPTED_ADD = ("In a script, give the interview on one line: " + ADD_EXAMPLE.removeprefix("/interview ")
                + " (or /interview help add). Nothing was logged.")


def terminal_style(stdout: TextIO, environ: Mapping[str, str] = os.environ) -> Style:
    """How answers look: the terminal's width (100 columns at most), links as hyperlinks on a
    terminal, times on the locale's clock."""
    tty = _isatty(stdout)
    width = min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns) if tty else WIDTH
    hyperlinks = tty and environ.get("TERM", "") != "dumb"  # a dumb terminal would print the escapes
    return Style(width=max(width, 40), hyperlinks=hyperlinks, hour_cycle=from_environment(environ).hour_cycle)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ConsoleNotifier:
    """Reminder DMs printed in the terminal."""

    platform = "console"

    def __init__(self, write: Callable[[str], None], style: Style | None = None) -> None:
        self.write = write
        self.style = style or terminal_style(sys.stdout)

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        self.write(f"\n📬 Reminder for {recipient.external_id}:\n{render(message, self.style)}\n")
        return DeliveryResult.delivered()


@dataclass
class Console:
    """One console user's conversation. `feed(line, ask)` runs one line and returns what to
    print. `ask` puts a form's questions to a person at a terminal; without it (a script) forms
    are not opened. Files go to `out_dir`, or the data folder (see `files`)."""

    service: Service
    actor: Actor
    out_dir: Path | None = None
    style: Style = Style()
    say: Callable[[str], None] = lambda text: None

    async def feed(self, line: str, ask: Ask | None = None) -> str:
        text = command_in(line) or None
        if text is None:
            return ""
        reply = await self.service.handle(self.actor, text)
        if reply.form is not None and reply.form.command == "add":
            if ask is None:
                return render(Reply(title=SCRIPTED_ADD, error=True), self.style)
            try:
                reply = await self._fill(reply, ask)
            except Cancelled:
                return "Cancelled; nothing was logged."
        return self.render(reply)

    async def _fill(self, reply: Reply, ask: Ask) -> Reply:
        assert reply.form is not None
        form = AddForm(reply.form, ask, lambda text: self.say(render_text(text, self.style)), self.read_time)
        answer = await self.service.handle(self.actor, await form.fill())
        while answer.error:  # a rule only the whole form shows: change one answer, keep the rest
            self.say(render(answer, self.style))
            answer = await self.service.handle(self.actor, await form.change_one())
        return answer

    async def read_time(self, key: str, typed: str) -> str:
        """The core's reading of a form's time answer, as `add` would read it (the member's zone
        and date order, the years that make sense for the field); what it understood, said back.
        Nothing is written."""
        now = self.service.clock.now()
        async with self.service.store.transaction() as tx:
            user, defaults, _ = await tx.member(self.actor.platform, self.actor.community, self.actor.external_id)
            user = user or UserSettings(platform=self.actor.platform, community=self.actor.community,
                                        external_id=self.actor.external_id)
            rules = Rules.resolve(user, defaults, self.actor.tz_hint or self.service.default_tz)
            ctx = Context(tx=tx, actor=self.actor, user=user, rules=rules, now=now,
                          default_tz=self.service.default_tz, wake_at=[])
            try:
                with time_marks.collecting() as marks:
                    if key == "when":
                        understood.interview_time(ctx, typed)
                    else:
                        understood.decision_day(ctx, typed)
            except Rejected as refused:
                raise Unreadable(refused.reply.title) from None
        said = ctx.understood[-1].split(" → ", 1)[-1] if ctx.understood else typed
        return on_terminal_clock(said, replace(self.style, clock=clock_words(marks, self.style.hour_cycle)))

    def render(self, reply: Reply) -> str:
        text = render(reply, self.style)
        folder = self.out_dir if self.out_dir is not None else data_dir()
        for file in reply.files:
            try:
                path = save_new(folder, file.filename, file.content)
            except OSError as exc:
                text += f"\nCould not write {file.filename} in {folder}: {exc.strerror or exc}. Try --out DIR."
                continue
            text += f"\nWrote {path.resolve()}"
        return text


async def run(service: Service, actor: Actor, dispatcher_run_once: Callable[[], object] | None,
              stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, out_dir: Path | None = None,
              environ: Mapping[str, str] = os.environ) -> None:
    """The console loop. Scripted (stdin not a terminal): one command per line, each answer
    printed, due reminders printed at start and after each command, exit at end of input.
    Interactive: a prompt; reminders appear when they fall due; Ctrl-C cancels a form or leaves."""
    interactive = _isatty(stdin)

    def write(text: str) -> None:
        if text:
            stdout.write(text + "\n")
            stdout.flush()

    console = Console(service, with_locale(actor, from_environment(environ)), out_dir,
                      terminal_style(stdout, environ), write)
    reader = LineReader(stdin, interactive)
    stopping = False

    def on_ctrl_c() -> None:
        nonlocal stopping
        if not reader.interrupt():
            stopping = True  # a command or a delivery under way: it finishes, then the console leaves

    async def ask(question: str) -> str | None:
        stdout.write(question)
        stdout.flush()
        try:
            return await reader.read()
        except Interrupted:
            stdout.write("\n")
            raise Cancelled from None

    async def deliver_due() -> None:
        if dispatcher_run_once is not None:
            result = dispatcher_run_once()
            if asyncio.iscoroutine(result):
                await result

    with ctrl_c(on_ctrl_c):
        if interactive:
            write(BANNER)
        await deliver_due()
        while not stopping:
            if interactive:
                stdout.write(PROMPT)
                stdout.flush()
            try:
                line = await reader.read()
            except Interrupted:
                write("\nBye.")
                return
            if line is None:
                if interactive:
                    write("\nBye.")
                return
            if line.strip().lower() in QUIT_WORDS:
                return
            try:
                write(await console.feed(line, ask if interactive else None))
            except Exception as exc:  # never a stack trace in front of the user
                write(f"Something went wrong ({type(exc).__name__}); nothing was changed.")
            await deliver_due()
        write("\nStopped.")
