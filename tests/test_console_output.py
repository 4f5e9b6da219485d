"""What the console prints and writes: 100 columns at most, no chat markup, links as OSC 8
hyperlinks at a terminal and as URLs elsewhere, times on the locale's clock, the locale passed to
the core; files in the data folder (never the checkout), never over an earlier file."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.console.console import Console, terminal_style
from adapters.console.files import data_dir, save_new
from adapters.console.render import Style, hyperlink, plain, render
from adapters.console.terminal_locale import from_environment, on_clock, parse, with_locale
from bot.actor import Actor
from bot.replies import Draft, Link, Reply, Section
from bot.service import Service
from bot.time_marks import TimeMark
from tests.clock import FakeClock

ROOT = Path(__file__).resolve().parents[1]
MARKUP = re.compile(r"(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])|<[^>\n]*\|[^>\n]*>|<[@#!][^>\n]*>|<t:\d+")
OSC8 = re.compile(r"\x1b\]8;;([^\x1b]*)\x1b\\([^\x1b]*)\x1b\]8;;\x1b\\")


async def _session(store: Any, tmp_path: Path, style: Style) -> list[str]:
    """A member's afternoon: every command that shows something, drafts of every kind."""
    clock = FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    console = Console(Service(store, clock, default_tz="America/New_York"), Actor("console", "local", "sam"),
                      tmp_path, style)
    lines = [
        "settings name: Sam Rivera; email: sam@example.com; phone: 555-0100",
        "add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm; "
        "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch; "
        "with: Tom Baker (recruiter) <tom@horizon.example>; topics: social media outreach, the TikTok pilot",
        "list", "show #1", "draft #1", "draft #1 check-in", "draft #1 linkedin", "sent #1 thank-you",
        "heard #1 rejected", "draft #1 rejection", "list all", "help", "help add", "settings", "calendar",
    ]
    return [await console.feed(line) for line in lines]


async def test_a_session_fits_100_columns_and_has_no_chat_markup(sqlite_store: Any, tmp_path: Path) -> None:
    answers = await _session(sqlite_store, tmp_path, Style(width=100, hyperlinks=False))
    out = "\n".join(answers)
    assert "Logged #1" in out and "Dear Ms. Richardson" in out
    for line in out.splitlines():
        if "https://" in line or "mailto:" in line:  # a URL printed whole on its own line
            assert re.fullmatch(r"(Write it in: )?[\w -]+: (https://|mailto:)\S+", line), line
            continue
        assert len(line) <= 100, line
    assert MARKUP.search(out) is None, MARKUP.search(out)
    assert "mailto:jane@horizon.example?subject=" in out  # not a terminal: the compose URL itself


async def test_at_a_terminal_compose_links_are_hyperlinks_and_times_follow_a_12_hour_locale(
        sqlite_store: Any, tmp_path: Path) -> None:
    answers = await _session(sqlite_store, tmp_path, Style(width=100, hyperlinks=True, hour_cycle=12))
    out = "\n".join(answers)
    links = OSC8.findall(out)
    assert ("https://mail.google.com/mail/?view=cm&fs=1&to=jane%40horizon.example" in links[0][0]
            or any(url.startswith("https://mail.google.com/") for url, _ in links))
    assert {label for _, label in links} >= {"Gmail", "Outlook", "E-mail app"}
    visible = OSC8.sub(lambda m: m[2], out)
    assert "https://" not in visible and "mailto:" not in visible
    for line in visible.splitlines():
        assert len(line) <= 100, line
    assert re.search(r"\b\d{1,2}:\d\d [AP]M E[SD]T\b", visible)
    assert not re.search(r"\b(1[3-9]|2[0-3]):\d\d E[SD]T\b", visible)  # no 24-hour time left


@pytest.mark.parametrize(("value", "tag", "cycle"), [
    ("en_US.UTF-8", "en-US", 12), ("de_DE.UTF-8", "de-DE", 24), ("en_GB.UTF-8", "en-GB", 24),
    ("fr_CA.UTF-8", "fr-CA", 24), ("en_CA", "en-CA", 12), ("hi_IN.UTF-8@devanagari", "hi-IN", 12),
    ("C.UTF-8", None, 24), ("POSIX", None, 24), ("ja_JP.eucJP", "ja-JP", 24), ("es-419", "es-419", 24),
])
def test_the_locale_name_gives_the_language_tag_and_the_clock(value: str, tag: str | None, cycle: int) -> None:
    locale = parse(value)
    assert (locale.tag, locale.hour_cycle) == (tag, cycle)


def test_lc_all_then_lc_time_then_lang_decide() -> None:
    assert from_environment({"LANG": "en_US.UTF-8", "LC_TIME": "de_DE.UTF-8"}).hour_cycle == 24
    assert from_environment({"LANG": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"}).hour_cycle == 12
    assert from_environment({"LC_ALL": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"}).hour_cycle == 24
    assert from_environment({"LC_TIME": "", "LANG": "en_US.UTF-8"}).tag == "en-US"
    assert from_environment({}).tag is None


def test_times_move_to_the_12_hour_clock_and_nothing_else_does() -> None:
    text = ("Logged #1 (Tue Dec 1, 14:00 CET); due Wed Dec 2, 00:30 UTC; 09:05 +03; noon 12:00 EST. "
            "Quiet hours: 21:00-08:00; exported 2026-12-02T10:00:00+01:00; already 2:00 PM EST; 1:30 pm CET")
    assert on_clock(text, 12) == (
        "Logged #1 (Tue Dec 1, 2:00 PM CET); due Wed Dec 2, 12:30 AM UTC; 9:05 AM +03; noon 12:00 PM EST. "
        "Quiet hours: 21:00-08:00; exported 2026-12-02T10:00:00+01:00; already 2:00 PM EST; 1:30 pm CET")
    assert on_clock(text, 24) == text


def test_the_locale_reaches_the_core_when_the_actor_can_carry_it() -> None:
    actor = Actor("console", "local", "sam")
    passed = with_locale(actor, parse("en_US.UTF-8"))
    if "locale" in {f.name for f in fields(actor)}:
        assert passed.locale == "en-US"  # type: ignore[attr-defined]
    else:
        assert passed == actor

    @dataclass(frozen=True)
    class LocaleActor:
        external_id: str
        locale: str | None = None

    assert with_locale(LocaleActor("sam"), parse("de_DE.UTF-8")) == LocaleActor("sam", "de-DE")  # type: ignore[arg-type]
    assert with_locale(LocaleActor("sam", "fr-FR"), parse("de_DE.UTF-8")) == LocaleActor("sam", "fr-FR")  # type: ignore[arg-type]
    assert with_locale(LocaleActor("sam"), parse("C")) == LocaleActor("sam")  # type: ignore[arg-type]


def test_chat_markup_reads_as_plain_words() -> None:
    assert plain("due <!date^1764680400^{date_short_pretty} at {time}|Tue Dec 2, 14:00 CET>") == \
        "due Tue Dec 2, 14:00 CET"
    assert plain("see <https://example.org/a|the guide> and <mailto:a@b.example>") == \
        "see the guide (https://example.org/a) and mailto:a@b.example"
    assert plain("<@U123> and <@!456> in <#C1|general>; <!here>") == "@U123 and @456 in @general; @here"
    assert "<t:" not in plain("at <t:1764680400:f>")


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1b"), max_size=400)


@given(title=_TEXT, body=_TEXT, width=st.integers(min_value=40, max_value=100))
def test_any_answer_fits_the_width_and_sends_no_control_characters(title: str, body: str, width: int) -> None:
    """Whatever a member typed (company names, notes, escape sequences) and the core said."""
    reply = Reply(title=title, sections=[Section(body, title="Notes")],
                  drafts=[Draft("thank-you", "Jane", "jane@x.example", title[:50], body,
                                links=(Link("Gmail", "https://mail.google.com/?to=" + body[:80]),))])
    for hyperlinks in (False, True):
        out = render(reply, Style(width=width, hyperlinks=hyperlinks))
        visible = OSC8.sub(lambda m: m[2], out)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", visible), repr(visible)
        for line in visible.splitlines():
            if line.startswith("Write it in: "):
                continue
            assert len(line) <= width or len(line.split()) == 1, repr(line)  # or one word too long to break


def test_a_hyperlink_never_carries_an_escape_sequence() -> None:
    link = hyperlink("Gmail\x1b[2J", "https://x.example/\x1b]8;;evil\x07")
    assert link.count("\x1b") == 4  # the two OSC 8 sequences and their terminators, nothing else


def test_files_are_numbered_never_overwritten(tmp_path: Path) -> None:
    first = save_new(tmp_path, "followthrough-export.json", b"one")
    second = save_new(tmp_path, "followthrough-export.json", b"two")
    third = save_new(tmp_path, "followthrough-export.json", b"three")
    assert [p.name for p in (first, second, third)] == [
        "followthrough-export.json", "followthrough-export-2.json", "followthrough-export-3.json"]
    assert first.read_bytes() == b"one" and third.read_bytes() == b"three"
    assert save_new(tmp_path, "../../escape.ics", b"x") == tmp_path / "escape.ics"


def test_the_data_folder_of_each_system(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert data_dir({"FOLLOWTHROUGH_DATA_DIR": "/srv/ft"}, "linux", home) == Path("/srv/ft")
    assert data_dir({}, "linux", home) == home / ".local/share/followthrough"
    assert data_dir({"XDG_DATA_HOME": "/x/data"}, "linux", home) == Path("/x/data/followthrough")
    assert data_dir({"XDG_DATA_HOME": "relative"}, "linux", home) == home / ".local/share/followthrough"
    assert data_dir({}, "darwin", home) == home / "Library/Application Support/Followthrough"
    assert data_dir({"LOCALAPPDATA": "C:/Users/sam/AppData/Local"}, "win32", home) == \
        Path("C:/Users/sam/AppData/Local/Followthrough")


def _checkout_files() -> set[Path]:
    return {p for p in ROOT.iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize("where", ["FOLLOWTHROUGH_DATA_DIR", "home"])
def test_exports_go_to_the_data_folder_never_the_checkout(tmp_path: Path, where: str) -> None:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "DISCORD_", "XDG_", "FOLLOWTHROUGH_DATA_DIR"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'ft.db'}", TZ="Europe/Berlin", HOME=str(tmp_path / "home"))
    folder = tmp_path / "home/.local/share/followthrough"
    if where == "FOLLOWTHROUGH_DATA_DIR":
        folder = tmp_path / "chosen"
        env["FOLLOWTHROUGH_DATA_DIR"] = str(folder)
    before = _checkout_files()
    script = "add company: Acme; role: Analyst; when: yesterday 2pm\nexport\nexport\ncalendar\n"
    done = subprocess.run([sys.executable, "-m", "bot", "console", "--user", "sam"], input=script,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _checkout_files() == before
    names = sorted(p.name for p in folder.iterdir() if p.suffix != ".ics")
    assert names == ["followthrough-export-2.json", "followthrough-export.json",
                     "followthrough-interviews-2.csv", "followthrough-interviews.csv"]
    assert len(list(folder.glob("*.ics"))) == 1
    assert f"Wrote {folder / 'followthrough-export-2.json'}" in done.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_links_and_width_follow_what_stdout_is() -> None:
    at_terminal = terminal_style(_Terminal(), {"TERM": "xterm-256color", "LANG": "en_US.UTF-8"})
    assert at_terminal.hyperlinks and at_terminal.hour_cycle == 12 and 40 <= at_terminal.width <= 100
    assert not terminal_style(_Terminal(), {"TERM": "dumb"}).hyperlinks
    piped = terminal_style(io.StringIO(), {"TERM": "xterm-256color", "LC_TIME": "de_DE.UTF-8"})
    assert piped == Style(width=100, hyperlinks=False, hour_cycle=24)


def test_only_the_times_the_core_noted_move_to_the_12_hour_clock() -> None:
    at = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    reply = Reply(title="Logged #1: Analyst at Shift 14:00 CET Ltd (Tue Dec 1, 14:00 CET).",
                  sections=[Section("• thank-you: due Wed Dec 2, 14:00 CET (in 20 h)")],
                  time_marks=[TimeMark("Tue Dec 1, 14:00 CET", at), TimeMark("in 20 h", at, relative=True)])
    out = render(reply, Style(hour_cycle=12))
    assert out.splitlines()[0] == "Logged #1: Analyst at Shift 14:00 CET Ltd (Tue Dec 1, 2:00 PM CET)."
    assert "due Wed Dec 2, 14:00 CET" in out  # not noted as a time: left as written
    assert render(reply, Style(hour_cycle=24)) == reply.as_text()
