"""The command grammar: what users type -> the command values, and the answers to bad input."""

from __future__ import annotations

import dataclasses
import enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import grammar
from bot.commands import (
    Add,
    Admin,
    Calendar,
    Command,
    DraftRequest,
    Export,
    Fields,
    Forget,
    GrammarError,
    Heard,
    Help,
    InterviewerSpec,
    ListInterviews,
    MarkSent,
    NewsKind,
    OfferElsewhere,
    Settings,
    Show,
    Snooze,
    Update,
)
from bot.domain import HONORIFICS, MAX_INTERVIEWERS, DraftKind, InterviewKind, StepKind, Tone
from bot.grammar import format_fields, format_interviewer, parse, parse_fields, parse_interviewer

ADD = "add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm"
BASE = Fields(company="Horizon Marketing", role="Marketing Coordinator", when="yesterday 2pm")
JANE = InterviewerSpec(
    name="Jane Richardson",
    honorific="Ms.",
    title="Marketing Director",
    email="jane@horizon.example",
    topic="the brand campaign launch",
)


def with_(*people: InterviewerSpec, **changes: object) -> Add:
    return Add(dataclasses.replace(BASE, with_=people, **changes))  # type: ignore[arg-type]


GOOD: list[tuple[str, Command]] = [
    # add
    ("add", Add(fields=None)),
    ("/interview add", Add(fields=None)),
    ("  ADD   ", Add(fields=None)),
    (ADD, Add(BASE)),
    ("/interview " + ADD, Add(BASE)),
    (
        "add Company : Horizon Marketing;ROLE:Marketing Coordinator ;  When:   yesterday 2pm  ;",
        Add(BASE),
    ),
    (
        ADD + "; length: 45m; topics: social media outreach, the TikTok pilot ,, ; decision: next Friday; "
        "promised: the social media report; point: I led a campaign that raised engagement 30%; "
        "tone: Formal; kind: informational",
        Add(
            dataclasses.replace(
                BASE,
                length="45m",
                topics=("social media outreach", "the TikTok pilot"),
                decision="next Friday",
                promised="the social media report",
                point="I led a campaign that raised engagement 30%",
                tone=Tone.FORMAL,
                kind=InterviewKind.INFORMATIONAL,
            )
        ),
    ),
    (ADD + "; kind: Career Fair", with_(kind=InterviewKind.CAREER_FAIR)),
    (ADD + "; kind: career-fair; tone: casual", with_(kind=InterviewKind.CAREER_FAIR, tone=Tone.CASUAL)),
    (ADD + "; when: ", Add(BASE)),  # an empty value (a blank form field) is "not given"
    (ADD + "; employer: ", Add(BASE)),
    ("add company: Horizon Marketing\nrole: Marketing Coordinator\nwhen: yesterday 2pm", Add(BASE)),
    ("add company: Horizon; role: X; when: 14:00 (CET)", Add(Fields(company="Horizon", role="X", when="14:00 (CET)"))),
    # every form of with:
    (
        ADD + "; with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch",
        with_(JANE),
    ),
    (ADD + "; with: Jane Richardson", with_(InterviewerSpec("Jane Richardson"))),
    (ADD + "; with:   Jane    Richardson  ", with_(InterviewerSpec("Jane Richardson"))),
    (ADD + "; with: Jane", with_(InterviewerSpec("Jane"))),
    (ADD + "; with: ms jane richardson", with_(InterviewerSpec("jane richardson", honorific="Ms."))),
    (ADD + "; with: DR. Sam Lee", with_(InterviewerSpec("Sam Lee", honorific="Dr."))),
    (ADD + "; with: Prof Ada Byron", with_(InterviewerSpec("Ada Byron", honorific="Prof."))),
    (ADD + "; with: Mx. Kim", with_(InterviewerSpec("Kim", honorific="Mx."))),
    (ADD + "; with: Jane (HR Lead)", with_(InterviewerSpec("Jane", title="HR Lead"))),
    (ADD + "; with: Jane (recruiter)", with_(InterviewerSpec("Jane", recruiter=True))),
    (ADD + "; with: Jane (Recruiter)", with_(InterviewerSpec("Jane", recruiter=True))),
    (
        ADD + "; with: Tom Reyes (Talent Partner, recruiter)",
        with_(InterviewerSpec("Tom Reyes", title="Talent Partner", recruiter=True)),
    ),
    (
        ADD + "; with: Tom Reyes (recruiter) (HR Lead)",
        with_(InterviewerSpec("Tom Reyes", title="HR Lead", recruiter=True)),
    ),
    (ADD + "; with: Tom (VP, Marketing)", with_(InterviewerSpec("Tom", title="VP, Marketing"))),
    (ADD + "; with: Tom (VP (Sales))", with_(InterviewerSpec("Tom", title="VP (Sales)"))),
    (ADD + "; with: Jane <jane@horizon.example>", with_(InterviewerSpec("Jane", email="jane@horizon.example"))),
    (
        ADD + "; with: Jane <mailto:jane@horizon.example|jane@horizon.example>",
        with_(InterviewerSpec("Jane", email="jane@horizon.example")),
    ),
    (ADD + "; with: Jane about the launch", with_(InterviewerSpec("Jane", topic="the launch"))),
    (ADD + "; with: Jane ABOUT the launch", with_(InterviewerSpec("Jane", topic="the launch"))),
    (
        ADD + "; with: Jane (Director) about pricing (and the about page)",
        with_(InterviewerSpec("Jane", title="Director", topic="pricing (and the about page)")),
    ),
    (
        ADD + "; with: Jane <jane@horizon.example> (Director)",
        with_(InterviewerSpec("Jane", title="Director", email="jane@horizon.example")),
    ),
    (ADD + "; with: Jane (About.com editor)", with_(InterviewerSpec("Jane", title="About.com editor"))),
    (ADD + "; with: Aboutaleb Smith", with_(InterviewerSpec("Aboutaleb Smith"))),
    (
        ADD + "; with: Jane; with: Dr Sam Lee (recruiter); WITH: Bo",
        with_(InterviewerSpec("Jane"), InterviewerSpec("Sam Lee", "Dr.", recruiter=True), InterviewerSpec("Bo")),
    ),
    (ADD + "; with: Jane; with: ", with_(InterviewerSpec("Jane"))),
    (ADD + "; interviewer: Jane", with_(InterviewerSpec("Jane"))),
    # list, show, update
    ("list", ListInterviews(all=False)),
    ("LIST", ListInterviews(all=False)),
    ("list all", ListInterviews(all=True)),
    ("list  ALL ", ListInterviews(all=True)),
    ("show #3", Show(3)),
    ("show 3", Show(3)),
    ("show # 3", Show(3)),
    ("show #03", Show(3)),
    ("show #3.", Show(3)),
    ("show#3", Show(3)),
    ("draft#3 thanks", DraftRequest(3, DraftKind.THANK_YOU)),
    ("show #999999", Show(999_999)),
    ("/interview   show   #12", Show(12)),
    ("update #3 decision: next Friday", Update(3, Fields(decision="next Friday"))),
    ("update 3 with: Jane (recruiter)", Update(3, Fields(with_=(InterviewerSpec("Jane", recruiter=True),)))),
    ("update #3 tone: casual; topics: pricing", Update(3, Fields(tone=Tone.CASUAL, topics=("pricing",)))),
    # draft and sent
    ("draft #3", DraftRequest(3)),
    ("draft #3 thank-you", DraftRequest(3, DraftKind.THANK_YOU)),
    ("draft #3 thankyou", DraftRequest(3, DraftKind.THANK_YOU)),
    ("draft #3 Thank You", DraftRequest(3, DraftKind.THANK_YOU)),
    ("draft #3 thanks", DraftRequest(3, DraftKind.THANK_YOU)),
    ("draft #3 check-in", DraftRequest(3, DraftKind.CHECK_IN)),
    ("draft #3 checkin", DraftRequest(3, DraftKind.CHECK_IN)),
    ("draft #3 check-in-1", DraftRequest(3, DraftKind.CHECK_IN)),
    ("draft #3 check-in-2", DraftRequest(3, DraftKind.CHECK_IN_2)),
    ("draft #3 check in 2", DraftRequest(3, DraftKind.CHECK_IN_2)),
    ("draft #3 timeline", DraftRequest(3, DraftKind.TIMELINE)),
    ("draft #3 rejection", DraftRequest(3, DraftKind.REJECTION)),
    ("draft #3 linkedin", DraftRequest(3, DraftKind.LINKEDIN)),
    ("draft #3 LinkedIn", DraftRequest(3, DraftKind.LINKEDIN)),
    ("draft #3 no-reply", DraftRequest(3, DraftKind.LINKEDIN)),
    ("draft #3 stay-in-touch", DraftRequest(3, DraftKind.STAY_IN_TOUCH)),
    ("draft #3 stay in touch", DraftRequest(3, DraftKind.STAY_IN_TOUCH)),
    ("draft #3 thank-you to: Jane", DraftRequest(3, DraftKind.THANK_YOU, "Jane")),
    ("draft #3 thank-you TO:Jane Richardson", DraftRequest(3, DraftKind.THANK_YOU, "Jane Richardson")),
    ("draft #3 thank-you to Jane", DraftRequest(3, DraftKind.THANK_YOU, "Jane")),
    ("draft #3 to: Jane", DraftRequest(3, None, "Jane")),
    ("sent #3", MarkSent(3)),
    ("sent #3 thank-you", MarkSent(3, StepKind.THANK_YOU)),
    ("sent #3 thank you to: Jane", MarkSent(3, StepKind.THANK_YOU, "Jane")),
    ("sent #3 check-in", MarkSent(3, StepKind.CHECK_IN)),
    ("sent #3 check-in-2", MarkSent(3, StepKind.CHECK_IN_2)),
    ("sent #3 timeline", MarkSent(3, StepKind.TIMELINE)),
    ("sent #3 rejection", MarkSent(3, StepKind.REJECTION)),
    ("sent #3 stay-in-touch", MarkSent(3, StepKind.STAY_IN_TOUCH)),
    ("sent #3 no-reply", MarkSent(3, StepKind.NO_REPLY)),
    # snooze, heard, offer-elsewhere
    ("snooze #3", Snooze(3)),
    ("snooze #3 2h", Snooze(3, "2h")),
    ("snooze #3 tomorrow 9am", Snooze(3, "tomorrow 9am")),
    ("snooze #3 for 3 days", Snooze(3, "3 days")),
    ("snooze #3 until Monday", Snooze(3, "Monday")),
    ("heard #3 offer", Heard(3, NewsKind.OFFER)),
    ("heard #3 Offer", Heard(3, NewsKind.OFFER)),
    ("heard #3 rejected", Heard(3, NewsKind.REJECTED)),
    ("heard #3 rejection", Heard(3, NewsKind.REJECTED)),
    ("heard #3 withdrawn", Heard(3, NewsKind.WITHDRAWN)),
    ("heard #3 withdrew", Heard(3, NewsKind.WITHDRAWN)),
    ("heard #3 next round Tuesday 10am", Heard(3, NewsKind.NEXT_ROUND, "Tuesday 10am")),
    ("heard #3 next-round: Tuesday 10am", Heard(3, NewsKind.NEXT_ROUND, "Tuesday 10am")),
    ("heard #3 Next  Round 2026-12-03 14:00", Heard(3, NewsKind.NEXT_ROUND, "2026-12-03 14:00")),
    ("heard #3 decision next Friday", Heard(3, NewsKind.DECISION, "next Friday")),
    ("heard #3 decision: 2026-12-11", Heard(3, NewsKind.DECISION, "2026-12-11")),
    ("heard #3 decision date Dec 11", Heard(3, NewsKind.DECISION, "Dec 11")),
    ("offer-elsewhere #3 deadline: next Friday", OfferElsewhere(3, "next Friday")),
    ("offer-elsewhere #3 Deadline : Dec 11", OfferElsewhere(3, "Dec 11")),
    ("offer-elsewhere #3 next Friday", OfferElsewhere(3, "next Friday")),
    ("offer elsewhere #3 deadline: Friday", OfferElsewhere(3, "Friday")),
    # settings
    ("settings", Settings({})),
    ("settings tz:", Settings({})),
    (
        "settings name: Alex  Morgan; email: alex@example.com; phone: +1 (555) 010-0199; tz: europe/berlin; "
        "quiet: 21:00-08:00; morning: 09:00; tone: Casual",
        Settings(
            {
                "name": "Alex Morgan",
                "email": "alex@example.com",
                "phone": "+1 (555) 010-0199",
                "tz": "Europe/Berlin",
                "quiet": "21:00-08:00",
                "morning": "09:00",
                "tone": "casual",
            }
        ),
    ),
    ("settings tz: America/New York", Settings({"tz": "America/New_York"})),
    ("settings TZ: utc", Settings({"tz": "UTC"})),
    ("settings email: <alex@example.com>", Settings({"email": "alex@example.com"})),
    ("settings timezone: Asia/Kolkata", Settings({"tz": "Asia/Kolkata"})),
    ("settings quiet: 9pm-8am", Settings({"quiet": "21:00-08:00"})),
    ("settings quiet: 22:30 – 7:15", Settings({"quiet": "22:30-07:15"})),
    ("settings quiet: 10pm to 6am", Settings({"quiet": "22:00-06:00"})),
    ("settings morning: 9am", Settings({"morning": "09:00"})),
    ("settings morning: 9:30 am", Settings({"morning": "09:30"})),
    ("settings morning: 12pm", Settings({"morning": "12:00"})),
    ("settings morning: 7", Settings({"morning": "07:00"})),
    ("settings phone: 555-0100 ext. 12", Settings({"phone": "555-0100 ext. 12"})),
    ("settings phone: none; email: -; name: clear", Settings({"phone": "", "email": "", "name": ""})),
    # the rest
    ("calendar", Calendar()),
    ("export", Export()),
    ("forget", Forget(confirm=False)),
    ("forget confirm", Forget(confirm=True)),
    ("help", Help()),
    ("", Help()),
    ("   ", Help()),
    ("/interview", Help()),
    ("help add", Help("add")),
    ("help Admin Template", Help("admin template")),
    ("?", Help()),
    ("admin stats", Admin("stats")),
    ("admin defaults", Admin("defaults")),
    ("admin defaults check-in: 10d; tone: formal", Admin("defaults", "check-in: 10d; tone: formal")),
    ("admin template thank-you preview", Admin("template", "thank-you preview")),
    (
        "admin TEMPLATE thank-you set Dear {{ name }},\nThank you.",
        Admin("template", "thank-you set Dear {{ name }},\nThank you."),
    ),
]


@pytest.mark.parametrize(("text", "expected"), GOOD, ids=[t[:60] for t, _ in GOOD])
def test_good_input_gives_the_command(text: str, expected: Command) -> None:
    assert parse(text) == expected


EXAMPLE = "Example: /interview add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm"
WITH_EXAMPLE = "Example: with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the launch"

BAD: list[tuple[str, str]] = [
    # unknown commands
    ("shwo #3", 'Unknown command "shwo". Did you mean "show"? Try /interview help.'),
    ("lst", 'Unknown command "lst". Did you mean "list"? Try /interview help.'),
    ("setting tz: UTC", 'Unknown command "setting". Did you mean "settings"? Try /interview help.'),
    ("frobnicate", 'Unknown command "frobnicate". Try /interview help.'),
    (";;;", 'Unknown command ";;;". Try /interview help.'),
    ("x" * 5000, 'Unknown command "' + "x" * 39 + '…". Try /interview help.'),
    # interview numbers
    ("show", "Which interview? Example: /interview show #3"),
    ("draft", "Which interview? Example: /interview draft #3 thank-you"),
    ("heard offer", "Which interview? Example: /interview heard #3 offer"),
    ("show #0", "Interview numbers start at 1, so #0 is not one. Example: /interview show #3"),
    ("show #000", "Interview numbers start at 1, so #0 is not one. Example: /interview show #3"),
    ("show #abc", '"#abc" is not an interview number. Example: /interview show #3'),
    ("show #-2", '"#-2" is not an interview number. Example: /interview show #3'),
    ("show -2", '"-2" is not an interview number. Example: /interview show #3'),
    ("show #3a", '"#3a" is not an interview number. Example: /interview show #3'),
    ("show #٣", '"#٣" is not an interview number. Example: /interview show #3'),
    ("show #1000000", '"#1000000" is not an interview number: they go up to #999999.'),
    ("show #" + "9" * 5000, '"#' + "9" * 38 + '…" is not an interview number: they go up to #999999.'),
    ("show #3 #4", 'Nothing goes after show #3, but there is "#4". Example: /interview show #3'),
    # fields
    ("add company: Horizon", f"Missing role and when. {EXAMPLE}"),
    ("add company: Horizon; when: today", f"Missing role. {EXAMPLE}"),
    ("add with: Jane", f"Missing company, role and when. {EXAMPLE}"),
    ("add ;", f"Missing company, role and when. {EXAMPLE}"),
    ("add Horizon Marketing tomorrow", f'"Horizon Marketing tomorrow" is not a field: write key: value. {EXAMPLE}'),
    (ADD + "; compnay: X", 'Unknown field "compnay". Did you mean "company"?'),
    (ADD + "; Topcis: pricing", 'Unknown field "topcis". Did you mean "topics"?'),
    (
        ADD + "; zzz: 1",
        'Unknown field "zzz". Known: company, role, when, length, with, topics, decision, promised, point, tone, '
        "kind, they-promised, remove, news.",
    ),
    (ADD + "; : value", f"A field name is missing before the ':' in \": value\". {EXAMPLE}"),
    (ADD + "; company: Other", '"company" is given twice; give it once.'),
    (ADD + "; tone: formal; tone: casual", '"tone" is given twice; give it once.'),
    (ADD + "; tone: loud", 'Tone is "formal" or "casual", not "loud".'),
    (
        ADD + "; kind: infomational",
        'Unknown kind "infomational". Did you mean "informational"? '
        "Kinds: interview, phone-screen, informational, networking, career-fair.",
    ),
    ("add company: " + "x" * 121 + "; role: r; when: w", "Company is limited to 120 characters."),
    ("add company: c; role: " + "x" * 121 + "; when: w", "Role is limited to 120 characters."),
    ("add company: c; role: r; when: " + "x" * 101, "When is limited to 100 characters."),
    (ADD + "; point: " + "x" * 601, "Point is limited to 600 characters."),
    (ADD + "; topics: " + "x, " * 201, "Topics is limited to 600 characters."),
    (ADD + "; with: Jane" * (MAX_INTERVIEWERS + 1), f"At most {MAX_INTERVIEWERS} interviewers (with:) per interview."),
    (
        ADD + "; point: I led it; it worked",
        f"\"it worked\" is not a field: write key: value (a ';' starts a new field; use ',' inside a value). {EXAMPLE}",
    ),
    ("update #3", "What should change? Example: /interview update #3 decision: next Friday"),
    ("update #3 decision:", "What should change? Example: /interview update #3 decision: next Friday"),
    (
        "update #3 next Friday",
        '"next Friday" is not a field: write key: value. Example: /interview update #3 decision: next Friday',
    ),
    # with:
    (ADD + "; with: <jane@horizon.example>", f"Each with: needs the person's name. {WITH_EXAMPLE}"),
    (ADD + "; with: Dr.", f"Each with: needs the person's name. {WITH_EXAMPLE}"),
    (ADD + "; with: (recruiter)", f"Each with: needs the person's name. {WITH_EXAMPLE}"),
    (ADD + "; with: @here", f'"@here" is not a name: a name has no <, > or @. {WITH_EXAMPLE}'),
    (
        ADD + "; with: jane@horizon.example",
        f'"jane@horizon.example" is not a name: a name has no <, > or @. {WITH_EXAMPLE}',
    ),
    (ADD + "; with: Jane > Bob", f'"Jane > Bob" is not a name: a name has no <, > or @. {WITH_EXAMPLE}'),
    (ADD + "; with: <!channel>", f"Each with: needs the person's name. {WITH_EXAMPLE}"),
    (ADD + "; with: Jane <!channel>", '"!channel" is not an e-mail address. Example: <jane@horizon.example>'),
    (ADD + "; with: Jane <@U123|jane>", '"@U123|jane" is not an e-mail address. Example: <jane@horizon.example>'),
    (ADD + "; with: Jane <jane@horizon>", '"jane@horizon" is not an e-mail address. Example: <jane@horizon.example>'),
    (
        ADD + "; with: Jane <jane at horizon.example>",
        '"jane at horizon.example" is not an e-mail address. Example: <jane@horizon.example>',
    ),
    (
        ADD + "; with: Jane <a..b@horizon.example>",
        '"a..b@horizon.example" is not an e-mail address. Example: <jane@horizon.example>',
    ),
    (
        ADD + "; with: Jane <jane@horizon.example> <j@x.example>",
        'One e-mail address per interviewer, please (for "Jane").',
    ),
    (ADD + "; with: Jane (Director", f'A ( is not closed in "Jane (Director". {WITH_EXAMPLE}'),
    (ADD + "; with: Jane <jane@horizon.example", f'A < is not closed in "Jane <jane@horizon.example". {WITH_EXAMPLE}'),
    (ADD + "; with: Jane Director)", f'A ) has no ( in "Jane Director)". {WITH_EXAMPLE}'),
    (ADD + "; with: Jane about", f"About what? {WITH_EXAMPLE}"),
    (ADD + "; with: " + "J" * 101, "Name is limited to 100 characters."),
    (ADD + "; with: Jane (" + "t" * 101 + ")", "An interviewer's title is limited to 100 characters."),
    (ADD + "; with: Jane about " + "t" * 301, "An interviewer's topic is limited to 300 characters."),
    # draft and sent
    (
        "draft #3 thnk-you",
        'Unknown kind "thnk-you". Did you mean "thank-you"? '
        "Kinds: thank-you, check-in, check-in-2, timeline, rejection, linkedin, stay-in-touch.",
    ),
    (
        "sent #3 bananas",
        'Unknown kind "bananas". Kinds: thank-you, check-in, check-in-2, timeline, rejection, stay-in-touch.',
    ),
    (
        "sent #3 linkedin",
        "A LinkedIn note is a draft, not a step to mark sent. Kinds: thank-you, check-in, check-in-2, "
        "timeline, rejection, stay-in-touch. Example: /interview sent #3 check-in-2",
    ),
    ("draft #3 thank-you to:", "To whom? Example: /interview draft #3 thank-you to: Jane"),
    ("sent #3 to: " + "x" * 101, "Name is limited to 100 characters."),
    # snooze, heard, offer-elsewhere
    ("snooze #3 " + "x" * 101, "A snooze is limited to 100 characters."),
    (
        "heard #3",
        "Heard what? Say offer, rejected, next round <when>, decision <date> or withdrawn. "
        "Example: /interview heard #3 offer",
    ),
    (
        "heard #3 ofer",
        'Heard "ofer"? Did you mean "offer"? Say offer, rejected, next round <when>, decision <date> or '
        "withdrawn. Example: /interview heard #3 offer",
    ),
    ("heard #3 offer yes", 'Nothing goes after "offer", but there is "yes". Example: /interview heard #3 offer'),
    ("heard #3 next round", "When is the next round? Example: /interview heard #3 next round Tuesday 10am"),
    ("heard #3 decision", "When will they decide? Example: /interview heard #3 decision next Friday"),
    ("heard #3 decision:", "When will they decide? Example: /interview heard #3 decision next Friday"),
    (
        "heard #3 offers",
        'Heard "offers"? Did you mean "offer"? Say offer, rejected, next round <when>, decision <date> or '
        "withdrawn. Example: /interview heard #3 offer",
    ),
    ("offer-elsewhere #3", "When is their deadline? Example: /interview offer-elsewhere #3 deadline: next Friday"),
    (
        "offer-elsewhere #3 deadline:",
        "When is their deadline? Example: /interview offer-elsewhere #3 deadline: next Friday",
    ),
    # settings
    ("settings tmz: UTC", 'Unknown setting "tmz". Did you mean "tz"?'),
    ("settings quiet hours: 21-8", 'Unknown setting "quiet hours". Did you mean "quiet"?'),
    (
        "settings Europe/Berlin",
        '"Europe/Berlin" is not a setting: write key: value. '
        "Example: /interview settings tz: Europe/Berlin; quiet: 21:00-08:00; morning: 09:00",
    ),
    ("settings tz: UTC; tz: Europe/Berlin", '"tz" is given twice; give it once.'),
    (
        "settings tz: Europe/Berln",
        'Unknown time zone "Europe/Berln". Did you mean "Europe/Berlin"? '
        "Use a name like Europe/Berlin or America/New_York.",
    ),
    (
        "settings tz: Mars/Olympus",
        'Unknown time zone "Mars/Olympus". Use a name like Europe/Berlin or America/New_York.',
    ),
    (
        "settings tz: ../../etc/passwd",
        'Unknown time zone "../../etc/passwd". Use a name like Europe/Berlin or America/New_York.',
    ),
    (
        "settings tz: UTC+2",
        'Use a time zone name, not an offset like "UTC+2": e.g. Europe/Berlin or America/New_York '
        "(they follow summer time).",
    ),
    (
        "settings tz: -05:00",
        'Use a time zone name, not an offset like "-05:00": e.g. Europe/Berlin or America/New_York '
        "(they follow summer time).",
    ),
    ("settings quiet: 21:00", '"21:00" is not a range of hours. Example: quiet: 21:00-08:00 (or 9pm-8am)'),
    ("settings quiet: 25:00-08:00", '"25:00-08:00" is not a range of hours. Example: quiet: 21:00-08:00 (or 9pm-8am)'),
    (
        "settings quiet: 8am-8am",
        "Quiet hours need a start and an end that differ. Example: quiet: 21:00-08:00 (or 9pm-8am)",
    ),
    ("settings morning: 13pm", '"13pm" is not a time of day. Example: morning: 09:00 (or 9am)'),
    ("settings morning: 9:75", '"9:75" is not a time of day. Example: morning: 09:00 (or 9am)'),
    ("settings morning: soon", '"soon" is not a time of day. Example: morning: 09:00 (or 9am)'),
    ("settings tone: friendly", 'Tone is "formal" or "casual", not "friendly".'),
    ("settings email: alex@", '"alex@" is not an e-mail address. Example: email: alex@example.com'),
    ("settings phone: call me", '"call me" is not a phone number. Example: phone: +1 555 010 0199'),
    ("settings phone: 12", '"12" is not a phone number. Example: phone: +1 555 010 0199'),
    ("settings phone: " + "1" * 41, "Phone is limited to 40 characters."),
    ("settings name: " + "n" * 101, "Name is limited to 100 characters."),
    # the rest
    ("list everything", 'List takes nothing or "all", not "everything". Example: /interview list all'),
    ("calendar now", 'Nothing goes after calendar, but there is "now". Example: /interview calendar'),
    ("export csv please", 'Nothing goes after export, but there is "csv please". Example: /interview export'),
    ("forget it", 'Forget takes nothing or "confirm", not "it". Example: /interview forget'),
    ("admin", "Which admin command: defaults, template, words or stats? Example: /interview admin stats"),
    ("admin stat", 'Unknown admin command "stat". Did you mean "stats"? Try /interview help admin.'),
    ("admin nuke", 'Unknown admin command "nuke". Try /interview help admin.'),
    ("x" * (grammar.MAX_INPUT + 1), "That is too long: a command is limited to 45,000 characters."),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[t[:60] for t, _ in BAD])
def test_bad_input_gets_a_specific_answer(text: str, message: str) -> None:
    assert parse(text) == GrammarError(message)


def test_a_hundred_kilobytes_is_answered_not_raised() -> None:
    for text in ("add company: " + "x" * 100_000, "x" * 100_000, ";" * 100_000, "\n" * 100_000):
        result = parse(text)
        assert isinstance(result, GrammarError)


def test_control_characters_never_reach_a_value() -> None:
    text = "add company: Hori\x00zon\u202e; role: Co\x07ordinator\tLead; when: to\x1bday"
    assert parse(text) == Add(Fields(company="Horizon", role="Coordinator Lead", when="today"))


def test_every_step_and_draft_kind_value_reads_back() -> None:
    """Buttons carry `sent #3 <kind value>` and `draft #3 <kind value>`."""
    for step in StepKind:
        assert parse(f"sent #3 {step.value}") == MarkSent(3, step)
    for draft in DraftKind:
        assert parse(f"draft #3 {draft.value}") == DraftRequest(3, draft)
    for news in NewsKind:
        text = f"heard #3 {news.value}" + (" Friday" if news in (NewsKind.NEXT_ROUND, NewsKind.DECISION) else "")
        assert isinstance(parse(text), Heard)


def test_every_honorific_is_split_off() -> None:
    for honorific in HONORIFICS:
        for written in (honorific, honorific.rstrip("."), honorific.upper(), honorific.lower()):
            assert parse_interviewer(f"{written} Jane Richardson") == InterviewerSpec(
                "Jane Richardson", honorific=honorific
            )


# ---------------------------------------------------------------------------------------------
# Properties

FRAGMENTS = st.sampled_from(
    [
        "add", "update", "show", "draft", "sent", "heard", "snooze", "settings", "admin", "help",
        "list", "forget", "offer-elsewhere", "/interview", "#", "#3", "3", "0", "-1", ";", ":", ",",
        "with", "with:", "about", "(", ")", "(recruiter)", "<", ">", "@here", "@everyone", "<!channel>",
        "<@U123>", "company", "role", "when", "tz", "quiet", "morning", "to:", "to", "Ms.", "Dr",
        "jane@horizon.example", "<mailto:a@b.example|a@b.example>", "next round", "decision",
        "thank you", "check-in-2", "linkedin", " ", "\n", "\t", "\x00", "\u202e", "\ud800", "٣",
        "9" * 30, "21:00-08:00", "9am", "Europe/Berlin", "`", "*", "_", "~", "```",
    ]
)  # fmt: skip

TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=25).map(" ".join),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=25).map("".join),
)


def _strings(value: object) -> list[str]:
    """Every string inside a command value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, enum.Enum):
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for kv in value.items() for s in _strings(kv)]
    return []


COMMAND_TYPES = (
    Add, ListInterviews, Show, Update, DraftRequest, MarkSent, Snooze, Heard, OfferElsewhere, Settings,
    Calendar, Export, Forget, Help, Admin,
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_any_text_gives_a_command_or_an_answer(text: str) -> None:
    for candidate in (text, "add " + text, "add company: a; role: b; when: c; with: " + text):
        result = parse(candidate)
        assert isinstance(result, (*COMMAND_TYPES, GrammarError))
        if isinstance(result, GrammarError):
            assert result.message and result.message != grammar._INTERNAL
            assert len(result.message) < 400
        else:
            for s in _strings(result):
                assert "\x00" not in s
                assert not any("\ud800" <= ch <= "\udfff" for ch in s)
                s.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["show", "draft", "sent", "snooze", "heard", "update", "offer-elsewhere"]), TEXTS)
def test_any_number_text_gives_a_command_or_an_answer(command: str, text: str) -> None:
    result = parse(f"{command} {text}")
    assert isinstance(result, (*COMMAND_TYPES, GrammarError))
    number = getattr(result, "number", None)
    if getattr(result, "company", None) is not None:  # `show Acme`: a company name instead of #N
        assert number == 0 and any(ch.isalnum() for ch in result.company)
    elif number is not None:
        assert 1 <= number <= grammar.MAX_NUMBER


def _word(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=1, max_size=8)


LETTERS = st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="İ")
NAME_WORD = _word(st.one_of(LETTERS, st.sampled_from("'-."))).filter(
    lambda w: (
        w.lower().rstrip(".") not in {h.lower().rstrip(".") for h in HONORIFICS}
        and w.lower() != "about"
        and any(c.isalpha() for c in w)
    )
)
TITLE_WORD = _word(st.one_of(LETTERS, st.sampled_from("0123456789&/.'-"))).filter(lambda w: w.lower() != "recruiter")
VALUE = (
    st.text(
        alphabet=st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"), exclude_characters=";"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
TOPIC = VALUE.map(lambda v: v.replace(",", " ").strip()).filter(bool)
EMAIL = st.from_regex(r"[a-z0-9_+]{1,10}(\.[a-z0-9]{1,5})?@[a-z0-9]{1,10}(-[a-z0-9]{1,4})?\.[a-z]{2,6}", fullmatch=True)

PEOPLE = st.builds(
    InterviewerSpec,
    name=st.lists(NAME_WORD, min_size=1, max_size=3).map(" ".join),
    honorific=st.none() | st.sampled_from(HONORIFICS),
    title=st.none() | st.lists(TITLE_WORD, min_size=1, max_size=3).map(" ".join),
    email=st.none() | EMAIL,
    topic=st.none() | VALUE,
    recruiter=st.booleans(),
)
FIELDS = st.builds(
    Fields,
    company=st.none() | VALUE,
    role=st.none() | VALUE,
    when=st.none() | VALUE,
    length=st.none() | VALUE,
    with_=st.lists(PEOPLE, max_size=3).map(tuple),
    topics=st.none() | st.lists(TOPIC, min_size=1, max_size=4).map(tuple),
    decision=st.none() | VALUE,
    promised=st.none() | VALUE,
    point=st.none() | VALUE,
    tone=st.none() | st.sampled_from(Tone),
    kind=st.none() | st.sampled_from(InterviewKind),
)


@settings(max_examples=300, deadline=None)
@given(FIELDS)
def test_fields_read_back_from_their_text(fields: Fields) -> None:
    text = format_fields(fields)
    assert parse_fields(text) == fields
    if not fields.is_empty():
        assert parse(f"update #7 {text}") == Update(7, fields)
    if fields.company and fields.role and fields.when:
        assert parse(f"add {text}") == Add(fields)


@settings(max_examples=200, deadline=None)
@given(PEOPLE)
def test_an_interviewer_reads_back_from_their_text(person: InterviewerSpec) -> None:
    assert parse_interviewer(format_interviewer(person)) == person


def test_a_form_value_with_a_semicolon_stays_one_field() -> None:
    fields = Fields(company="Smith; Jones & Co", role="Analyst\nSenior", when="tomorrow 2pm")
    assert parse("add " + format_fields(fields)) == Add(
        Fields(company="Smith, Jones & Co", role="Analyst Senior", when="tomorrow 2pm")
    )
