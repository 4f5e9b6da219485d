"""Every rule that turns what the user typed into grammar, one table each."""

from __future__ import annotations

import pytest

from bot.domain import Interviewer
from bot.drafts import company_and_role, fragments, owners, promises, talking_points


@pytest.mark.parametrize(
    ("typed", "to_others", "to_owner"),
    [
        ("projects.", "projects", "projects"),
        ("The upcoming launch.", "the upcoming launch", "the upcoming launch"),
        ("about how their team migrated to Kubernetes.", "how their team migrated to Kubernetes",
         "how your team migrated to Kubernetes"),
        ("they built the data platform", "how they built the data platform", "how you built the data platform"),
        ("how she leads the risk team and is hiring", "how she leads the risk team and is hiring",
         "how you lead the risk team and are hiring"),
        ("how he explains things to her team", "how he explains things to her team",
         "how you explain things to your team"),
        ("what he was doing at the bank", "what he was doing at the bank", "what you were doing at the bank"),
        ("the work at Acme Inc.", "the work at Acme Inc.", "the work at Acme Inc."),
        ("  discussing   the  roadmap!! ", "the roadmap", "the roadmap"),
        ('"the CCAR program"', "the CCAR program", "the CCAR program"),
    ],
)  # fmt: skip
def test_topic(typed: str, to_others: str, to_owner: str) -> None:
    assert talking_points.topic(typed).text == to_others
    assert talking_points.topic(typed, to_owner=True).text == to_owner


@pytest.mark.parametrize("typed", ["I liked the culture", "The launch. Then the budget."])
def test_a_topic_that_cannot_be_a_phrase_says_rephrase(typed: str) -> None:
    fragment = talking_points.topic(typed)
    assert not fragment and "topic" in fragment.problem


@pytest.mark.parametrize(
    ("typed", "thing", "plural"),
    [
        ("my portfolio", "the portfolio", False),
        ("to send two writing samples", "the two writing samples", True),
        ("a case study", "the case study", False),
        ("social media report.", "the social media report", False),
        ("the slides I mentioned", "the slides", True),
        ("I'll send over references", "the references", True),
        ("samples of my writing", "the samples of my writing", True),
        ("some code samples", "the code samples", True),
        ("my analysis", "the analysis", False),
        ("share the Q3 deck with her", "the Q3 deck with her", False),
    ],
)
def test_promise(typed: str, thing: str, plural: bool) -> None:
    promise = promises.promise(typed)
    assert (promise.thing, promise.plural, promise.problem) == (thing, plural, "")


@pytest.mark.parametrize("typed", ["to call next week", "I will follow up", "to"])
def test_a_promise_that_is_not_a_thing_says_rephrase(typed: str) -> None:
    promise = promises.promise(typed)
    assert promise.thing == "" and "promise" in promise.problem


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("that I led the warehouse migration", "I led the warehouse migration."),
        ("I wanted to add that i have a CPA", "I have a CPA."),
        ("to add: my team grew 40% in a year", "My team grew 40% in a year."),
        ("led a team of five analysts", "I led a team of five analysts."),
        ("Did I mention the award?", "Did I mention the award?"),
        ("  : that the model cut losses by 12% ", "The model cut losses by 12%."),
        ("we shipped it at Acme Inc.", "We shipped it at Acme Inc."),
    ],
)
def test_point(typed: str, sentence: str) -> None:
    assert talking_points.point(typed).text == sentence


@pytest.mark.parametrize(
    ("typed", "running_text"),
    [
        ("Acme, Inc.", "Acme"),
        ("Acme Inc", "Acme"),
        ("JPMorgan Chase Bank, N.A.", "JPMorgan Chase Bank"),
        ("acme corp", "Acme"),
        ("Siemens AG", "Siemens"),
        ("Horizon Marketing Ltd.", "Horizon Marketing"),
        ("Procter & Gamble Co.", "Procter & Gamble Co."),
        ("eBay", "eBay"),
    ],
)
def test_company(typed: str, running_text: str) -> None:
    assert company_and_role.company(typed) == running_text


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("the Data Analyst position", "Data Analyst"),
        ("senior ux designer", "Senior UX Designer"),
        ("Marketing Coordinator.", "Marketing Coordinator"),
        ("vp of engineering", "VP of Engineering"),
        ("an Analyst role", "Analyst"),
        ("iOS Engineer", "iOS Engineer"),
    ],
)
def test_role(typed: str, role: str) -> None:
    assert company_and_role.role(typed) == role


@pytest.mark.parametrize(
    ("typed", "to_all", "to_owner"),
    [
        ("launched the mobile app", "that your team launched the mobile app", "that you launched the mobile app"),
        ("her promotion to VP", "the news of her promotion to VP", "the news of your promotion to VP"),
        ("an article on fraud models", "the article on fraud models", "your article on fraud models"),
        ("Acme raised a Series B.", "that Acme raised a Series B", "that Acme raised a Series B"),
        ("was promoted to director", "that your team was promoted to director", "that you were promoted to director"),
    ],
)
def test_news(typed: str, to_all: str, to_owner: str) -> None:
    assert talking_points.news(typed).text == to_all
    assert talking_points.news(typed, to_owner=True).text == to_owner


PEOPLE = [Interviewer("Jane Doe"), Interviewer("Robert Hale Jr.")]


@pytest.mark.parametrize(
    ("typed", "owner", "rest"),
    [
        ("Jane: my portfolio", "Jane Doe", "my portfolio"),
        ("to Hale: the slides", "Robert Hale Jr.", "the slides"),
        ("my portfolio (for Jane)", "Jane Doe", "my portfolio"),
        ("writing samples for robert", "Robert Hale Jr.", "writing samples"),
        ("notes for the launch", None, "notes for the launch"),
        ("Note: bring slides", None, "Note: bring slides"),
    ],
)
def test_a_fragment_can_name_its_person(typed: str, owner: str | None, rest: str) -> None:
    person, text = owners.owner_and_text(typed, PEOPLE)
    assert (person.name if person else None, text) == (owner, rest)


@pytest.mark.parametrize(
    ("phrase", "with_article"),
    [("informational interview", "an informational interview"), ("UX role", "a UX role"),
     ("MBA program", "an MBA program"), ("hour-long call", "an hour-long call"), ("panel", "a panel")],
)  # fmt: skip
def test_article(phrase: str, with_article: str) -> None:
    assert fragments.article(phrase) == with_article


@pytest.mark.parametrize(
    ("typed", "clause"),
    [
        ("they will send the schedule by Friday", "send the schedule by Friday"),
        ("send the schedule by Friday.", "send the schedule by Friday"),
        ("They'll get back to me with their decision", "get back to me with your decision"),
        ("Tom said he would call me next week", "call me next week"),
        ("to introduce me to their design lead", "introduce me to your design lead"),
        ("feedback by Friday", "share feedback by Friday"),
    ],
)
def test_their_promise(typed: str, clause: str) -> None:
    assert promises.their_promise(typed).text == clause
