"""The real `python -m bot console` at a real pseudo-terminal (the stdlib `pty`), typed to as a
person would: the add form, Ctrl-C in a form and at the prompt, Ctrl-D; and Ctrl-C (SIGINT) while
a script is being read. Never a traceback; the exit is clean."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "followthrough> "
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "DISCORD_", "LC_", "LANG"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'ft.db'}", TZ="Europe/Berlin",
               FOLLOWTHROUGH_DATA_DIR=str(tmp_path / "data"), COLUMNS="100", LANG="en_GB.UTF-8", **extra)
    return env


class Terminal:
    """A child process on the slave side of a pty; we type on the master side."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the pty is its controlling terminal
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "bot", "console", "--user", "sam"],
                      _env(tmp_path, **env))
        self.seen = ""  # everything the console printed
        self.pos = 0  # how far `expect` has read

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def reply(self, question: str, text: str) -> None:
        """Wait for `question` (a regex), then type `text`, as a person answers what they are asked."""
        self.expect(question)
        self.type(text)

    def expect(self, pattern: str, timeout: float = 30.0) -> str:
        """Read until `pattern` (a regex) appears in what was printed since the last expect."""
        deadline = time.monotonic() + timeout
        start = self.pos
        while True:
            found = re.search(pattern, self.seen[start:])
            if found:
                self.pos = start + found.end()
                return self.seen[start:self.pos]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"did not see {pattern!r}; the terminal showed:\n{self.seen[start:]}")
            if not self._read(left):
                raise AssertionError(f"the console ended before {pattern!r}:\n{self.seen[start:]}")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.seen += chunk.decode(errors="replace")
        return True

    def wait(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05) and select.select([self.fd], [], [], 0)[0]:
                    pass
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"the console did not exit:\n{self.seen}")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def test_ctrl_c_in_the_add_form_cancels_it_and_ctrl_c_at_the_prompt_leaves(terminal: Terminal) -> None:
    terminal.reply(PROMPT, "add\n")
    terminal.reply(r"Company.*: ", "Horizon Marketing\n")
    terminal.reply(r"Role.*: ", "\x03")  # Ctrl-C, as the terminal sends it: SIGINT to the console
    terminal.expect("Cancelled; nothing was logged.")
    terminal.reply(PROMPT, "list\n")
    terminal.expect("No interviews logged yet")
    terminal.reply(PROMPT, "\x03")
    terminal.expect("Bye.")
    assert terminal.wait() == 0
    assert "Traceback" not in terminal.seen and "KeyboardInterrupt" not in terminal.seen


def test_the_whole_add_form_at_a_terminal_with_mistakes_corrected(terminal: Terminal) -> None:
    terminal.reply(PROMPT, "/interview add\n")
    terminal.reply(r"Company.*: ", "Horizon Marketing\n")
    terminal.reply(r"Role.*: ", "Marketing Coordinator\n")
    terminal.reply(r"When did it start.*: ", "the day after never\n")
    terminal.reply(r"When did it start.*: ", "yesterday 2pm\n")  # asked again, the company and role kept
    terminal.reply(r"Interviewer 1 .*: ", "Jane Richardson <jane@horizon>\n")
    terminal.expect("not an e-mail address")
    terminal.reply(r"Interviewer 1 .*: ", "Ms. Jane Richardson (Marketing Director) <jane@horizon.example>\n")
    terminal.reply(r"Interviewer 2 .*: ", "Tom Baker (recruiter)\n")
    terminal.reply(r"Interviewer 3 .*: ", "\n")
    terminal.reply(r"Topics.*: ", "\n")
    terminal.reply(r"decide.*: ", "next Friday\n")
    logged = terminal.expect(PROMPT)
    assert "Logged #1: Marketing Coordinator at Horizon Marketing" in logged
    assert "Jane Richardson" in logged and "Tom Baker" in logged
    terminal.type("\x04")  # Ctrl-D at the prompt leaves
    terminal.expect("Bye.")
    assert terminal.wait() == 0
    assert "Traceback" not in terminal.seen


def test_ctrl_d_in_the_form_cancels_it_and_the_console_goes_on(terminal: Terminal) -> None:
    terminal.reply(PROMPT, "add\n")
    terminal.reply(r"Company.*: ", "\x04")
    terminal.expect("Cancelled; nothing was logged.")
    terminal.reply(PROMPT, "quit\n")
    assert terminal.wait() == 0
    assert "Traceback" not in terminal.seen


def test_compose_links_are_terminal_hyperlinks_at_a_terminal(terminal: Terminal) -> None:
    terminal.reply(PROMPT, "settings name: Sam Rivera\n")
    terminal.reply(PROMPT, "add company: Acme; role: Analyst; when: yesterday 2pm; "
                           "with: Jane Doe <jane@acme.example>\n")
    terminal.reply(PROMPT, "draft #1 thank-you\n")
    shown = terminal.expect(PROMPT)
    assert "\x1b]8;;https://mail.google.com/" in shown  # OSC 8: the URL is the link's target...
    assert "\x1b\\Gmail\x1b]8;;\x1b\\" in shown  # ...and the word "Gmail" what is shown
    visible = re.sub(r"\x1b\]8;;[^\x1b]*\x1b\\", "", shown)
    assert "https://" not in visible
    terminal.type("quit\n")
    assert terminal.wait() == 0


def test_ctrl_c_while_a_script_is_read_ends_cleanly(tmp_path: Path) -> None:
    """A script still being written (the pipe stays open) and the person presses Ctrl-C."""
    child = subprocess.Popen([sys.executable, "-m", "bot", "console", "--user", "sam"], cwd=ROOT,
                             env=_env(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("list\n")
        child.stdin.flush()
        answered = ""
        while "No interviews logged yet" not in answered:  # the answer has come
            line = child.stdout.readline()
            assert line, f"the console ended early: {answered}"
            answered += line
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err
