"""The user's reference in docs/ stays in step with what the app says and does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.commands import COMMAND_NAMES
from bot.domain import RANGES, CommunityDefaults, Rules, StepKind
from bot.field_grammar import FIELD_KEYS
from bot.help import HELP
from bot.policy import FIRST_THANK_YOU_DM, LAST_CALL_BEFORE_DEADLINE, THANK_YOU_WINDOW
from bot.settings_grammar import SETTING_KEYS
from bot.zone_names import ABBREVIATIONS

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
RULES = (ROOT / "docs" / "follow-up-rules.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_has_its_section_with_the_usage_help_shows(name: str) -> None:
    section = COMMANDS.split(f"\n### {name}\n", 1)
    assert len(section) == 2, f"docs/commands.md has no section for {name}"
    assert section[1].lstrip().startswith(f"```\n{HELP[name].usage}\n```"), name


def test_the_reference_documents_no_command_the_app_lacks() -> None:
    assert re.findall(r"^### (\S+)$", COMMANDS, flags=re.MULTILINE) == list(COMMAND_NAMES)


@pytest.mark.parametrize("key", FIELD_KEYS)
def test_every_field_is_documented(key: str) -> None:
    assert f"| `{key}` |" in COMMANDS


@pytest.mark.parametrize("key", SETTING_KEYS)
def test_every_setting_is_documented(key: str) -> None:
    assert f"`{key}`" in COMMANDS.split("### settings", 1)[1].split("###", 1)[0]


def test_the_zone_abbreviations_named_are_the_ones_read() -> None:
    named = re.findall(r"\b[A-Z]{2,4}\b", COMMANDS.split("**Time-zone abbreviations**", 1)[1].split("\n\n", 1)[0])
    assert named and all(word.lower() in ABBREVIATIONS for word in named)


def test_the_rules_page_states_the_numbers_the_policy_uses() -> None:
    defaults, rules = CommunityDefaults("x", "y"), Rules()
    for phrase in (
        f"within {int(THANK_YOU_WINDOW.total_seconds() // 3600)} hours of the interview's end",
        f"{int(FIRST_THANK_YOU_DM.total_seconds() // 3600)} hour after the end",
        f"last call {int(LAST_CALL_BEFORE_DEADLINE.total_seconds() // 3600)} hours before the deadline",
        f"{defaults.check_in_days} days after the interview *(admins: {RANGES['check_in_days'][0]}–"
        f"{RANGES['check_in_days'][1]})*",
        f"{defaults.check_in_2_days} days after you mark the first check-in sent *(admins: "
        f"{RANGES['check_in_2_days'][0]}–{RANGES['check_in_2_days'][1]})*",
        f"{rules.no_reply_days} days after the second check-in",
        f"{defaults.stay_in_touch_weeks} weeks after a rejection",
        f"({defaults.quiet_start:%H:%M}–{defaults.quiet_end:%H:%M} unless you change them)",
        f"{defaults.morning:%H:%M} unless you change it",
    ):
        assert phrase in RULES, phrase
    for kind in StepKind:
        assert f"| {kind.value} |" in RULES, kind


def test_the_readme_links_the_reference_and_nothing_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    assert "(docs/commands.md)" in readme and "(docs/follow-up-rules.md)" in readme
    for page in (COMMANDS, RULES):
        assert "../shared" not in page
