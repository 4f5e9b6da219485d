"""`news:`: something new about a person or the company, kept with the interview and used as the
stay-in-touch note's hook."""

from __future__ import annotations

from dataclasses import replace

from bot.domain import Candidate, DraftKind, Tone
from bot.drafts import render_drafts
from bot.field_grammar import format_fields, parse_fields
from storage.store import SqlStore
from tests.test_drafts import panel
from tests.test_store import add, load, make_interview, make_user

ALEX = Candidate(name="Alex Morgan", email="alex@example.com", phone="555-0100")


def test_news_is_a_field_that_reads_back() -> None:
    fields = parse_fields("news: Jane: her promotion to VP; tone: casual", "example")
    assert not isinstance(fields, Exception) and fields.news == "Jane: her promotion to VP"
    assert parse_fields(format_fields(fields), "example") == fields


async def test_news_is_kept_with_the_interview(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    await add(store, make_interview(user.id, news="launched the mobile app"))
    loaded = await load(store, user.id, 1)
    assert loaded.news == "launched the mobile app"
    loaded.news = None
    async with store.transaction() as tx:
        await tx.save_interview(loaded)
    assert (await load(store, user.id, 1)).news is None


def test_a_persons_news_is_the_hook_of_their_note_only() -> None:
    drafts = render_drafts(DraftKind.STAY_IN_TOUCH, panel(news="Omar: his promotion to Head of Social"), ALEX,
                           Tone.FORMAL)  # fmt: skip
    by_name = {d.to_name: d.body for d in drafts}
    assert "the news of your promotion to Head of Social" in by_name["Omar Haddad"]
    assert all("promotion" not in by_name[name] for name in ("Jane Richardson", "Lee Chen"))


def test_news_about_the_company_is_everyones_hook() -> None:
    drafts = render_drafts(DraftKind.STAY_IN_TOUCH, panel(news="launched the mobile app."), ALEX, Tone.CASUAL)
    assert all("your team launched the mobile app" in d.body for d in drafts)
    assert all("app.." not in d.body and "hope this" not in d.body.lower() for d in drafts)


def test_news_that_cannot_be_a_phrase_says_rephrase() -> None:
    interview = replace(panel(), news="I saw it. It was great.")
    [draft, *_] = render_drafts(DraftKind.STAY_IN_TOUCH, interview, ALEX, Tone.FORMAL)
    assert any(p.startswith("Rephrase `news:`") for p in draft.problems)
    assert "I saw it" not in draft.body
