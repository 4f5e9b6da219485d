"""`python -m bot`'s command line, run in this process: `migrate` builds the schema and says so,
a database that cannot be used stops start-up with one line (no traceback), `--help` lists every
mode. (The long-running modes are started through the same entry in tests/test_entry.py and as
real processes in tests/test_procfile.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import load
from bot.entry.command_line import main
from storage import migrate


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET",
                 "SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read
    load.cache_clear()  # a process reads its settings once: each test here is a new process
    yield tmp_path
    load.cache_clear()


def test_migrate_builds_the_schema_and_says_where(environment: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{environment / 'ft.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    main(["migrate"])
    assert migrate.current(url) == migrate.head()
    assert capsys.readouterr().out.strip()
    main(["migrate"])  # again: nothing to do, no error
    assert migrate.current(url) == migrate.head()


def test_a_database_that_cannot_be_used_stops_start_up_with_one_line(
        environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (environment / "a-file").write_text("not a folder")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{environment / 'a-file' / 'ft.db'}")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    said = str(stopped.value.code)
    assert "a-file" in said and "\n" not in said and "Traceback" not in said


def test_help_lists_every_mode(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    usage = capsys.readouterr().out
    for mode in ("console", "slack", "discord", "web", "worker", "migrate", "release"):
        assert mode in usage
