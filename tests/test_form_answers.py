"""A form's answers become the command they stand for in one place (the core's), whatever the
platform; and what a command may do is read from the command itself."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import commands as c
from bot.capabilities import capabilities, is_read_only, text_capabilities, time_question
from bot.form_answers import command_from_form, field_value
from bot.grammar import parse

# What people type into a form box: words with the odd separator, space, line break or control character.
TYPED = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
WORDY = st.text(alphabet=st.sampled_from("abcdefgh XYZ&.,'-;\n\t"), min_size=1, max_size=40)


@given(company=WORDY, role=WORDY)
def test_whatever_is_typed_in_a_box_stays_in_its_field(company: str, role: str) -> None:
    """A `;` or a line break in one answer never starts another field: the grammar reads back each
    answer as the one value it was."""
    command = parse(command_from_form("add", {"company": company, "role": role, "when": "yesterday 2pm"}))
    if not field_value(company) or not field_value(role):
        return  # a blank answer is left out; the grammar then asks for it
    assert isinstance(command, c.Add) and command.fields is not None, command
    assert command.fields.company == field_value(company)
    assert command.fields.role == field_value(role)
    assert command.fields.when == "yesterday 2pm"


@settings(max_examples=300)
@given(answers=st.dictionaries(st.sampled_from(["company", "role", "when", "with", "topics", "point", "promised"]),
                               TYPED, max_size=7))
def test_any_answers_make_one_line_the_grammar_reads_without_failing(answers: dict[str, str]) -> None:
    text = command_from_form("add", answers)
    assert "\n" not in text and text.startswith("add")
    assert isinstance(parse(text), c.Add | c.GrammarError)  # an answer or a short message, never a crash


def test_one_interviewer_per_line_and_topics_as_a_list() -> None:
    text = command_from_form("update", {"company": "Horizon", "with": "Ms. Jane Doe (CTO)\n\n  \nOmar Haddad",
                                        "topics": "the launch\nthe budget", "role": ""})
    assert text == ("update company: Horizon; with: Ms. Jane Doe (CTO); with: Omar Haddad; "
                    "topics: the launch, the budget")
    text = text.replace("update", "add", 1) + "; role: Analyst; when: yesterday 2pm"
    command = parse(text)
    assert isinstance(command, c.Add) and command.fields is not None
    assert [p.name for p in command.fields.with_] == ["Jane Doe", "Omar Haddad"]
    assert command.fields.topics == ("the launch", "the budget")


def test_nothing_answered_is_the_bare_command() -> None:
    assert command_from_form("settings", {"name": "  ", "tz": "\n"}) == "settings"


def test_settings_answers_are_read_as_settings() -> None:
    command = parse(command_from_form("settings", {"name": "Sam Rivera", "tz": "Europe/Berlin", "email": ""}))
    assert command == c.Settings(values={"name": "Sam Rivera", "tz": "Europe/Berlin"})


def test_what_a_command_may_do_comes_from_the_command() -> None:
    shows = ["list", "list all", "show #2", "draft #1 thank-you", "help sent", "calendar", "export", "settings",
             "forget", "admin stats", "admin defaults", "admin template thank-you", "admin template thank-you history"]
    changes = ["sent #1", "snooze #2 3d", "heard #1 offer", "settings tz: UTC", "forget confirm",
               "add company: Acme; role: Analyst; when: yesterday 2pm", "admin defaults check-in: 10d",
               "admin template thank-you set Subject: Thanks", "admin template thank-you revert", "reopen #2"]
    assert [t for t in shows if not is_read_only(t)] == []
    assert [t for t in changes if is_read_only(t)] == []
    assert capabilities(c.Admin(sub="stats")).staff_only and not capabilities(c.ListInterviews()).staff_only
    assert capabilities(c.MarkSent(number=1)).needs_member and not capabilities(c.Help()).needs_member
    # The same command however it is spelled: capabilities do not depend on the words used.
    assert text_capabilities("LIST") == text_capabilities("list") == capabilities(c.ListInterviews())


def test_text_still_missing_a_part_is_not_taken_for_a_read() -> None:
    """A button that asks for a time first (`heard #3 next round`) is a change once answered."""
    assert not is_read_only("heard #3 next round") and not is_read_only("heard #3 decision")


def test_a_command_complete_only_with_a_time_says_what_to_ask() -> None:
    assert time_question("heard #12 next round") == "When is the next round?"
    assert time_question("heard #7 decision") == "When will they decide?"
    for complete_or_other in ("heard #7 decision next Friday", "heard #3 next round Tuesday 10am", "heard #3 offer",
                              "sent #3", "list", "snooze #2", "frobnicate #3"):
        assert time_question(complete_or_other) is None, complete_or_other
