"""People are shown with one properly-cased name everywhere (list, show, update, sent, draft
headings, reminders): the name drafts write, however it was typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.actor import Actor
from bot.drafts.names import display_name
from bot.service import Service
from tests.service_support import ok

ALICE = Actor("console", "local", "alice")


@pytest.mark.parametrize(("typed", "shown"), [
    ("ann lee", "Ann Lee"),
    ("maria lopez", "Maria Lopez"),
    ("ANN LEE", "Ann Lee"),
    ("sean mcdonald", "Sean McDonald"),
    ("james o'connor jr.", "James O'Connor Jr."),
    ("Ann Lee, PhD", "Ann Lee"),
    ("DJ Smith", "DJ Smith"),  # mixed case is kept as typed
    ("ludwig van beethoven", "Ludwig van Beethoven"),
    ("Jane", "Jane"),
])
def test_display_name_table(typed: str, shown: str) -> None:
    assert display_name(typed) == shown


_WORD = st.sampled_from(["ann", "lee", "maria", "lopez", "mcdonald", "o'brien", "smith", "jo", "kim"])


@given(st.lists(_WORD, min_size=2, max_size=3))
def test_a_name_typed_in_lower_case_is_shown_capitalised_and_read_back_alike(words: list[str]) -> None:
    shown = display_name(" ".join(words))
    assert all(word[:1].isupper() for word in shown.split())
    assert shown.lower() == " ".join(words)
    assert display_name(shown) == shown  # stable: showing a shown name changes nothing


async def test_names_typed_in_lower_case_are_shown_alike_everywhere(service: Service) -> None:
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: today 9:00; with: ann lee; "
                             "with: sean mcdonald (recruiter)")
    answers = [
        await ok(service, ALICE, "list"),
        await ok(service, ALICE, "show #1"),
        await ok(service, ALICE, "update #1 with: maria lopez"),
        await ok(service, ALICE, "sent #1 thank-you to: lee"),
    ]
    drafts = (await ok(service, ALICE, "draft #1 thank-you")).drafts
    text = "\n".join(a.as_text() for a in answers)
    for typed, shown in (("ann lee", "Ann Lee"), ("sean mcdonald", "Sean McDonald"), ("maria lopez", "Maria Lopez")):
        assert typed not in text, typed
        assert shown in text, shown
    assert {d.to_name for d in drafts} >= {"Ann Lee", "Sean McDonald"}
    assert {d.to_name for d in drafts} <= {"Ann Lee", "Sean McDonald", "Maria Lopez"}
    assert "Thank-you to Ann Lee marked sent. Still to thank: Sean McDonald, Maria Lopez." in answers[3].title
