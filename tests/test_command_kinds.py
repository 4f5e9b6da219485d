"""A button's command is judged by the core's reading of it, whatever its spelling."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.capabilities import interview_number, is_read_only, time_asked, time_question

SHOWS = ["show #{n}", "draft #{n}", "draft #{n} check-in", "list", "list all", "help", "calendar", "export"]
CHANGES = ["sent #{n}", "sent #{n} thank-you", "snooze #{n} 3d", "heard #{n} offer", "heard #{n} rejected",
           "heard #{n} next round Tuesday 10am", "forget confirm", "update #{n} role: Analyst"]


def spelled(template: str, n: int, upper: bool, spaces: int) -> str:
    text = template.format(n=n)
    verb, _, rest = text.partition(" ")
    return " " * spaces + (verb.upper() if upper else verb) + (" " + rest if rest else "")


@given(st.sampled_from(SHOWS), st.integers(1, 999_999), st.booleans(), st.integers(0, 2))
def test_commands_that_only_show_are_read_only_however_written(template: str, n: int, upper: bool,
                                                               spaces: int) -> None:
    assert is_read_only(spelled(template, n, upper, spaces))
    assert time_question(spelled(template, n, upper, spaces)) is None


@given(st.sampled_from(CHANGES), st.integers(1, 999_999), st.booleans(), st.integers(0, 2))
def test_commands_that_change_something_are_not(template: str, n: int, upper: bool, spaces: int) -> None:
    assert not is_read_only(spelled(template, n, upper, spaces))
    assert time_question(spelled(template, n, upper, spaces)) is None


@given(st.integers(1, 999_999), st.sampled_from(["next round", "decision", "Next Round", "DECISION"]))
def test_news_without_its_time_asks_for_it(n: int, news: str) -> None:
    question = time_question(f"heard #{n} {news}")
    assert question in ("When is the next round?", "When will they decide?")
    assert ("next round" in question) == (news.lower() == "next round")
    asked = time_asked(f"heard #{n} {news}")
    assert asked is not None and asked.day == (news.lower() == "decision")  # a decision is a day, a round a moment


@given(st.sampled_from(SHOWS[:3] + CHANGES[:-2] + ["heard #{n} next round", "heard #{n} decision"]),
       st.integers(1, 999_999), st.booleans())
def test_a_button_is_labelled_with_the_interview_its_command_acts_on(template: str, n: int, upper: bool) -> None:
    assert interview_number(spelled(template, n, upper, 0)) == n


def test_text_that_merely_looks_like_a_command_is_neither() -> None:
    assert not is_read_only("shows #3") and not is_read_only("draft-ish #3")
    assert time_question("heard #x next round") is None and time_question("hear #3 next round") is None
