"""The command language (docs/commands.md) as a parser: the text after `/interview` -> a
`bot.commands` value, or a GrammarError whose message is the short, specific answer the user sees.

This module reads the command words and their arguments; the fields of add and update are read by
`field_grammar`, the values of settings by `settings_grammar`, which interview and which step a
command means by `which_interview`.

`parse` never raises, whatever the input. It does not read times or dates (`when`, `decision`, a
snooze, a deadline): those stay as typed, and the service reads them in the user's own zone.
`format_fields` / `format_interviewer` go the other way (forms and buttons build the same text).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection

from bot.admin_grammar import parse_admin
from bot.commands import (
    COMMAND_NAMES,
    Add,
    Calendar,
    Command,
    DraftRequest,
    Export,
    Forget,
    GrammarError,
    Heard,
    Help,
    ListInterviews,
    MarkSent,
    NewsKind,
    OfferElsewhere,
    Reopen,
    Show,
    Snooze,
    Update,
)
from bot.domain import DraftKind, StepKind
from bot.field_grammar import (
    ADD_EXAMPLE,
    FIELD_ALIASES,
    FIELD_KEYS,
    REQUIRED_ON_ADD,
    format_fields,
    format_interviewer,
    parse_fields,
    parse_interviewer,
)
from bot.settings_grammar import SETTING_KEYS, parse_clock, parse_settings, read_setting
from bot.typed_text import clean, closest, one_line, over_limit, quoted
from bot.which_interview import (
    MAX_NUMBER,
    STEP_KIND_NAMES,
    interview_ref,
    kind_and_to,
    label,
)

__all__ = [
    "ADD_EXAMPLE", "FIELD_KEYS", "REQUIRED_ON_ADD", "SETTING_KEYS", "format_fields", "format_interviewer",
    "MAX_NUMBER", "parse", "parse_clock", "parse_fields", "parse_interviewer", "read_setting",
]

log = logging.getLogger(__name__)

MAX_INPUT = 45_000
"""Longer input is refused as a whole: the longest sensible command is an admin template (at most
40,000 characters, enough for the longest built-in one) with its command words."""



_INTERNAL = "Sorry, I could not read that. Try /interview help."

_COMMAND_ALIASES: dict[str, str] = {
    **{name: name for name in COMMAND_NAMES},
    "offerelsewhere": "offer-elsewhere",
    "offer_elsewhere": "offer-elsewhere",
    "?": "help",
}

# ---------------------------------------------------------------------------------------------
# Entry point


def parse(text: str, companies: Collection[str] = ()) -> Command | GrammarError:
    """The text after `/interview` (a leading `/interview` is tolerated) -> a command or an error.

    `companies` are the member's own company names, when known: where a command takes `#N` or a
    company, text that starts with one of them names that interview, even when its words read as
    a time ("snooze Next Insurance 3 days", "snooze Noon") or a number ("show 3M")."""
    try:
        return _parse(text, companies)
    except Exception as exc:  # a bug must never reach the user as a stack trace
        log.error(
            "grammar failed on %d characters of input: %s",
            len(text) if isinstance(text, str) else 0,
            type(exc).__name__,
        )
        return GrammarError(_INTERNAL)


def names_interview_in_words(text: str) -> bool:
    """Whether `text` is a command that takes `#N` or a company and names its interview otherwise
    than `#N`: only then can the member's company names change how it reads (see `parse`)."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return False
    found = _command_word(text)
    if isinstance(found, GrammarError) or found[0] not in _TAKES_INTERVIEW:
        return False
    return not found[1].lstrip().startswith("#")


def _parse(text: str, companies: Collection[str] = ()) -> Command | GrammarError:
    if not isinstance(text, str):
        return GrammarError(_INTERNAL)
    if len(text) > MAX_INPUT:
        return GrammarError(f"That is too long: a command is limited to {MAX_INPUT:,} characters.")
    found = _command_word(text)
    if isinstance(found, GrammarError):
        return found
    name, rest = found
    if name == "admin":
        return parse_admin(rest)
    if name in _TAKES_INTERVIEW:
        return _TAKES_INTERVIEW[name](rest, companies)
    return _HANDLERS[name](rest)


def _command_word(text: str) -> tuple[str, str] | GrammarError:
    """The command's name and the text after it."""
    text = clean(text).strip()
    if text[:10].lower() == "/interview" and (len(text) == 10 or text[10].isspace()):
        text = text[10:].lstrip()
    if not text:
        return "help", ""
    parts = text.split(None, 1)
    word = parts[0].lower()
    rest = parts[1] if len(parts) > 1 else ""
    name = _COMMAND_ALIASES.get(word)
    if name is None and word == "offer" and rest.lower().split(None, 1)[:1] == ["elsewhere"]:
        name, rest = "offer-elsewhere", rest[len("elsewhere") :].lstrip()
    if name is None and "#" in word:  # "show#3"
        head, _, tail = parts[0].partition("#")
        name = _COMMAND_ALIASES.get(head.lower())
        if name is not None:
            word, rest = head.lower(), f"#{tail} {rest}"
    if name is None and word.startswith("/"):
        hint = ' Did you mean "/interview"?' if closest(word, ["/interview"], cutoff=0.7) else ""
        return GrammarError(f"Unknown command {quoted(word)}.{hint} Commands start with /interview, e.g. "
                            "/interview list.")
    if name is None:
        guess = closest(word, COMMAND_NAMES)
        hint = f' Did you mean "{guess}"?' if guess else ""
        return GrammarError(f"Unknown command {quoted(word)}.{hint} Try /interview help.")
    return name, rest


# ---------------------------------------------------------------------------------------------
# Commands


def _add(rest: str) -> Add | GrammarError:
    if not rest.strip():
        return Add(fields=None)
    fields = parse_fields(rest)
    if isinstance(fields, GrammarError):
        return fields
    missing = [key for key in REQUIRED_ON_ADD if getattr(fields, key) is None]
    if missing:
        names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        return GrammarError(f"Missing {names}. Example: {ADD_EXAMPLE}")
    return Add(fields=fields)


def _list(rest: str) -> ListInterviews | GrammarError:
    word = rest.strip().lower()
    if word in ("", "active"):
        return ListInterviews(all=False)
    if word == "all":
        return ListInterviews(all=True)
    return GrammarError(f'List takes nothing or "all", not {quoted(rest)}. Example: /interview list all')


def _nothing_more(command: str, after: str, example: str) -> GrammarError:
    return GrammarError(f"Nothing goes after {command}, but there is {quoted(after)}. Example: {example}")


def _one_interview(name: str, make: Callable[[int, str | None], Command],
                   ) -> Callable[[str, Collection[str]], Command | GrammarError]:
    """A command that takes an interview and nothing else: `show #3`, `reopen Acme`."""

    def handler(rest: str, companies: Collection[str] = ()) -> Command | GrammarError:
        got = interview_ref(name, rest, companies=companies)
        if isinstance(got, GrammarError):
            return got
        number, company, after = got
        if after:
            return _nothing_more(f"{name} {label(number, company)}", after, f"/interview {name} #3")
        return make(number, company)

    return handler


def _update(rest: str, companies: Collection[str] = ()) -> Update | GrammarError:
    got = interview_ref("update", rest, (*FIELD_KEYS, *FIELD_ALIASES), companies)
    if isinstance(got, GrammarError):
        return got
    number, company, after = got
    example = f"/interview update {label(number, company)} decision: next Friday"
    fields = parse_fields(after, example)
    if isinstance(fields, GrammarError):
        return fields
    if fields.is_empty():
        return GrammarError(f"What should change? Example: {example}")
    return Update(number, fields, company=company)


def _interview_kind_and_to(command: str, rest: str, companies: Collection[str],
                           ) -> tuple[int, str | None, str | None, str | None] | GrammarError:
    """What `draft` and `sent` take: the interview, then which kind of note and to whom."""
    got = interview_ref(command, rest, companies=companies)
    if isinstance(got, GrammarError):
        return got
    number, company, after = got
    kind_to = kind_and_to(command, number, after)
    if isinstance(kind_to, GrammarError):
        return kind_to
    kind, to = kind_to
    return number, company, kind, to


def _draft(rest: str, companies: Collection[str] = ()) -> DraftRequest | GrammarError:
    got = _interview_kind_and_to("draft", rest, companies)
    if isinstance(got, GrammarError):
        return got
    number, company, kind, to = got
    if kind == "no-reply":  # the no-reply step's draft is the LinkedIn note
        kind = DraftKind.LINKEDIN.value
    return DraftRequest(number, DraftKind(kind) if kind else None, to, company=company)


def _sent(rest: str, companies: Collection[str] = ()) -> MarkSent | GrammarError:
    got = _interview_kind_and_to("sent", rest, companies)
    if isinstance(got, GrammarError):
        return got
    number, company, kind, to = got
    if kind == DraftKind.LINKEDIN.value:
        return GrammarError(
            "A LinkedIn note is a draft, not a step to mark sent. "
            f"Kinds: {STEP_KIND_NAMES}. Example: /interview sent #{number} check-in-2"
        )
    return MarkSent(number, StepKind(kind) if kind else None, to, company=company)


def _snooze(rest: str, companies: Collection[str] = ()) -> Snooze | GrammarError:
    got = interview_ref("snooze", rest, companies=companies)
    if isinstance(got, GrammarError):
        return got
    number, company, after = got
    for word in ("for ", "until ", "till "):
        if after.lower().startswith(word):
            after = after[len(word) :].strip()
    if not after:
        return Snooze(number, company=company)
    if error := over_limit("snooze", after):
        return error
    return Snooze(number, after, company=company)


_NEWS_WORDS: tuple[tuple[re.Pattern[str], NewsKind], ...] = tuple(
    (re.compile(pattern + r"(?=[\s:]|$)", re.IGNORECASE), news)
    for pattern, news in (
        (r"next[\s_-]*round", NewsKind.NEXT_ROUND),
        (r"another\s+round", NewsKind.NEXT_ROUND),
        (r"decision(?:\s+date)?", NewsKind.DECISION),
        (r"offer", NewsKind.OFFER),
        (r"reject(?:ed|ion)?", NewsKind.REJECTED),
        (r"withdr(?:awn|ew|aw)", NewsKind.WITHDRAWN),
    )
)
_NEWS_HELP = "offer, rejected, next round <when>, decision <date> or withdrawn"


def _heard(rest: str, companies: Collection[str] = ()) -> Heard | GrammarError:
    got = interview_ref("heard", rest, companies=companies)
    if isinstance(got, GrammarError):
        return got
    number, company, after = got
    for pattern, news in _NEWS_WORDS:
        if m := pattern.match(after):
            return _news(number, news, after[m.end() :].strip().removeprefix(":").strip(), company)
    example = f"Example: /interview heard {label(number, company)} offer"
    if not after:
        return GrammarError(f"Heard what? Say {_NEWS_HELP}. {example}")
    guess = closest(after.split()[0], [news.value for news in NewsKind])
    hint = f' Did you mean "{guess}"?' if guess else ""
    return GrammarError(f"Heard {quoted(after)}?{hint} Say {_NEWS_HELP}. {example}")


def _news(number: int, news: NewsKind, when: str, company: str | None = None) -> Heard | GrammarError:
    ref = label(number, company)
    if news in (NewsKind.NEXT_ROUND, NewsKind.DECISION):
        if not when:
            if news is NewsKind.NEXT_ROUND:
                return GrammarError(
                    f"When is the next round? Example: /interview heard {ref} next round Tuesday 10am"
                )
            return GrammarError(f"When will they decide? Example: /interview heard {ref} decision next Friday")
        if error := over_limit("when" if news is NewsKind.NEXT_ROUND else "decision", when):
            return error
        return Heard(number, news, when, company=company)
    if when:
        return _nothing_more(f'"{news.value}"', when, f"/interview heard {ref} {news.value}")
    return Heard(number, news, company=company)


def _offer_elsewhere(rest: str, companies: Collection[str] = ()) -> OfferElsewhere | GrammarError:
    got = interview_ref("offer-elsewhere", rest, companies=companies)
    if isinstance(got, GrammarError):
        return got
    number, company, after = got
    key, colon, value = after.partition(":")
    if colon and key.strip().lower() == "deadline":
        after = value.strip()
    elif after.lower().startswith("deadline "):
        after = after[len("deadline ") :].strip()
    if not after:
        return GrammarError(
            "When is their deadline? Example: /interview offer-elsewhere "
            f"{label(number, company)} deadline: next Friday"
        )
    if error := over_limit("deadline", after):
        return error
    return OfferElsewhere(number, after, company=company)



# ---------------------------------------------------------------------------------------------
# The rest


def _bare(name: str, make: Callable[[], Command]) -> Callable[[str], Command | GrammarError]:
    def handler(rest: str) -> Command | GrammarError:
        if rest.strip():
            return _nothing_more(name, rest, f"/interview {name}")
        return make()

    return handler


def _forget(rest: str) -> Forget | GrammarError:
    word = rest.strip().lower()
    if not word:
        return Forget(confirm=False)
    if word == "confirm":
        return Forget(confirm=True)
    return GrammarError(f'Forget takes nothing or "confirm", not {quoted(rest)}. Example: /interview forget')


def _help(rest: str) -> Help:
    topic = " ".join(one_line(rest).lower().split())
    if topic.startswith("/interview"):
        topic = topic[len("/interview") :].strip()
    return Help(topic[:60] or None)


_TAKES_INTERVIEW: dict[str, Callable[[str, Collection[str]], Command | GrammarError]] = {
    "show": _one_interview("show", Show),
    "update": _update,
    "draft": _draft,
    "sent": _sent,
    "snooze": _snooze,
    "heard": _heard,
    "reopen": _one_interview("reopen", Reopen),
    "offer-elsewhere": _offer_elsewhere,
}
_HANDLERS: dict[str, Callable[[str], Command | GrammarError]] = {
    "add": _add,
    "list": _list,
    "settings": parse_settings,
    "calendar": _bare("calendar", Calendar),
    "export": _bare("export", Export),
    "forget": _forget,
    "help": _help,
}
