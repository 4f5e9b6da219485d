"""Drafts through the service, as a member asks for them: `to:` by any part of a name, the news
field, one note where two were due, the kinds of meeting."""

from __future__ import annotations

from bot.actor import Actor
from bot.service import Service
from tests.service_support import ok

ALICE = Actor("console", "local", "alice")
ADD = ("add company: Acme, Inc.; role: the data engineer position; when: yesterday 10:00; "
       "with: Mr. Robert Hale Jr. <robert@acme.example> about how their team migrated to Kubernetes.; "
       "with: robert chen (Talent Partner, recruiter) <rc@acme.example>; "
       "with: María José García López; promised: to send two writing samples")  # fmt: skip


async def test_to_finds_a_person_by_any_part_of_their_name(service: Service) -> None:
    await ok(service, ALICE, "settings name: Alex Morgan; email: alex@example.com")
    await ok(service, ALICE, ADD)
    [draft] = (await ok(service, ALICE, "draft #1 thank-you to: Hale")).drafts
    assert draft.to_name == "Robert Hale Jr."
    assert draft.body.startswith("Dear Mr. Hale,")
    assert "how your team migrated to Kubernetes" in draft.body and "Kubernetes.." not in draft.body
    assert "the two writing samples I mentioned" in draft.body and "Acme, Inc.." not in draft.body
    [draft] = (await ok(service, ALICE, "draft #1 thank-you to: garcia")).drafts
    assert draft.body.startswith("Dear María José García López,")
    ambiguous = await service.handle(ALICE, "draft #1 thank-you to: Robert")
    assert ambiguous.error and "Robert Hale Jr. or Robert Chen" in ambiguous.title
    marked = await ok(service, ALICE, "sent #1 thank-you to: hale jr")
    assert "Robert Hale Jr." in marked.title


async def test_the_recruiter_is_thanked_for_the_process_not_the_others_topics(service: Service) -> None:
    await ok(service, ALICE, "settings name: Alex Morgan; email: alex@example.com")
    await ok(service, ALICE, ADD)
    drafts = (await ok(service, ALICE, "draft #1 thank-you")).drafts
    recruiter = next(d for d in drafts if d.to_name == "Robert Chen")
    assert recruiter.body.startswith("Dear Robert Chen,")
    assert "Kubernetes" not in recruiter.body


async def test_news_set_with_update_opens_the_stay_in_touch_note(service: Service) -> None:
    await ok(service, ALICE, "settings name: Alex Morgan; email: alex@example.com")
    await ok(service, ALICE, ADD)
    await ok(service, ALICE, "update #1 news: Hale: his promotion to VP of Platform")
    assert "News (for the stay-in-touch note): Hale: his promotion to VP of Platform" in (
        await ok(service, ALICE, "show #1")).as_text()  # fmt: skip
    drafts = (await ok(service, ALICE, "draft #1 stay-in-touch")).drafts
    hale = next(d for d in drafts if d.to_name == "Robert Hale Jr.")
    assert "the news of your promotion to VP of Platform" in hale.body
    assert all("promotion" not in d.body for d in drafts if d is not hale)
    assert sum("coffee" in d.body for d in drafts) == 1


async def test_an_informational_interview_never_speaks_of_hiring(service: Service) -> None:
    await ok(service, ALICE, "settings name: Alex Morgan; email: alex@example.com")
    await ok(service, ALICE, "add company: Horizon; role: Product Manager; when: yesterday 10:00; "
                             "kind: informational; with: Dana Kim about her path into product")  # fmt: skip
    [draft] = (await ok(service, ALICE, "draft #1 thank-you")).drafts
    assert "your path into product" in draft.body
    for word in ("application", "position", "next steps", "decision", "hiring"):
        assert word not in draft.body.lower()
