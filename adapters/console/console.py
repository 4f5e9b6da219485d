"""The local terminal chat, like a chat framework's text backend: `/interview ...` lines in,
answers and reminder DMs out. Interactive at a terminal; scripted when stdin is not one."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.actor import Actor
from bot.ports import DeliveryResult, Recipient
from bot.replies import Form, Reply
from bot.service import Service

PROMPT = "followthrough> "
BANNER = ("Followthrough: your interview follow-up assistant (local console).\n"
          "Type /interview help to start, or /interview add to log an interview. Ctrl-D or 'quit' leaves.")


class ConsoleNotifier:
    """Reminder DMs printed in the terminal."""

    platform = "console"

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        self.write(f"\n📬 Reminder for {recipient.external_id}:\n{message.as_text()}\n")
        return DeliveryResult.delivered()


def command_text(line: str) -> str | None:
    """The command in a line: `/interview list` and `list` both work; None for blank lines."""
    text = line.strip()
    if not text:
        return None
    for prefix in ("/interview", "interview"):
        if text.lower().startswith(prefix) and (len(text) == len(prefix) or text[len(prefix)].isspace()):
            return text[len(prefix):].strip() or "help"
    return text.lstrip("/")


class Console:
    """One console user's conversation. `feed(line)` runs one line and returns what to print;
    `ask` supplies answers to a form's questions (interactive input, or the next script lines)."""

    def __init__(self, service: Service, actor: Actor, out_dir: Path) -> None:
        self.service = service
        self.actor = actor
        self.out_dir = out_dir

    async def feed(self, line: str, ask: Callable[[str], str | None]) -> str:
        text = command_text(line)
        if text is None:
            return ""
        reply = await self.service.handle(self.actor, text)
        if reply.form is not None and reply.form.command == "add":
            answers = self._fill(reply.form, ask)
            if answers is None:
                return "Cancelled; nothing was logged."
            reply = await self.service.handle(self.actor, answers)
        return self.render(reply)

    def _fill(self, form: Form, ask: Callable[[str], str | None]) -> str | None:
        parts: list[str] = []
        for field in form.fields:
            hint = f" (e.g. {field.placeholder})" if field.placeholder else ""
            optional = "" if field.required else " [optional, Enter to skip]"
            answer = ask(f"{field.label}{hint}{optional}: ")
            if answer is None:
                return None
            answer = answer.strip().replace(";", ",")
            if not answer:
                if field.required:
                    return None
                continue
            if field.key == "with":
                parts.extend(f"with: {who.strip()}" for who in answer.split(" and ") if who.strip())
            else:
                parts.append(f"{field.key}: {answer}")
        return f"{form.command} " + "; ".join(parts)

    def render(self, reply: Reply) -> str:
        text = reply.as_text()
        for file in reply.files:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            path = self.out_dir / file.filename
            path.write_bytes(file.content)
            text += f"\nWrote {path.resolve()}"
        return text


async def run(service: Service, actor: Actor, dispatcher_run_once: Callable[[], object] | None,
              stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, out_dir: Path = Path(".")) -> None:
    """The console loop. Scripted (stdin not a terminal): one command per line, each answer
    printed, due reminders printed at start and after each command, exit at end of input."""
    console = Console(service, actor, out_dir)
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()

    def write(text: str) -> None:
        if text:
            stdout.write(text + "\n")
            stdout.flush()

    async def deliver_due() -> None:
        if dispatcher_run_once is not None:
            result = dispatcher_run_once()
            if asyncio.iscoroutine(result):
                await result

    async def read(prompt: str) -> str | None:
        if interactive:
            try:
                return await loop.run_in_executor(None, input, prompt)
            except EOFError:
                return None
        line = stdin.readline()
        return None if line == "" else line.rstrip("\n")

    if interactive:
        write(BANNER)
    await deliver_due()
    pending_answers: list[str] = []

    def ask(question: str) -> str | None:
        # In a script the next lines answer a form's questions; interactively they are typed.
        if interactive:
            try:
                return input(question)
            except EOFError:
                return None
        line = stdin.readline()
        if line == "":
            return None
        pending_answers.append(line)
        write(question + line.rstrip("\n"))
        return line.rstrip("\n")

    while True:
        line = await read(PROMPT)
        if line is None:
            break
        if line.strip().lower() in ("quit", "exit", "/quit", "/exit"):
            break
        try:
            write(await console.feed(line, ask))
        except Exception as exc:  # never a stack trace in front of the user
            write(f"Something went wrong ({type(exc).__name__}); nothing was changed.")
        await deliver_due()
