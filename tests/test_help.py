"""`/interview help`: usage with examples for every command, in plain text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import (
    COMMAND_NAMES,
    Add,
    Admin,
    Calendar,
    DraftRequest,
    Export,
    Forget,
    GrammarError,
    Heard,
    Help,
    ListInterviews,
    MarkSent,
    OfferElsewhere,
    Reopen,
    Settings,
    Show,
    Snooze,
    Update,
)
from bot.grammar import parse
from bot.help import COMMAND_SUMMARY, HELP, help_text

EVERY_TOPIC = [None, *COMMAND_NAMES]
TYPES: dict[str, type] = {
    "add": Add,
    "list": ListInterviews,
    "show": Show,
    "update": Update,
    "draft": DraftRequest,
    "sent": MarkSent,
    "snooze": Snooze,
    "heard": Heard,
    "offer-elsewhere": OfferElsewhere,
    "reopen": Reopen,
    "settings": Settings,
    "calendar": Calendar,
    "export": Export,
    "forget": Forget,
    "help": Help,
    "admin": Admin,
}


def test_the_overview_lists_every_command_with_its_usage() -> None:
    overview = help_text(None)
    for name in COMMAND_NAMES:
        assert HELP[name].usage in overview
    assert "/interview add company: Horizon Marketing" in overview
    assert help_text("") == overview
    assert help_text("   ") == overview


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_each_command_has_usage_and_examples(name: str) -> None:
    text = help_text(name)
    assert text.startswith(HELP[name].usage)
    assert "Examples:" in text
    assert HELP[name].examples
    for example in HELP[name].examples:
        assert example in text
    assert help_text(name.upper()) == text
    assert help_text(f"/interview {name}") == text


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_example_is_a_command_the_grammar_reads(name: str) -> None:
    for example in HELP[name].examples:
        result = parse(example)
        assert not isinstance(result, GrammarError), (example, result)
        assert isinstance(result, TYPES[name]), (example, result)


def test_help_for_a_subcommand_or_an_alias_finds_its_command() -> None:
    assert help_text("admin template") == help_text("admin")
    assert help_text("offer elsewhere") == help_text("offer-elsewhere")
    assert help_text("with") == help_text("add")
    assert help_text("tz") == help_text("settings")


def test_an_unknown_topic_names_the_closest_command() -> None:
    text = help_text("shwo")
    assert text.startswith('There is no command "shwo"; here is "show".')
    assert HELP["show"].usage in text
    text = help_text("snoze")
    assert 'here is "snooze"' in text


def test_a_topic_with_nothing_close_gets_the_overview() -> None:
    text = help_text("zzzzqqq")
    assert text.startswith('There is no command "zzzzqqq".')
    assert help_text(None) in text


def test_the_grammar_and_help_agree_on_topics() -> None:
    result = parse("help Admin Template")
    assert result == Help("admin template")
    assert isinstance(result, Help)
    assert help_text(result.topic) == help_text("admin")


@pytest.mark.parametrize("topic", EVERY_TOPIC)
def test_help_is_plain_text_that_fits_one_message(topic: str | None) -> None:
    text = help_text(topic)
    assert len(text) <= 2000  # Discord's message limit; Slack's is larger
    for markup in ("`", "*", "~", "||", "_", "<!", "@here", "@everyone", "&lt;"):
        assert markup not in text, (topic, markup)


def test_menus_have_every_command_in_a_line_that_fits() -> None:
    assert [name for name, _ in COMMAND_SUMMARY] == list(COMMAND_NAMES)
    for name, summary in COMMAND_SUMMARY:
        assert summary and len(summary) <= 100 and len(name) <= 100
        assert "\n" not in summary


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_topic_gets_text(topic: str) -> None:
    text = help_text(topic)
    assert text
    assert len(text) <= 2500
    assert all(c.isprintable() or c == "\n" for c in text)
