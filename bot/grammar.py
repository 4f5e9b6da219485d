"""COMMANDS.md as a parser: the text after `/interview` -> a `bot.commands` value, or a GrammarError
whose message is the short, specific answer the user sees.

`parse` never raises, whatever the input. It does not read times or dates (`when`, `decision`, a
snooze, a deadline): those stay as typed, and the service reads them in the user's own zone.
`format_fields` / `format_interviewer` go the other way (forms and buttons build the same text).
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from zoneinfo import available_timezones

from bot.commands import (
    COMMAND_NAMES,
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
from bot.domain import HONORIFICS, LIMITS, MAX_INTERVIEWERS, DraftKind, InterviewKind, StepKind, Tone

log = logging.getLogger(__name__)

MAX_INPUT = 20_000
"""Longer input is refused as a whole (the longest sensible command, an admin template, is far less)."""

MAX_NUMBER = 999_999

TEXT_LIMITS: dict[str, int] = {
    **LIMITS,
    # Times, dates and durations stay text for the service to read; they are short.
    "when": 100,
    "decision": 100,
    "length": 40,
    "snooze": 100,
    "deadline": 100,
    "tz": 64,
}

FIELD_KEYS = (
    "company",
    "role",
    "when",
    "length",
    "with",
    "topics",
    "decision",
    "promised",
    "point",
    "tone",
    "kind",
)
REQUIRED_ON_ADD = ("company", "role", "when")
SETTING_KEYS = ("name", "email", "phone", "tz", "quiet", "morning", "tone")
ADMIN_SUBS = ("defaults", "template", "stats")

ADD_EXAMPLE = "/interview add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm"

_INTERNAL = "Sorry, I could not read that. Try /interview help."

# Examples shown when a command is missing its interview number.
_EXAMPLES: dict[str, str] = {
    "show": "/interview show #3",
    "update": "/interview update #3 decision: next Friday",
    "draft": "/interview draft #3 thank-you",
    "sent": "/interview sent #3 thank-you",
    "snooze": "/interview snooze #3 2h",
    "heard": "/interview heard #3 offer",
    "offer-elsewhere": "/interview offer-elsewhere #3 deadline: next Friday",
}

_COMMAND_ALIASES: dict[str, str] = {
    **{name: name for name in COMMAND_NAMES},
    "offerelsewhere": "offer-elsewhere",
    "offer_elsewhere": "offer-elsewhere",
    "?": "help",
}

_LABELS: dict[str, str] = {
    "company": "Company",
    "role": "Role",
    "when": "When",
    "length": "Length",
    "topics": "Topics",
    "decision": "Decision",
    "promised": "Promised",
    "point": "Point",
    "name": "Name",
    "title": "An interviewer's title",
    "email": "An e-mail address",
    "topic": "An interviewer's topic",
    "phone": "Phone",
    "snooze": "A snooze",
    "deadline": "A deadline",
    "tz": "A time zone",
}

# ---------------------------------------------------------------------------------------------
# Text clean-up


_BIDI_AND_BOM = {
    *range(0x202A, 0x202F),  # embeddings and overrides
    *range(0x2066, 0x206A),  # isolates
    0xFEFF,
}


def _clean(text: str) -> str:
    """Drop what no value may hold (NUL and other control characters, lone surrogates, bidi
    overrides); tabs become spaces, line breaks become "\n" for the caller to decide."""
    if text.isprintable():
        return text  # the usual case; fast
    out: list[str] = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n":
            out.append(ch)
        elif ch in "\r\u2028\u2029":
            out.append("\n")
        elif ch in "\t\v\f\x85":
            out.append(" ")
        elif ord(ch) in _BIDI_AND_BOM or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


def _q(text: str, limit: int = 40) -> str:
    """User text quoted back in an answer: one line, short."""
    text = " ".join(_clean(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def _closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    word = word.lower()[:40]
    options = list(options)
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    if found:
        return found[0]
    if len(word) >= 2:
        starts = [o for o in options if o.startswith(word)]
        if len(starts) == 1:
            return starts[0]
    return None


def _limit(key: str, value: str) -> GrammarError | None:
    limit = TEXT_LIMITS.get(key)
    if limit is not None and len(value) > limit:
        return GrammarError(f"{_LABELS.get(key, key.capitalize())} is limited to {limit} characters.")
    return None


# ---------------------------------------------------------------------------------------------
# Entry point


def parse(text: str) -> Command | GrammarError:
    """The text after `/interview` (a leading `/interview` is tolerated) -> a command or an error."""
    try:
        return _parse(text)
    except Exception as exc:  # a bug must never reach the user as a stack trace
        log.error(
            "grammar failed on %d characters of input: %s",
            len(text) if isinstance(text, str) else 0,
            type(exc).__name__,
        )
        return GrammarError(_INTERNAL)


def _parse(text: str) -> Command | GrammarError:
    if not isinstance(text, str):
        return GrammarError(_INTERNAL)
    if len(text) > MAX_INPUT:
        return GrammarError(f"That is too long: a command is limited to {MAX_INPUT:,} characters.")
    text = _clean(text).strip()
    if text[:10].lower() == "/interview" and (len(text) == 10 or text[10].isspace()):
        text = text[10:].lstrip()
    if not text:
        return Help()
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
    if name is None:
        guess = _closest(word, COMMAND_NAMES)
        hint = f' Did you mean "{guess}"?' if guess else ""
        return GrammarError(f"Unknown command {_q(word)}.{hint} Try /interview help.")
    if name == "admin":
        return _admin(rest)
    return _HANDLERS[name](rest)


# ---------------------------------------------------------------------------------------------
# Interview numbers

_DIGITS = re.compile(r"[0-9]+")


def _number(command: str, rest: str) -> tuple[int, str] | GrammarError:
    """`#3 ...` or `3 ...` at the start of `rest` -> (3, "...")."""
    rest = _one_line(rest).strip()
    example = _EXAMPLES[command]
    if not rest:
        return GrammarError(f"Which interview? Example: {example}")
    token, after = (rest.split(None, 1) + [""])[:2]
    if token == "#" and after:
        token, after = (after.split(None, 1) + [""])[:2]
        token = "#" + token
    body = token.rstrip(".,:!?")
    if body.startswith("#"):
        body = body[1:]
    elif not body[:1].isdigit() and body[:1] not in "+-":
        return GrammarError(f"Which interview? Example: {example}")
    if not _DIGITS.fullmatch(body):
        return GrammarError(f"{_q(token)} is not an interview number. Example: {example}")
    significant = body.lstrip("0")
    if not significant:
        return GrammarError(f"Interview numbers start at 1, so #0 is not one. Example: {example}")
    if len(significant) > len(str(MAX_NUMBER)):
        return GrammarError(f"{_q(token)} is not an interview number: they go up to #{MAX_NUMBER}.")
    return int(significant), after.strip()


# ---------------------------------------------------------------------------------------------
# key: value pairs


def _split_pairs(
    text: str, keys: tuple[str, ...], aliases: dict[str, str], what: str, example: str
) -> list[tuple[str, str]] | GrammarError:
    """`key: value; key: value` -> [(key, value)], keys resolved (case-insensitive, aliases);
    empty values are dropped (a blank form field means "not given")."""
    # A new line before a known key separates fields, like ';'.
    if "\n" in text:
        text = re.sub(
            r"\n[^\S\n]*(?=(?:" + "|".join(map(re.escape, (*keys, *aliases))) + r")\s*:)",
            ";",
            text,
            flags=re.IGNORECASE,
        )
        text = _one_line(text)
    pairs: list[tuple[str, str]] = []
    for index, piece in enumerate(text.split(";")):
        piece = piece.strip()
        if not piece:
            continue
        raw_key, colon, value = piece.partition(":")
        if not colon:
            if pairs or index:  # most likely a ';' inside a value
                return GrammarError(
                    f"{_q(piece)} is not a {what}: write key: value (a ';' starts a new {what}; "
                    f"use ',' inside a value). Example: {example}"
                )
            return GrammarError(f"{_q(piece)} is not a {what}: write key: value. Example: {example}")
        key = " ".join(raw_key.split()).lower()
        if not key:
            return GrammarError(f"A {what} name is missing before the ':' in {_q(piece)}. Example: {example}")
        resolved = aliases.get(key, key)
        if resolved not in keys:
            guess = _closest(key, keys)
            hint = f' Did you mean "{guess}"?' if guess else " Known: " + ", ".join(keys) + "."
            return GrammarError(f"Unknown {what} {_q(key)}.{hint}")
        value = value.strip()
        if value:
            pairs.append((resolved, value))
    return pairs


def _no_repeats(pairs: list[tuple[str, str]], repeatable: tuple[str, ...] = ()) -> GrammarError | None:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen and key not in repeatable:
            return GrammarError(f'"{key}" is given twice; give it once.')
        seen.add(key)
    return None


_FIELD_ALIASES: dict[str, str] = {
    "employer": "company",
    "position": "role",
    "job": "role",
    "date": "when",
    "time": "when",
    "duration": "length",
    "interviewer": "with",
    "topic": "topics",
}


def parse_fields(text: str, example: str = ADD_EXAMPLE) -> Fields | GrammarError:
    """The `key: value; ...` part of add and update."""
    pairs = _split_pairs(text, FIELD_KEYS, _FIELD_ALIASES, "field", example)
    if isinstance(pairs, GrammarError):
        return pairs
    error = _no_repeats(pairs, repeatable=("with",))
    if error:
        return error
    values: dict[str, str] = {}
    people: list[InterviewerSpec] = []
    for key, value in pairs:
        if key == "with":
            person = parse_interviewer(value)
            if isinstance(person, GrammarError):
                return person
            people.append(person)
            if len(people) > MAX_INTERVIEWERS:
                return GrammarError(f"At most {MAX_INTERVIEWERS} interviewers (with:) per interview.")
            continue
        error = _limit(key, value)
        if error:
            return error
        values[key] = value
    topics: tuple[str, ...] | None = None
    if "topics" in values:
        topics = tuple(t.strip() for t in values["topics"].split(",") if t.strip())
        if not topics:
            topics = None
    tone: Tone | None = None
    if "tone" in values:
        tone_or_error = _tone(values["tone"])
        if isinstance(tone_or_error, GrammarError):
            return tone_or_error
        tone = tone_or_error
    kind: InterviewKind | None = None
    if "kind" in values:
        word = "-".join(values["kind"].lower().replace("_", " ").replace("-", " ").split())
        if word == "careerfair":
            word = "career-fair"
        try:
            kind = InterviewKind(word)
        except ValueError:
            options = [k.value for k in InterviewKind]
            guess = _closest(word, options)
            hint = f' Did you mean "{guess}"?' if guess else ""
            return GrammarError(f"Unknown kind {_q(values['kind'])}.{hint} Kinds: {', '.join(options)}.")
    return Fields(
        company=values.get("company"),
        role=values.get("role"),
        when=values.get("when"),
        length=values.get("length"),
        with_=tuple(people),
        topics=topics,
        decision=values.get("decision"),
        promised=values.get("promised"),
        point=values.get("point"),
        tone=tone,
        kind=kind,
    )


def _tone(value: str) -> Tone | GrammarError:
    try:
        return Tone(value.strip().lower())
    except ValueError:
        return GrammarError(f'Tone is "formal" or "casual", not {_q(value)}.')


# ---------------------------------------------------------------------------------------------
# with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the launch

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]"
)
_ABOUT = re.compile(r"(?:(?<=\s)|(?<=[)>]))about(?=\s|$)", re.IGNORECASE)
_HONORIFICS: dict[str, str] = {h.lower().rstrip("."): h for h in HONORIFICS}


def valid_email(value: str) -> bool:
    return len(value) <= LIMITS["email"] and _EMAIL.fullmatch(value) is not None


def _email(raw: str, example: str = "<jane@horizon.example>") -> str | GrammarError:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if value.lower().startswith("mailto:"):  # Slack's <mailto:a@b.example|a@b.example>
        value = value[len("mailto:") :].split("|", 1)[0].strip()
    if len(value) > LIMITS["email"]:
        return GrammarError(f"An e-mail address is limited to {LIMITS['email']} characters.")
    if not _EMAIL.fullmatch(value):
        return GrammarError(f"{_q(value)} is not an e-mail address. Example: {example}")
    return value


def parse_interviewer(text: str) -> InterviewerSpec | GrammarError:
    """`[honorific] name [(title)] [(recruiter)] [<email>] [about topic]`."""
    text = _one_line(text).strip()
    example = "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the launch"
    # Outside brackets: the name; inside: titles and the e-mail; after "about": the topic.
    name_chars: list[str] = []
    groups: list[tuple[str, str]] = []  # ("(", title text) or ("<", email text)
    topic: str | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "(":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += 1 if text[j] == "(" else -1 if text[j] == ")" else 0
                j += 1
            if depth:
                return GrammarError(f"A ( is not closed in {_q(text)}. Example: {example}")
            groups.append(("(", text[i + 1 : j - 1]))
            name_chars.append(" ")
            i = j
            continue
        if ch == "<":
            j = text.find(">", i + 1)
            if j < 0:
                return GrammarError(f"A < is not closed in {_q(text)}. Example: {example}")
            groups.append(("<", text[i + 1 : j]))
            name_chars.append(" ")
            i = j + 1
            continue
        if ch == ")":
            return GrammarError(f"A ) has no ( in {_q(text)}. Example: {example}")
        if ch in "aA" and (m := _ABOUT.match(text, i)):
            topic = text[m.end() :].strip()
            if not topic:
                return GrammarError(f"About what? Example: {example}")
            break
        name_chars.append(ch)
        i += 1

    words = "".join(name_chars).split()
    honorific: str | None = None
    if len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        honorific = _HONORIFICS[words[0].lower().rstrip(".")]
        words = words[1:]
    elif len(words) == 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = []
    name = " ".join(words)
    if not name:
        return GrammarError(f"Each with: needs the person's name. Example: {example}")
    if any(c in name for c in "<>@"):
        return GrammarError(f"{_q(name)} is not a name: a name has no <, > or @. Example: {example}")

    titles: list[str] = []
    recruiter = False
    email: str | None = None
    for kind, content in groups:
        if kind == "<":
            if email is not None:
                return GrammarError(f"One e-mail address per interviewer, please (for {_q(name)}).")
            email_or_error = _email(content)
            if isinstance(email_or_error, GrammarError):
                return email_or_error
            email = email_or_error
            continue
        for part in content.split(","):
            part = " ".join(part.split())
            if part.lower() == "recruiter":
                recruiter = True
            elif part:
                titles.append(part)
    title = ", ".join(titles) or None
    for key, value in (("name", name), ("title", title), ("topic", topic)):
        if value is not None and (error := _limit(key, value)):
            return error
    return InterviewerSpec(name=name, honorific=honorific, title=title, email=email, topic=topic, recruiter=recruiter)


# ---------------------------------------------------------------------------------------------
# Text from values (forms and buttons build commands with these)


def _safe(value: str) -> str:
    """A value as it can be written in a command: one line, no ';' (it would start a new field)."""
    return _one_line(_clean(value)).replace(";", ",").strip()


def format_interviewer(person: InterviewerSpec) -> str:
    parts = [person.honorific or "", _safe(person.name)]
    if person.title:
        parts.append(f"({_safe(person.title)})")
    if person.recruiter:
        parts.append("(recruiter)")
    if person.email:
        parts.append(f"<{_safe(person.email)}>")
    if person.topic:
        parts.append(f"about {_safe(person.topic)}")
    return " ".join(p for p in parts if p)


def format_fields(fields: Fields) -> str:
    """Fields -> `key: value; ...`, which `parse_fields` reads back to the same Fields."""
    pairs: list[tuple[str, str]] = []
    for key in ("company", "role", "when", "length"):
        value = getattr(fields, key)
        if value:
            pairs.append((key, value))
    pairs.extend(("with", format_interviewer(p)) for p in fields.with_)
    if fields.topics:
        pairs.append(("topics", ", ".join(t.replace(",", " ") for t in fields.topics)))
    for key in ("decision", "promised", "point"):
        value = getattr(fields, key)
        if value:
            pairs.append((key, value))
    if fields.tone:
        pairs.append(("tone", fields.tone.value))
    if fields.kind:
        pairs.append(("kind", fields.kind.value))
    return "; ".join(f"{key}: {_safe(value) if key != 'with' else value}" for key, value in pairs)


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
    return GrammarError(f'List takes nothing or "all", not {_q(rest)}. Example: /interview list all')


def _nothing_more(command: str, after: str, example: str) -> GrammarError:
    return GrammarError(f"Nothing goes after {command}, but there is {_q(after)}. Example: {example}")


def _show(rest: str) -> Show | GrammarError:
    got = _number("show", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    if after:
        return _nothing_more(f"show #{number}", after, "/interview show #3")
    return Show(number)


def _update(rest: str) -> Update | GrammarError:
    got = _number("update", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    example = f"/interview update #{number} decision: next Friday"
    fields = parse_fields(after, example)
    if isinstance(fields, GrammarError):
        return fields
    if fields.is_empty():
        return GrammarError(f"What should change? Example: {example}")
    return Update(number, fields)


# Kind words: lower case with spaces, hyphens and underscores removed -> the canonical kind.
_KIND_WORDS: dict[str, str] = {
    "thankyou": "thank-you",
    "thanks": "thank-you",
    "thankyounote": "thank-you",
    "checkin": "check-in",
    "checkin1": "check-in",
    "firstcheckin": "check-in",
    "checkin2": "check-in-2",
    "secondcheckin": "check-in-2",
    "noreply": "no-reply",
    "timeline": "timeline",
    "timelineupdate": "timeline",
    "rejection": "rejection",
    "rejectionreply": "rejection",
    "linkedin": "linkedin",
    "linkedinnote": "linkedin",
    "stayintouch": "stay-in-touch",
}
_TO = re.compile(r"(?:^|(?<=\s))to(?:\s*:|\s)", re.IGNORECASE)


def _kind_and_to(command: str, number: int, rest: str) -> tuple[str | None, str | None] | GrammarError:
    kind_text, to = rest, None
    if m := _TO.search(rest):
        kind_text, to = rest[: m.start()], rest[m.end() :].strip()
        if not to:
            return GrammarError(f"To whom? Example: /interview {command} #{number} thank-you to: Jane")
        if error := _limit("name", to):
            return error
    key = re.sub(r"[\s_-]+", "", kind_text.lower())
    if not key:
        return None, to
    kind = _KIND_WORDS.get(key)
    if kind is None:
        guess = _closest(key, _KIND_WORDS)
        hint = f' Did you mean "{_KIND_WORDS[guess]}"?' if guess else ""
        kinds = _DRAFT_KIND_NAMES if command == "draft" else _STEP_KIND_NAMES
        return GrammarError(f"Unknown kind {_q(kind_text.strip())}.{hint} Kinds: {kinds}.")
    return kind, to


_DRAFT_KIND_NAMES = ", ".join(k.value for k in DraftKind)
_STEP_KIND_NAMES = ", ".join(k.value for k in StepKind if k is not StepKind.NO_REPLY)


def _draft(rest: str) -> DraftRequest | GrammarError:
    got = _number("draft", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    kind_to = _kind_and_to("draft", number, after)
    if isinstance(kind_to, GrammarError):
        return kind_to
    kind, to = kind_to
    if kind == "no-reply":  # the no-reply step's draft is the LinkedIn note
        kind = DraftKind.LINKEDIN.value
    return DraftRequest(number, DraftKind(kind) if kind else None, to)


def _sent(rest: str) -> MarkSent | GrammarError:
    got = _number("sent", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    kind_to = _kind_and_to("sent", number, after)
    if isinstance(kind_to, GrammarError):
        return kind_to
    kind, to = kind_to
    if kind == DraftKind.LINKEDIN.value:
        return GrammarError(
            "A LinkedIn note is a draft, not a step to mark sent. "
            f"Kinds: {_STEP_KIND_NAMES}. Example: /interview sent #{number} check-in-2"
        )
    return MarkSent(number, StepKind(kind) if kind else None, to)


def _snooze(rest: str) -> Snooze | GrammarError:
    got = _number("snooze", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    for word in ("for ", "until ", "till "):
        if after.lower().startswith(word):
            after = after[len(word) :].strip()
    if not after:
        return Snooze(number)
    if error := _limit("snooze", after):
        return error
    return Snooze(number, after)


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


def _heard(rest: str) -> Heard | GrammarError:
    got = _number("heard", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    for pattern, news in _NEWS_WORDS:
        if m := pattern.match(after):
            return _news(number, news, after[m.end() :].strip().removeprefix(":").strip())
    example = f"Example: /interview heard #{number} offer"
    if not after:
        return GrammarError(f"Heard what? Say {_NEWS_HELP}. {example}")
    guess = _closest(after.split()[0], [news.value for news in NewsKind])
    hint = f' Did you mean "{guess}"?' if guess else ""
    return GrammarError(f"Heard {_q(after)}?{hint} Say {_NEWS_HELP}. {example}")


def _news(number: int, news: NewsKind, when: str) -> Heard | GrammarError:
    if news in (NewsKind.NEXT_ROUND, NewsKind.DECISION):
        if not when:
            if news is NewsKind.NEXT_ROUND:
                return GrammarError(
                    f"When is the next round? Example: /interview heard #{number} next round Tuesday 10am"
                )
            return GrammarError(f"When will they decide? Example: /interview heard #{number} decision next Friday")
        if error := _limit("when" if news is NewsKind.NEXT_ROUND else "decision", when):
            return error
        return Heard(number, news, when)
    if when:
        return _nothing_more(f'"{news.value}"', when, f"/interview heard #{number} {news.value}")
    return Heard(number, news)


def _offer_elsewhere(rest: str) -> OfferElsewhere | GrammarError:
    got = _number("offer-elsewhere", rest)
    if isinstance(got, GrammarError):
        return got
    number, after = got
    key, colon, value = after.partition(":")
    if colon and key.strip().lower() == "deadline":
        after = value.strip()
    elif after.lower().startswith("deadline "):
        after = after[len("deadline ") :].strip()
    if not after:
        return GrammarError(
            f"When is their deadline? Example: /interview offer-elsewhere #{number} deadline: next Friday"
        )
    if error := _limit("deadline", after):
        return error
    return OfferElsewhere(number, after)


# ---------------------------------------------------------------------------------------------
# settings

_SETTING_ALIASES = {"timezone": "tz", "time zone": "tz", "zone": "tz", "e-mail": "email", "mail": "email"}
_CLEARABLE = ("name", "email", "phone")
_SETTINGS_EXAMPLE = "/interview settings tz: Europe/Berlin; quiet: 21:00-08:00; morning: 09:00"
_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9().\-/ ]+(?:\s*(?:x|ext\.?)\s*[0-9]+)?", re.IGNORECASE)
_RANGE = re.compile(r"(.+?)\s*(?:-|–|—|\bto\b)\s*(.+)", re.IGNORECASE)


def parse_clock(value: str) -> str | None:
    """`09:00`, `9`, `9am`, `9:30 pm`, `21.15` -> `HH:MM`; None if it is not a time of day."""
    m = _CLOCK.fullmatch(value.strip())
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    meridiem = (m.group(3) or "").lower().replace(".", "")
    if minute > 59:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


_OFFSET = re.compile(r"(?:utc|gmt)?\s*[+\-−]\s*[0-9]{1,2}(?::?[0-9]{2})?", re.IGNORECASE)


def _tz(value: str) -> str | GrammarError:
    candidate = "_".join(value.split())
    if _OFFSET.fullmatch(value.strip()):
        return GrammarError(
            f"Use a time zone name, not an offset like {_q(value)}: e.g. Europe/Berlin or America/New_York "
            "(they follow summer time)."
        )
    if len(candidate) <= TEXT_LIMITS["tz"]:
        found = _zones().get(candidate.lower())
        if found:
            return found
    zones = _zones()
    guess = difflib.get_close_matches(candidate.lower()[:64], list(zones), n=1, cutoff=0.6)
    hint = f' Did you mean "{zones[guess[0]]}"?' if guess else ""
    return GrammarError(f"Unknown time zone {_q(value)}.{hint} Use a name like Europe/Berlin or America/New_York.")


def read_setting(key: str, value: str) -> str | GrammarError:
    """One setting's value, checked and normalised: tz -> its IANA spelling, quiet -> `HH:MM-HH:MM`,
    morning -> `HH:MM`, tone -> `formal`/`casual`. (Admin defaults may reuse it for quiet, morning, tone.)"""
    if key == "name":
        if error := _limit("name", value):
            return error
        return " ".join(value.split())
    if key == "email":
        return _email(value, "email: alex@example.com")
    if key == "phone":
        if error := _limit("phone", value):
            return error
        if not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 5:
            return GrammarError(f"{_q(value)} is not a phone number. Example: phone: +1 555 010 0199")
        return " ".join(value.split())
    if key == "tz":
        return _tz(value)
    if key == "tone":
        tone = _tone(value)
        return tone if isinstance(tone, GrammarError) else tone.value
    if key == "morning":
        clock = parse_clock(value) if len(value) <= 40 else None
        if clock is None:
            return GrammarError(f"{_q(value)} is not a time of day. Example: morning: 09:00 (or 9am)")
        return clock
    # quiet
    example = "quiet: 21:00-08:00 (or 9pm-8am)"
    m = _RANGE.fullmatch(value) if len(value) <= 40 else None
    start, end = (parse_clock(m.group(1)), parse_clock(m.group(2))) if m else (None, None)
    if start is None or end is None:
        return GrammarError(f"{_q(value)} is not a range of hours. Example: {example}")
    if start == end:
        return GrammarError(f"Quiet hours need a start and an end that differ. Example: {example}")
    return f"{start}-{end}"


def _settings(rest: str) -> Settings | GrammarError:
    pairs = _split_pairs(rest, SETTING_KEYS, _SETTING_ALIASES, "setting", _SETTINGS_EXAMPLE)
    if isinstance(pairs, GrammarError):
        return pairs
    if error := _no_repeats(pairs):
        return error
    values: dict[str, str] = {}
    for key, value in pairs:
        if key in _CLEARABLE and value.lower() in ("-", "none", "clear"):
            values[key] = ""  # the service clears it
            continue
        normal = read_setting(key, value)
        if isinstance(normal, GrammarError):
            return normal
        values[key] = normal
    return Settings(values=values)


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
    return GrammarError(f'Forget takes nothing or "confirm", not {_q(rest)}. Example: /interview forget')


def _help(rest: str) -> Help:
    topic = " ".join(_one_line(rest).lower().split())
    if topic.startswith("/interview"):
        topic = topic[len("/interview") :].strip()
    return Help(topic[:60] or None)


def _admin(rest: str) -> Admin | GrammarError:
    rest = rest.strip()
    parts = rest.split(None, 1)
    if not parts:
        return GrammarError("Which admin command: defaults, template or stats? Example: /interview admin stats")
    sub = parts[0].lower()
    if sub not in ADMIN_SUBS:
        guess = _closest(sub, ADMIN_SUBS)
        hint = f' Did you mean "{guess}"?' if guess else ""
        return GrammarError(f"Unknown admin command {_q(sub)}.{hint} Try /interview help admin.")
    return Admin(sub=sub, args=parts[1].strip() if len(parts) > 1 else "")


_HANDLERS: dict[str, Callable[[str], Command | GrammarError]] = {
    "add": _add,
    "list": _list,
    "show": _show,
    "update": _update,
    "draft": _draft,
    "sent": _sent,
    "snooze": _snooze,
    "heard": _heard,
    "offer-elsewhere": _offer_elsewhere,
    "settings": _settings,
    "calendar": _bare("calendar", Calendar),
    "export": _bare("export", Export),
    "forget": _forget,
    "help": _help,
}
