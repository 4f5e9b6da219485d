"""What a member types where the slash command is not needed (a Slack or Discord DM, the console)
reads the same on every platform: the `/interview` in front is optional."""

from __future__ import annotations

import pytest

from bot.typed_text import command_in


@pytest.mark.parametrize(("typed", "command"), [
    ("/interview list all", "list all"),
    ("interview list", "list"),
    ("Interview   show #2", "show #2"),
    ("/INTERVIEW sent #1", "sent #1"),
    ("/interview", "help"),
    ("interview", "help"),
    ("  list ", "list"),
    ("/list", "list"),
    ("interviews", "interviews"),  # a word that only starts like it is left to the grammar
    ("interviewer Jane", "interviewer Jane"),
    ("", ""),
    ("   ", ""),
])
def test_the_prefix_is_optional_and_a_bare_one_asks_for_help(typed: str, command: str) -> None:
    assert command_in(typed) == command
