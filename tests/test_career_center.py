"""/interview admin defaults and templates, through Service.handle on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.actor import Actor
from bot.domain import DraftKind
from bot.drafts import builtin_template
from bot.replies import Reply
from bot.service import Service
from tests.clock import FakeClock
from tests.service_support import ok

BOSS = Actor("console", "local", "boss", is_admin=True)
CHIEF = Actor("console", "local", "chief", is_admin=True)
ALICE = Actor("console", "local", "alice")
BOB = Actor("console", "local", "bob")
ELSEWHERE = Actor("console", "elsewhere", "erin")
ADD = ("add company: Horizon Marketing; role: Marketing Coordinator; when: 2026-12-01 14:00; "
       "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch")

# The built-in rejection reply with one sentence of the career center's own.
OWN_CLOSING = "I wish you and the team every success in the year ahead."
OWN_REJECTION = builtin_template(DraftKind.REJECTION).replace("I wish you and the team continued success.", OWN_CLOSING)


async def refused(service: Service, actor: Actor, text: str) -> Reply:
    reply = await service.handle(actor, text)
    assert reply.error, f"{text!r} was accepted: {reply.title}"
    return reply


async def rejection_draft(service: Service, actor: Actor) -> str:
    return (await ok(service, actor, "draft #1 rejection")).drafts[0].body


# ---- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "admin defaults", "admin defaults check-in: 10d", "admin template thank-you show",
    f"admin template rejection set {OWN_REJECTION}", "admin template rejection revert", "admin stats",
])
async def test_members_who_are_not_admins_get_a_polite_refusal(service: Service, text: str) -> None:
    reply = await refused(service, ALICE, text)
    assert reply.title.startswith("Sorry, /interview admin is for this community's admins")
    assert "/interview settings" in reply.title
    shown = (await ok(service, BOSS, "admin defaults")).as_text()
    assert "Check-in 1: 14 days" in shown
    assert "never been changed" in (await ok(service, BOSS, "admin template rejection history")).title


# ---- defaults ---------------------------------------------------------------------------------


async def test_the_communitys_check_in_interval_shapes_its_members_schedules(service: Service) -> None:
    saved = await ok(service, BOSS, "admin defaults check-in: 10d")
    assert saved.title == "Community defaults saved."
    assert "Check-in 1: 10 days after the interview" in saved.as_text()
    logged = (await ok(service, ALICE, ADD)).as_text()
    assert "check-in: due Fri Dec 11, 09:00 CET" in logged  # 10 days after Tuesday, December 1
    other = (await ok(service, ELSEWHERE, ADD)).as_text()
    assert "check-in: due Tue Dec 15, 09:00 CET" in other  # another community keeps the 14 days


async def test_a_members_own_settings_win_over_the_communitys(service: Service) -> None:
    await ok(service, BOSS, "admin defaults tone: casual; morning: 10:00; quiet: 22:00-07:00; check-in: 12d")
    await ok(service, ALICE, "settings name: Alice Adams; email: alice@example.com")
    await ok(service, BOB, "settings name: Bob Brown; email: bob@example.com; tone: formal; morning: 08:30; "
                           "quiet: 23:00-06:00")
    await ok(service, ALICE, ADD)
    await ok(service, BOB, ADD)

    alices = await ok(service, ALICE, "show #1")
    assert "check-in: due Sun Dec 13" not in alices.as_text()
    assert "check-in: due Mon Dec 14, 10:00 CET" in alices.as_text()  # day 12 is a Sunday: Monday, her 10:00
    alice_settings = (await ok(service, ALICE, "settings")).as_text()
    assert "Tone: casual" in alice_settings and "Quiet hours: 22:00-07:00" in alice_settings  # the community's
    assert (await rejection_draft(service, ALICE)).startswith("Hi Jane,")

    bobs = await ok(service, BOB, "show #1")
    assert "check-in: due Mon Dec 14, 08:30 CET" in bobs.as_text()  # his own morning hour
    settings = (await ok(service, BOB, "settings")).as_text()
    assert "Tone: formal" in settings and "Quiet hours: 23:00-06:00" in settings  # his own
    assert (await rejection_draft(service, BOB)).startswith("Dear Ms. Richardson,")


@pytest.mark.parametrize(("text", "answer"), [
    ("check-in: 20d", "Check-in 1 after 20 days is out of range: the follow-up rules allow 10 to 14 days."),
    ("check-in: 9", "Check-in 1 after 9 days is out of range"),
    ("check-in-2: 3d", "Check-in 2 after 3 days is out of range: the follow-up rules allow 5 to 10 days."),
    ("stay-in-touch: 10w", "Stay in touch after 10 weeks is out of range: the follow-up rules allow 4 to 8 weeks."),
    ("stay-in-touch: 45d", "Give stay-in-touch in whole weeks"),
    ("retention: 5d", "out of range: the retention settings (or retention: none) allow 30 to 3650 days"),
    ("check-in: soon", '"soon" is not a number of days or weeks'),
    ("tone: rude", "rude"),
    ("morning: 25:00", "is not a time of day"),
    ("check-in: 10d; quiet: all day", "is not a range of hours"),
    ("check-in: 10d; colour: blue", '"colour: blue" is not a default I know'),
])
async def test_out_of_range_or_unreadable_defaults_are_refused_and_nothing_changes(
        service: Service, text: str, answer: str) -> None:
    reply = await refused(service, BOSS, f"admin defaults {text}")
    assert answer in reply.title
    shown = (await ok(service, BOSS, "admin defaults")).as_text()
    assert "Check-in 1: 14 days" in shown and "Tone of drafts: formal" in shown
    assert "no retention period set" in shown


async def test_the_defaults_come_with_a_form_and_the_form_sets_them(service: Service) -> None:
    shown = await ok(service, BOSS, "admin defaults")
    assert shown.form is not None and shown.form.command == "admin defaults"
    answers = "; ".join(f"{f.key}: {f.initial}" for f in shown.form.fields).replace("14d", "11d")
    saved = await ok(service, BOSS, f"{shown.form.command} {answers}")
    assert "Check-in 1: 11 days" in saved.as_text()
    retention = await ok(service, BOSS, "admin defaults retention: 52w")
    assert "deleted 364 days after they leave" in retention.as_text()
    cleared = await ok(service, BOSS, "admin defaults retention: none")
    assert "no retention period set" in cleared.as_text()


# ---- templates --------------------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% import 'os' as os %}",
    "{% from 'os' import system %}",
    "{% include 'thank-you.j2' %}",
    "{{ candidate|attr('__class__') }}",
    "{{ interview['__class__'] }}",
    "{{ interview.company.format_map }}",
    "{{ interview.company.upper() }}",
    "{{ others|map(attribute='__class__')|list }}",
    "{{ lipsum() }}",
    "{{ self.__dict__ }}",
    "{{ interview.salary }}",
    "{{ (interview.topics|first).__class__.__base__.__subclasses__() }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
async def test_templates_reaching_beyond_the_variables_are_refused_and_nothing_is_saved(
        service: Service, escape: str) -> None:
    source = OWN_REJECTION.replace(OWN_CLOSING, OWN_CLOSING + " " + escape)
    reply = await refused(service, BOSS, f"admin template rejection set {source}")
    assert reply.title.startswith("The rejection template was not saved: Line ")
    assert "What to fix" in reply.as_text()
    assert "never been changed" in (await ok(service, BOSS, "admin template rejection history")).title
    await ok(service, ALICE, ADD)
    assert OWN_CLOSING not in await rejection_draft(service, ALICE)


@pytest.mark.parametrize(("source", "reason"), [
    ("Subject: Hi\n\n{{ interviewer.greeting }},\n\n{% if %}", "Line 5"),
    ("Subject: Thanks\n\n{{ interviewer.greeting }},\n\nThanks.\n\nBest,\n", "signature"),
    ("{{ 'x' * 100000 }}", "longer than 20,000 characters"),
    ("Subject: Hi\n\n" + "word " * 8100, "limited to 40,000 characters"),
])
async def test_templates_that_do_not_render_or_fail_the_proofreader_are_refused(
        service: Service, source: str, reason: str) -> None:
    reply = await refused(service, BOSS, f"admin template rejection set {source}")
    assert reason in reply.as_text()
    assert "never been changed" in (await ok(service, BOSS, "admin template rejection history")).title


async def test_set_without_text_offers_a_form_with_the_current_template(service: Service) -> None:
    reply = await ok(service, BOSS, "admin template rejection set")
    assert reply.form is not None and reply.form.command == "admin template rejection set"
    assert reply.form.fields[0].multiline and reply.form.fields[0].initial == builtin_template(DraftKind.REJECTION)
    saved = await ok(service, BOSS, f"{reply.form.command}\n{OWN_REJECTION}")
    assert saved.title.startswith("Saved version 1 of the rejection template")


async def test_every_version_is_kept_with_who_saved_it_and_revert_restores_the_built_in(
        service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, ADD)
    builtin_body = await rejection_draft(service, ALICE)
    assert OWN_CLOSING not in builtin_body

    first = await ok(service, BOSS, f"admin template rejection set {OWN_REJECTION}")
    assert first.title.startswith("Saved version 1 of the rejection template. Members' rejection drafts use it")
    assert OWN_CLOSING in await rejection_draft(service, ALICE)  # a member's drafts use the approved template

    clock.advance(hours=2)
    second_source = OWN_REJECTION.replace("every success in the year ahead", "every success this coming year")
    # the console form: one line, `\n` for new lines
    one_line = second_source.replace("\n", "\\n")
    second = await ok(service, CHIEF, f"admin template rejection set {one_line}")
    assert second.title.startswith("Saved version 2")
    assert "every success this coming year" in await rejection_draft(service, ALICE)

    history = (await ok(service, BOSS, "admin template rejection history")).as_text()
    lines = [line for line in history.splitlines() if line.startswith("v")]
    assert lines[0].startswith("v2:") and "saved by chief on 2026-12-01 16:30 UTC (current)" in lines[0]
    assert lines[1].startswith("v1:") and "saved by boss on 2026-12-01 14:30 UTC" in lines[1]
    assert "(current)" not in lines[1]

    shown = await ok(service, BOSS, "admin template rejection show")
    assert shown.title == "The rejection template (community version 2)"
    assert shown.sections[0].text == "Saved by chief on 2026-12-01 16:30 UTC" and shown.members == ["boss", "chief"]
    assert shown.files[0].content.decode() == second_source

    reverted = await ok(service, BOSS, "admin template rejection revert")
    assert "use the built-in template again" in reverted.title
    assert await rejection_draft(service, ALICE) == builtin_body  # the next drafts use the built-in
    history = (await ok(service, BOSS, "admin template rejection history")).as_text()
    assert "v3: back to the built-in template, saved by boss" in history and "(current)" in history
    assert "nothing changed" in (await ok(service, BOSS, "admin template rejection revert")).title

    restored = await ok(service, CHIEF, "admin template rejection revert v1")
    assert restored.title.startswith("Restored version 1 of the rejection template as version 4")
    assert OWN_CLOSING in await rejection_draft(service, ALICE)
    assert "no version 9" in (await refused(service, CHIEF, "admin template rejection revert v9")).title


async def test_a_communitys_template_stays_in_its_community(service: Service) -> None:
    await ok(service, BOSS, f"admin template rejection set {OWN_REJECTION}")
    await ok(service, ELSEWHERE, ADD)
    assert OWN_CLOSING not in await rejection_draft(service, ELSEWHERE)
    other_admin = Actor("console", "elsewhere", "otherboss", is_admin=True)
    assert "built-in" in (await ok(service, other_admin, "admin template rejection show")).title


async def test_show_preview_and_the_overview(service: Service) -> None:
    shown = await ok(service, BOSS, "admin template thank-you")
    assert shown.title == "The thank-you template (built-in)"
    assert shown.files[0].filename == "thank-you.j2"
    assert shown.files[0].content.decode() == builtin_template(DraftKind.THANK_YOU)
    assert "interviewer (coffee, email, first_name, greeting, honorific, last_name, name," in shown.as_text()
    assert "tone, others, late" in shown.as_text()  # every variable a template sees, as the sandbox offers it

    preview = await ok(service, BOSS, "admin template thank-you preview")
    assert preview.title.startswith("Preview of the thank-you template on a sample interview")
    assert len(preview.drafts) == 3 and all(not d.problems for d in preview.drafts)
    assert "Horizon Marketing" in preview.drafts[0].body

    sneaky = await refused(service, BOSS, "admin template rejection preview {{ ''.__class__.__mro__ }}")
    assert sneaky.title.startswith("The rejection template was not previewed")
    unsaved = await ok(service, BOSS, f"admin template rejection preview {OWN_REJECTION}")
    assert OWN_CLOSING in unsaved.drafts[0].body
    assert "never been changed" in (await ok(service, BOSS, "admin template rejection history")).title

    await ok(service, BOSS, f"admin template rejection set {OWN_REJECTION}")
    overview = (await ok(service, BOSS, "admin template")).as_text()
    assert "rejection: the community's own" in overview and "thank-you: built-in" in overview

    assert 'Did you mean "thank-you"' in (await refused(service, BOSS, "admin template thank-yuo show")).title
    assert 'Did you mean "preview"' in (await refused(service, BOSS, "admin template thank-you previw")).title


@pytest.mark.parametrize("kind", list(DraftKind))
def test_every_built_in_template_fits_the_size_a_community_template_may_have(kind: DraftKind) -> None:
    """Staff start from the built-in text: saving it back unchanged must not be refused for size."""
    from bot.career_center.templates import MAX_TEMPLATE

    assert len(builtin_template(kind)) <= MAX_TEMPLATE
