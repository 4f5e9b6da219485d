"""The console's add form against the real service and store (SQLite), with an injected clock:
each answer checked as typed and asked again, earlier answers kept, interviewers one per line,
the decision date, `cancel` and end of input; and a script whose bare `add` takes no lines."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.console.console import Console, run
from adapters.console.terminal_locale import parse, with_locale
from bot.actor import Actor
from bot.service import Service
from tests.clock import FakeClock

ROOT = Path(__file__).resolve().parents[1]


class Person:
    """Someone at the terminal: answers questions from a list and sees everything printed."""

    def __init__(self, store: Any, tmp_path: Path) -> None:
        self.clock = FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))  # Wed Dec 2, 10:00 in Berlin
        self.service = Service(store, self.clock, default_tz="Europe/Berlin")
        self.screen: list[str] = []
        self.questions: list[str] = []
        self.answers: list[str | None] = []
        self.console = Console(self.service, Actor("console", "local", "sam"), tmp_path, say=self.screen.append)

    async def ask(self, question: str) -> str | None:
        self.questions.append(question)
        self.screen.append(question)
        assert self.answers, f"the form asked more than was answered: {question!r}"
        return self.answers.pop(0)

    async def type(self, line: str, *answers: str | None) -> str:
        self.answers = list(answers)
        out = await self.console.feed(line, self.ask)
        self.screen.append(out)
        assert not self.answers, f"answers left over: {self.answers}"
        return out


async def test_each_answer_is_checked_as_typed_and_asked_again(sqlite_store: Any, tmp_path: Path) -> None:
    sam = Person(sqlite_store, tmp_path)
    out = await sam.type(
        "/interview add",
        "Northwind Traders",
        "",  # an empty answer to a required question: asked again, not a cancel
        "Data Analyst",
        "whenever it suits",  # unreadable: asked again
        "Monday 11:30",
        "Priya Natarajan (Head of Data) <priya@northwind>",  # a bad address: this person again
        "Priya Natarajan (Head of Data) <priya@northwind.example> about the churn model",
        "Luis Ortega (recruiter)",
        "",  # the empty line ends the interviewers
        "SQL, dashboards",
        "in the middle of nowhere",  # not a date: asked again
        "Dec 11",
    )
    assert "Logged #1: Data Analyst at Northwind Traders" in out
    whens = [q for q in sam.questions if q.startswith("When did it start")]
    assert len(whens) == 2
    interviewer_questions = [q for q in sam.questions if q.startswith("Interviewer")]
    assert [q.split(" (")[0] for q in interviewer_questions] == [
        "Interviewer 1", "Interviewer 1", "Interviewer 2", "Interviewer 3"]
    screen = "\n".join(sam.screen)
    assert "not an e-mail address" in screen
    assert "✓ Mon Nov 30, 11:30 CET" in screen  # the reading is said back as it is typed
    assert "✓ Fri Dec 11" in screen
    shown = await sam.type("show #1")
    assert "Priya Natarajan" in shown and "Luis Ortega" in shown and "churn model" in shown
    assert "Dec 11" in shown or "December 11" in shown
    assert "SQL" in shown and "dashboards" in shown


async def test_a_semicolon_in_an_answer_does_not_start_another_field(sqlite_store: Any, tmp_path: Path) -> None:
    sam = Person(sqlite_store, tmp_path)
    out = await sam.type("add", "Smith; Sons", "Analyst; Data", "yesterday 2pm", "", "", "")
    assert "Logged #1: Analyst, Data at Smith, Sons" in out


@pytest.mark.parametrize("leave", ["cancel", "CANCEL ", None], ids=["cancel", "Cancel", "end-of-input"])
async def test_cancel_or_end_of_input_leaves_the_form_and_logs_nothing(sqlite_store: Any, tmp_path: Path,
                                                                        leave: str | None) -> None:
    sam = Person(sqlite_store, tmp_path)
    out = await sam.type("add", "Northwind Traders", "Data Analyst", "yesterday 2pm", "Luis Ortega", leave)
    assert out == "Cancelled; nothing was logged."
    assert "No interviews logged yet" in await sam.type("list")


async def test_the_form_asks_for_the_decision_date_and_the_schedule_follows_it(sqlite_store: Any,
                                                                                tmp_path: Path) -> None:
    sam = Person(sqlite_store, tmp_path)
    out = await sam.type("add", "Northwind Traders", "Data Analyst", "yesterday 2pm", "", "", "Dec 9")
    assert any("decide" in q for q in sam.questions)
    # Check-in 1 comes two business days after the decision date, not 14 days after the interview.
    assert "check-in: due Fri Dec 11" in out


def test_a_scripted_bare_add_does_not_swallow_the_next_lines(tmp_path: Path) -> None:
    script = "\n".join([
        "/interview add",
        "Northwind Traders",
        "/interview list",
        "/interview add company: Northwind Traders; role: Data Analyst; when: yesterday 2pm",
        "/interview list",
        "",
    ])
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DISCORD_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'ft.db'}", TZ="Europe/Berlin",
               FOLLOWTHROUGH_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "bot", "console", "--user", "sam"], input=script,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "In a script, give the interview on one line" in out and "Nothing was logged." in out
    assert 'Unknown command "northwind"' in out  # the next line was read as the command it is
    assert out.index("No interviews logged yet") < out.index("Logged #1: Data Analyst at Northwind Traders")
    assert "#1 Northwind Traders – Data Analyst" in out.split("Logged #1")[1]  # the last list
    assert "Company" not in out  # no question was put
    assert "Traceback" not in out + done.stderr


@pytest.mark.parametrize(("lang", "said"), [("de_DE.UTF-8", "✓ Tue Dec 1, 14:00"),
                                            ("en_US.UTF-8", "✓ Mon Jan 12, 14:00")])
async def test_numeric_dates_follow_the_terminal_locale(sqlite_store: Any, tmp_path: Path, lang: str,
                                                        said: str) -> None:
    sam = Person(sqlite_store, tmp_path)
    sam.console.actor = with_locale(sam.console.actor, parse(lang))
    await sam.type("add", "Northwind Traders", "Data Analyst", "01/12/2026 2pm", "", "", "")
    assert said in "\n".join(sam.screen)


async def test_with_no_locale_an_ambiguous_date_is_asked_about_not_guessed(sqlite_store: Any, tmp_path: Path) -> None:
    sam = Person(sqlite_store, tmp_path)
    out = await sam.type("add", "Northwind Traders", "Data Analyst", "01/12/2026 2pm", "2026-12-01 2pm", "", "", "")
    assert "Logged #1" in out and "Tue Dec 1, 14:00" in out
    whens = [q for q in sam.questions if q.startswith("When did it start")]
    assert len(whens) == 2  # the first answer read two ways: the form asked again


async def test_the_console_loop_reads_a_script_to_its_very_end(sqlite_store: Any, tmp_path: Path) -> None:
    """In process, through a real pipe: the last line needs no newline; nothing is asked."""
    sam = Person(sqlite_store, tmp_path)
    read_end, write_end = os.pipe()
    os.write(write_end, b"settings name: Sam Rivera\nadd\n\n"
                        b"add company: Acme; role: Analyst; when: yesterday 2pm\nlist")
    os.close(write_end)
    out = io.StringIO()
    with os.fdopen(read_end) as stdin:
        await run(sam.service, sam.console.actor, None, stdin=stdin, stdout=out, out_dir=tmp_path, environ={})
    text = out.getvalue()
    assert "In a script, give the interview on one line" in text
    assert "Logged #1: Analyst at Acme" in text
    assert "#1 Acme – Analyst" in text.split("Logged #1")[1]  # the last line, without its newline, ran
    assert "followthrough>" not in text and "Company" not in text  # no prompt, no question
