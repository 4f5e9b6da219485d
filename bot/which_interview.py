"""Which interview a command means (`#3`, `3`, or the company's name) and which of its steps or
drafts (`thank-you`, `check in 2`, `to: Jane`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.commands import GrammarError
from bot.domain import DraftKind, StepKind
from bot.typed_text import closest, one_line, over_limit, quoted

MAX_NUMBER = 999_999

# Examples shown when a command is missing its interview number.
EXAMPLES: dict[str, str] = {
    "show": "/interview show #3",
    "update": "/interview update #3 decision: next Friday",
    "draft": "/interview draft #3 thank-you",
    "sent": "/interview sent #3 thank-you",
    "snooze": "/interview snooze #3 2h",
    "heard": "/interview heard #3 offer",
    "reopen": "/interview reopen #3",
    "offer-elsewhere": "/interview offer-elsewhere #3 deadline: next Friday",
}

_DIGITS = re.compile(r"[0-9]+")


def number_and_rest(command: str, rest: str) -> tuple[int, str] | GrammarError:
    """`#3 ...` or `3 ...` at the start of `rest` -> (3, "...")."""
    rest = one_line(rest).strip()
    example = EXAMPLES[command]
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
        return GrammarError(f"{quoted(token)} is not an interview number. Example: {example}")
    significant = body.lstrip("0")
    if not significant:
        return GrammarError(f"Interview numbers start at 1, so #0 is not one. Example: {example}")
    if len(significant) > len(str(MAX_NUMBER)):
        return GrammarError(f"{quoted(token)} is not an interview number: they go up to #{MAX_NUMBER}.")
    return int(significant), after.strip()


def known_company(text: str, companies: Iterable[str]) -> int:
    """How much of `text` is one of the member's own company names, the longest that `text` starts
    with as whole words ("Next Insurance 3 days" -> 14 when they have an interview with Next
    Insurance); 0 when it starts with none. Case and spacing do not matter. A name that is only a
    number never counts: `3` is always #3."""
    best = 0
    for company in companies:
        words = company.split()
        if not words or company.strip().isdigit() or company.lstrip().startswith("#"):
            continue
        pattern = r"\s+".join(map(re.escape, words)) + r"(?=$|\s|[.,;:!?])"
        if (m := re.match(pattern, text, re.IGNORECASE)) and m.end() > best:
            best = m.end()
    return best


def by_company(command: str, rest: str, companies: Iterable[str] = ()) -> tuple[str, str] | GrammarError | None:
    """`Horizon Marketing thank-you to: Jane` -> ("Horizon Marketing", "thank-you to: Jane"): an
    interview named by its company instead of #N (show, draft, sent). None when `rest` starts with a
    number. When it starts with one of the member's `companies`, that name is the company whatever
    its words ("To Go Foods thank-you")."""
    text = one_line(rest).strip()
    known = known_company(text, companies)
    if not known and (not text or text[0] in "#+-" or text[0].isdigit()):
        return None
    after = ""
    if command != "show" and (m := TO.search(text, known)):
        text, after = text[: m.start()].strip(), text[m.start() :]
    words, kept = text[known:].split(), text[:known]
    if command != "show":
        for size in (3, 2, 1):
            if len(words) >= size + (0 if kept else 1) and \
                    re.sub(r"[\s_-]+", "", " ".join(words[-size:]).lower()) in KIND_WORDS:
                after = " ".join(words[-size:]) + (" " + after if after else "")
                words = words[:-size]
                break
    company = " ".join([*kept.split(), *words])
    if not any(ch.isalnum() for ch in company):
        return GrammarError(f"Which interview? Example: {EXAMPLES[command]}")
    if error := over_limit("company", company):
        return error
    return company, after.strip()



# Where the company's name ends and the rest of a command begins, for commands whose rest is not a
# kind of step or draft (those are read by `by_company`).
_TIME_START = (
    r"for|until|till|in|at|on|by|today|tonight|tomorrow|tmrw|next|this|noon|midnight|morning|"
    r"evening|afternoon|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|"
    r"sat(?:urday)?|sun(?:day)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|an?|half|\d\S*"
)
REST_STARTS: dict[str, re.Pattern[str]] = {
    "snooze": re.compile(rf"(?<!\S)(?:{_TIME_START})(?=\s|$|[.,:])", re.IGNORECASE),
    "heard": re.compile(
        r"(?<!\S)(?:next[\s_-]*round|another\s+round|decision|offer|reject(?:ed|ion)?|withdr(?:awn|ew|aw))"
        r"(?=[\s:]|$)",
        re.IGNORECASE,
    ),
    "offer-elsewhere": re.compile(r"(?<!\S)deadline(?=[\s:]|$)", re.IGNORECASE),
}


def company_and_rest(command: str, rest: str, fields: tuple[str, ...] = (),
                     companies: Iterable[str] = ()) -> tuple[str, str] | GrammarError | None:
    """`Acme Corp offer` -> ("Acme Corp", "offer"): an interview named by its company instead of #N,
    for every command that takes one. None when `rest` starts with a number (then it is #N).

    `companies` are the member's own company names: when `rest` starts with one, that name is the
    company even where its words read as a time or a number ("Next Insurance 3 days", "Noon",
    "Monday.com until Friday", "3M 2h"), and the rest is read after it."""
    if command in ("draft", "sent"):
        return by_company(command, rest, companies)
    text = one_line(rest).strip()
    known = known_company(text, companies)
    if not known and (not text or text[0] in "#+-" or text[0].isdigit()):
        return None
    after = ""
    if fields:  # update: the company ends where the first `key:` begins
        keys = "|".join(map(re.escape, sorted(fields, key=len, reverse=True)))
        boundary: re.Pattern[str] | None = re.compile(rf"(?<!\S)(?:{keys})\s*:", re.IGNORECASE)
    else:
        boundary = REST_STARTS.get(command)
    if boundary is not None and (m := boundary.search(text, known)):
        if m.start() == 0 and companies and command == "snooze" and (
                ambiguous := _could_be_yours(text, m.end(), boundary, companies)):
            return ambiguous
        if m.start() == 0:
            # "heard offer" lacks the interview; in "May Co 2h" or "Next Insurance next round
            # Monday" the first word is the name's, as the rest starts again later.
            m = boundary.search(text, len(text.split(None, 1)[0]))
            if m is None:
                return GrammarError(f"Which interview? Example: {EXAMPLES[command]}")
        text, after = text[: m.start()].strip(), text[m.start() :].strip()
    if not any(ch.isalnum() for ch in text):
        return GrammarError(f"Which interview? Example: {EXAMPLES[command]}")
    if error := over_limit("company", text):
        return error
    return text, after


def _could_be_yours(text: str, first_end: int, boundary: re.Pattern[str],
                    companies: Iterable[str]) -> GrammarError | None:
    """`snooze next Friday` from a member with an interview at Next Insurance: the first words read
    as a time and begin one of their company names, but are not the whole name. Guessing either way
    could move the wrong reminder, so the answer names both readings."""
    later = boundary.search(text, first_end)
    guess = text[: later.start()].strip() if later else text
    words = guess.lower().split()
    theirs = sorted({c.strip() for c in companies if [w.lower() for w in c.split()][: len(words)] == words})
    if not theirs:
        return None
    names = " or ".join(theirs[:3])
    time = text[later.start() :].strip() if later else ""
    return GrammarError(
        f"Which interview? In {quoted(text)}, {quoted(guess)} begins {names} but also reads as a time. "
        f"Write the company in full (/interview snooze {theirs[0]}{' ' + time if time else ''}) "
        f"or the interview's number first (/interview snooze #3 {text})."
    )


def interview_ref(command: str, rest: str, fields: tuple[str, ...] = (),
                  companies: Iterable[str] = ()) -> tuple[int, str | None, str] | GrammarError:
    """Which interview a command means, the same way for every command: `#3 ...`, `3 ...` or
    `Company name ...` -> (number, company, the rest). With a company the number is 0 and the
    service finds the one interview with that company (or lists the candidates). The member's own
    `companies` win over reading their words as a time or a number (see `company_and_rest`)."""
    named = company_and_rest(command, rest, fields, companies)
    if isinstance(named, GrammarError):
        return named
    if named is not None:
        return 0, named[0], named[1]
    got = number_and_rest(command, rest)
    if isinstance(got, GrammarError):
        return got
    return got[0], None, got[1]


def label(number: int, company: str | None) -> str:
    """How an example in an answer names the interview the user meant: `#3` or `Acme`."""
    return company if company is not None else f"#{number}"



# Kind words: lower case with spaces, hyphens and underscores removed -> the canonical kind.
KIND_WORDS: dict[str, str] = {
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
TO = re.compile(r"(?:^|(?<=\s))to(?:\s*:|\s)", re.IGNORECASE)


def kind_and_to(command: str, number: int, rest: str) -> tuple[str | None, str | None] | GrammarError:
    kind_text, to = rest, None
    if m := TO.search(rest):
        kind_text, to = rest[: m.start()], rest[m.end() :].strip()
        if not to:
            return GrammarError(f"To whom? Example: /interview {command} #{number} thank-you to: Jane")
        if error := over_limit("name", to):
            return error
    key = re.sub(r"[\s_-]+", "", kind_text.lower())
    if not key:
        return None, to
    kind = KIND_WORDS.get(key)
    if kind is None:
        guess = closest(key, KIND_WORDS)
        hint = f' Did you mean "{KIND_WORDS[guess]}"?' if guess else ""
        kinds = DRAFT_KIND_NAMES if command == "draft" else STEP_KIND_NAMES
        return GrammarError(f"Unknown kind {quoted(kind_text.strip())}.{hint} Kinds: {kinds}.")
    return kind, to


DRAFT_KIND_NAMES = ", ".join(k.value for k in DraftKind)
STEP_KIND_NAMES = ", ".join(k.value for k in StepKind if k is not StepKind.NO_REPLY)
