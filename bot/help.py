"""`/interview help [command]`: usage with examples, as plain text (no markup of any platform).

`COMMAND_SUMMARY` is the one-line list for menus (Slack App Home, Discord choices): each name and
summary fits Discord's 100-character limit for a choice.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.commands import COMMAND_NAMES


@dataclass(frozen=True)
class CommandHelp:
    name: str
    usage: str
    summary: str
    details: tuple[str, ...]
    examples: tuple[str, ...]


_FIELDS = (
    "Fields are key: value pairs separated by ';' (not ','). Keys: company, role, when (required on add), "
    "length, with, topics, decision, promised, they-promised, point, tone, kind, news.",
    "Every time and date you give is said back with its weekday and date. An interview's when: is "
    "within a year of today; a date without a year is the nearest one for an interview and the next "
    "one ahead for a decision date. 03/04 follows your dates: setting; a zone such as EST or CET after "
    "a time is read in that zone.",
    "promised, point and news can belong to one person: promised: Jane: my portfolio.",
    "news: something new about them or the company (launched the app, her promotion to VP), for the "
    "stay-in-touch note.",
)

HELP: dict[str, CommandHelp] = {
    h.name: h
    for h in (
        CommandHelp(
            "add",
            "/interview add <fields>",
            "Log an interview and schedule its thank-you and check-ins",
            (
                "Logs an interview and answers with its number and the schedule of follow-ups.",
                "With no fields you get a form (or questions one by one in the console).",
                *_FIELDS,
                "with: one interviewer, Name (title) <email> about topic; every part but the name "
                "is optional; repeat with: for more people; (recruiter) marks the main contact.",
                "topics: what you discussed, separated by commas.",
            ),
            (
                "/interview add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm",
                "/interview add company: Horizon Marketing; role: Marketing Coordinator; "
                "when: 2026-12-03 14:00; length: 45m; "
                "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand "
                "campaign launch; with: Tom Reyes (Talent Partner, recruiter); "
                "topics: social media outreach, the TikTok pilot; decision: next Friday",
                "/interview add",
            ),
        ),
        CommandHelp(
            "list",
            "/interview list [all]",
            "Your active interviews and each one's next step, soonest first",
            ("Shows each active interview with its next step and when it is due.", "all adds closed ones."),
            ("/interview list", "/interview list all"),
        ),
        CommandHelp(
            "show",
            "/interview show #N",
            "Everything about one interview: people, topics, steps done and to come",
            ("#N is the interview's number from list (3 works as well as #3); the company's name works "
             "too when you have one interview with it.",),
            ("/interview show #3", "/interview show Horizon Marketing"),
        ),
        CommandHelp(
            "update",
            "/interview update #N <fields>",
            "Change an interview's fields; the schedule follows",
            (*_FIELDS, "A with: adds an interviewer (one added after the thank-yous gets a thank-you of "
             "their own if the interview was in the last 5 days); remove: takes one off; decision: none "
             "forgets a decision date.",
             "they-promised: what the employer said they would do (the check-in draft refers to it).",
             "The answer lists what changed."),
            (
                "/interview update #3 decision: next Friday",
                "/interview update #3 they-promised: the schedule by Friday",
                "/interview update #3 remove: Tom Lee",
                "/interview update #3 with: Dr. Sam Lee (VP Marketing) <sam@horizon.example>",
                "/interview update #3 tone: casual; promised: the social media report",
                "/interview update #3 news: Jane: her promotion to VP",
            ),
        ),
        CommandHelp(
            "draft",
            "/interview draft #N [kind] [to: name]",
            "Ready-to-send drafts for the next step, or for the kind you name",
            (
                "Kinds: thank-you, check-in, check-in-2, timeline, rejection, linkedin, stay-in-touch.",
                "A thank-you comes as one draft per interviewer; to: picks one person.",
            ),
            ("/interview draft #3", "/interview draft #3 thank-you to: Jane", "/interview draft #3 linkedin"),
        ),
        CommandHelp(
            "sent",
            "/interview sent #N [kind] [to: name]",
            "Mark a follow-up sent; the next step is scheduled from now",
            (
                "Without a kind: the step due now; when nothing is due, the answer says what comes next and "
                "nothing is marked. Kinds: thank-you, check-in, check-in-2, timeline, rejection, stay-in-touch.",
                "Naming a step that is not due yet records it (you did send it) and the schedule counts from now.",
                "to: marks one person's thank-you sent. A company name works in place of #N.",
            ),
            ("/interview sent #3", "/interview sent #3 thank-you to: Jane", "/interview sent #3 check-in"),
        ),
        CommandHelp(
            "snooze",
            "/interview snooze #N [duration or time]",
            "Move the pending reminder (default: one day)",
            (
                "Any duration or time: 2h, 3d, tomorrow 9am.",
                "A reminder never lands in your quiet hours (it moves to your morning hour), nor a check-in "
                "on a weekend (it moves to Monday); the answer says so.",
                "A thank-you is never moved past its deadline without saying so.",
            ),
            ("/interview snooze #3", "/interview snooze #3 2h", "/interview snooze #3 tomorrow 9am"),
        ),
        CommandHelp(
            "heard",
            "/interview heard #N offer | rejected | next round <when> | decision <date> | withdrawn",
            "Record news from the employer; the follow-ups change to match",
            (
                "offer, rejected and withdrawn close the interview's pending reminders; rejected "
                "returns a reply draft and schedules a stay-in-touch note.",
                "next round starts a new cycle; decision moves the first check-in after that date (a date "
                "already past makes the check-in due now; decision none forgets it).",
                "Recorded by mistake? /interview reopen #N undoes an offer, rejection or withdrawal.",
            ),
            (
                "/interview heard #3 offer",
                "/interview heard #3 rejected",
                "/interview heard #3 next round Tuesday 10am",
                "/interview heard #3 decision next Friday",
            ),
        ),
        CommandHelp(
            "reopen",
            "/interview reopen #N",
            "Undo an offer, rejection, withdrawal or ghosting recorded by mistake",
            ("The interview is active again and the follow-ups the news cancelled come back.",),
            ("/interview reopen #3",),
        ),
        CommandHelp(
            "offer-elsewhere",
            "/interview offer-elsewhere #N deadline: <date>",
            "Record a competing offer and get the timeline-update draft",
            ("The only follow-up allowed before the employer's decision date. A deadline already past is "
             "refused.",),
            ("/interview offer-elsewhere #3 deadline: next Friday",),
        ),
        CommandHelp(
            "settings",
            "/interview settings [name: ...; email: ...; phone: ...; tz: ...; quiet: ...; morning: ...; tone: ...; "
            "dates: ...]",
            "Show or change your name, signature, time zone, quiet hours and tone",
            (
                "With nothing after it: shows your settings.",
                "tz: a time zone name such as Europe/Berlin; quiet: no reminders between these hours; "
                "morning: when check-in reminders arrive; tone: formal or casual.",
                "Your name, phone and e-mail sign your drafts; phone: none clears one.",
                "dates: day-first (03/04 is 3 April) or month-first (03/04 is March 4); it starts from your "
                "language setting, and with none known a date like 03/04 is asked about.",
            ),
            (
                "/interview settings",
                "/interview settings tz: Europe/Berlin; quiet: 21:00-08:00; morning: 09:00; tone: casual",
                "/interview settings name: Alex Morgan; email: alex@example.com; phone: +1 555 010 0199",
                "/interview settings dates: day-first",
            ),
        ),
        CommandHelp(
            "calendar",
            "/interview calendar",
            "A calendar file (.ics) with every upcoming follow-up",
            ("Import it into Google Calendar, Outlook or Apple Calendar.",),
            ("/interview calendar",),
        ),
        CommandHelp(
            "export",
            "/interview export",
            "All of your data as a JSON file",
            ("Everything the bot keeps about you: interviews, people, steps and settings.",),
            ("/interview export",),
        ),
        CommandHelp(
            "forget",
            "/interview forget [confirm]",
            "Delete all of your data, after a confirmation",
            ("forget asks first; forget confirm deletes everything at once and cannot be undone.",),
            ("/interview forget", "/interview forget confirm"),
        ),
        CommandHelp(
            "help",
            "/interview help [command]",
            "Usage with examples",
            ("help alone lists every command; help with a command shows its usage.",),
            ("/interview help", "/interview help add"),
        ),
        CommandHelp(
            "admin",
            "/interview admin defaults | template <kind> | words | stats",
            "Admins only: community defaults, draft templates and aggregate figures",
            (
                "admin defaults [check-in: 10d; check-in-2: 7d; stay-in-touch: 6w; quiet: 21:00-08:00; "
                "morning: 09:00; tone: formal]: shows or sets the community's defaults (a member's own "
                "setting wins).",
                "admin template <kind> [show | set <text> | preview | revert | history]: the community's "
                "approved template for a draft kind; in the console \\n stands for a new line.",
                "admin words [list | add <word> ... | remove <word> ...]: the community's own words for "
                "the spelling check (its school, programs, local employers).",
                "admin stats: aggregate figures, never a name or a company.",
            ),
            (
                "/interview admin defaults check-in: 10d; tone: formal",
                "/interview admin template thank-you preview",
                "/interview admin stats",
            ),
        ),
    )
}

_TOPIC_ALIASES = {
    "fields": "add",
    "with": "add",
    "interviewer": "add",
    "kinds": "draft",
    "offer": "offer-elsewhere",
    "offer elsewhere": "offer-elsewhere",
    "timezone": "settings",
    "tz": "settings",
    "quiet": "settings",
    "delete": "forget",
    "undo": "reopen",
    "dates": "settings",
}

COMMAND_SUMMARY: list[tuple[str, str]] = [(name, HELP[name].summary) for name in COMMAND_NAMES]
"""(command, one-line summary) for menus, in docs/commands.md's order."""


def _overview() -> str:
    lines = ["Followthrough reminds you to send interview thank-yous and check-ins. Commands:"]
    for name in COMMAND_NAMES:
        entry = HELP[name]
        lines.append(f"{entry.usage}\n    {entry.summary}.")
    lines.append("")
    lines.append("Start with: " + HELP["add"].examples[0])
    lines.append("More about one command: /interview help <command>, e.g. /interview help add")
    return "\n".join(lines)


def _command_text(entry: CommandHelp) -> str:
    lines = [entry.usage, entry.summary + ".", ""]
    lines.extend(entry.details)
    lines.append("")
    lines.append("Examples:")
    lines.extend(entry.examples)
    return "\n".join(lines)


def _short(topic: str) -> str:
    topic = " ".join("".join(c for c in topic if c.isprintable() or c.isspace()).split())
    return topic if len(topic) <= 40 else topic[:39].rstrip() + "…"


def help_text(topic: str | None = None) -> str:
    """Usage for one command (or for all of them); an unknown topic gets the closest command."""
    if topic is None or not topic.strip():
        return _overview()
    key = " ".join(topic.lower().split()).removeprefix("/interview").strip().lstrip("/")
    key = _TOPIC_ALIASES.get(key, key)
    if key not in HELP:
        first = key.split()[0] if key.split() else key
        key = _TOPIC_ALIASES.get(first, first)
    if key in HELP:
        return _command_text(HELP[key])
    found = difflib.get_close_matches(key[:40], [*HELP, *_TOPIC_ALIASES], n=1, cutoff=0.6)
    if found:
        name = _TOPIC_ALIASES.get(found[0], found[0])
        return f'There is no command "{_short(topic)}"; here is "{name}".\n\n' + _command_text(HELP[name])
    return f'There is no command "{_short(topic)}".\n\n' + _overview()
