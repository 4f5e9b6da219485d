"""The fields of add and update (`key: value; ...`, `with:` for each person), read from text and
written back as text (forms and buttons build the same commands)."""

from __future__ import annotations

import re

from bot.commands import Fields, GrammarError, InterviewerSpec
from bot.domain import HONORIFICS, LIMITS, MAX_INTERVIEWERS, InterviewKind, Tone
from bot.several_people import split_people
from bot.typed_text import clean, closest, one_line, over_limit, quoted

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
    "they-promised",
    "remove",
    "news",
)
REQUIRED_ON_ADD = ("company", "role", "when")

ADD_EXAMPLE = "/interview add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm"


def split_pairs(
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
        text = one_line(text)
    pairs: list[tuple[str, str]] = []
    for index, piece in enumerate(text.split(";")):
        piece = piece.strip()
        if not piece:
            continue
        raw_key, colon, value = piece.partition(":")
        if not colon:
            if pairs or index:  # most likely a ';' inside a value
                return GrammarError(
                    f"{quoted(piece)} is not a {what}: write key: value (a ';' starts a new {what}; "
                    f"use ',' inside a value). Example: {example}"
                )
            return GrammarError(f"{quoted(piece)} is not a {what}: write key: value. Example: {example}")
        key = " ".join(raw_key.split()).lower()
        if not key:
            return GrammarError(f"A {what} name is missing before the ':' in {quoted(piece)}. Example: {example}")
        resolved = aliases.get(key, key)
        if resolved not in keys:
            guess = closest(key, keys)
            hint = f' Did you mean "{guess}"?' if guess else " Known: " + ", ".join(keys) + "."
            return GrammarError(f"Unknown {what} {quoted(key)}.{hint}")
        value = value.strip()
        if value:
            pairs.append((resolved, value))
    return _joined_by_commas(pairs, keys, aliases, what, example) or pairs


def _joined_by_commas(pairs: list[tuple[str, str]], keys: tuple[str, ...], aliases: dict[str, str], what: str,
                      example: str) -> GrammarError | None:
    """`company: Acme, role: Analyst`: a value holding `, key:` for a key given nowhere else was
    meant as two fields; the answer shows them separated with ';'."""
    given = {key for key, _ in pairs}
    names = "|".join(map(re.escape, sorted((*keys, *aliases), key=len, reverse=True)))
    joined = re.compile(rf",\s*(?=({names})\s*:)", re.IGNORECASE)
    for key, value in pairs:
        embedded = {aliases.get(m.group(1).lower(), m.group(1).lower()) for m in joined.finditer(value)}
        if embedded and not embedded & (given | {key}):
            fixed = f"{key}: " + joined.sub("; ", value)
            return GrammarError(f"Separate {what}s with ';', not ',': {quoted(fixed, 80)}. Example: {example}")
    return None


def no_repeats(pairs: list[tuple[str, str]], repeatable: tuple[str, ...] = ()) -> GrammarError | None:
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
    "promised-by-them": "they-promised",
    "promised by them": "they-promised",
    "they promised": "they-promised",
    "they said": "they-promised",
    "expecting": "they-promised",
    "without": "remove",
}
FIELD_ALIASES = tuple(_FIELD_ALIASES)


def parse_fields(text: str, example: str = ADD_EXAMPLE) -> Fields | GrammarError:
    """The `key: value; ...` part of add and update."""
    pairs = split_pairs(text, FIELD_KEYS, _FIELD_ALIASES, "field", example)
    if isinstance(pairs, GrammarError):
        return pairs
    error = no_repeats(pairs, repeatable=("with", "remove"))
    if error:
        return error
    values: dict[str, str] = {}
    people: list[InterviewerSpec] = []
    removed: list[str] = []
    for key, value in pairs:
        if key == "remove":
            if error := over_limit("name", value):
                return error
            removed.append(" ".join(value.split()))
            continue
        if key == "with":
            error = with_people(value, people)
            if error:
                return error
            if len(people) > MAX_INTERVIEWERS:
                return GrammarError(f"At most {MAX_INTERVIEWERS} interviewers (with:) per interview.")
            continue
        error = over_limit(key, value)
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
        tone_or_error = parse_tone(values["tone"])
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
            guess = closest(word, options)
            hint = f' Did you mean "{guess}"?' if guess else ""
            return GrammarError(f"Unknown kind {quoted(values['kind'])}.{hint} Kinds: {', '.join(options)}.")
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
        they_promised=values.get("they-promised"),
        remove=tuple(removed),
        news=values.get("news"),
    )


def with_people(value: str, people: list[InterviewerSpec]) -> GrammarError | None:
    """One `with:` value, which may name several people (bot.several_people), added to `people`."""
    texts = split_people(value)
    if isinstance(texts, GrammarError):
        return texts
    for text in texts:
        person = parse_interviewer(text)
        if isinstance(person, GrammarError):
            return person
        people.append(person)
    return None


def parse_tone(value: str) -> Tone | GrammarError:
    try:
        return Tone(value.strip().lower())
    except ValueError:
        return GrammarError(f'Tone is "formal" or "casual", not {quoted(value)}.')



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


def parse_email(raw: str, example: str = "<jane@horizon.example>") -> str | GrammarError:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if value.lower().startswith("mailto:"):  # Slack's <mailto:a@b.example|a@b.example>
        value = value[len("mailto:") :].split("|", 1)[0].strip()
    if len(value) > LIMITS["email"]:
        return GrammarError(f"An e-mail address is limited to {LIMITS['email']} characters.")
    if not _EMAIL.fullmatch(value):
        return GrammarError(f"{quoted(value)} is not an e-mail address. Example: {example}")
    return value


def parse_interviewer(text: str) -> InterviewerSpec | GrammarError:
    """`[honorific] name [(title)] [(recruiter)] [<email>] [about topic]`."""
    text = one_line(text).strip()
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
                return GrammarError(f"A ( is not closed in {quoted(text)}. Example: {example}")
            groups.append(("(", text[i + 1 : j - 1]))
            name_chars.append(" ")
            i = j
            continue
        if ch == "<":
            j = text.find(">", i + 1)
            if j < 0:
                return GrammarError(f"A < is not closed in {quoted(text)}. Example: {example}")
            groups.append(("<", text[i + 1 : j]))
            name_chars.append(" ")
            i = j + 1
            continue
        if ch == ")":
            return GrammarError(f"A ) has no ( in {quoted(text)}. Example: {example}")
        if ch in "aA" and (m := _ABOUT.match(text, i)):
            topic = _unquoted(text[m.end() :].strip())
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
    name = _unquoted(" ".join(words))
    if not name:
        return GrammarError(f"Each with: needs the person's name. Example: {example}")
    if any(c in name for c in "<>@"):
        return GrammarError(f"{quoted(name)} is not a name: a name has no <, > or @. Example: {example}")

    titles: list[str] = []
    recruiter = False
    email: str | None = None
    for kind, content in groups:
        if kind == "<":
            if email is not None:
                return GrammarError(f"One e-mail address per interviewer, please (for {quoted(name)}).")
            email_or_error = parse_email(content)
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
        if value is not None and (error := over_limit(key, value)):
            return error
    return InterviewerSpec(name=name, honorific=honorific, title=title, email=email, topic=topic, recruiter=recruiter)


def _unquoted(text: str) -> str:
    """A name or topic written in quotes so that its commas stay in it: the quotes taken off."""
    if len(text) >= 2 and (text[0], text[-1]) in (('"', '"'), ("“", "”")):
        return text[1:-1].strip()
    return text


# ---------------------------------------------------------------------------------------------
# Text from values (forms and buttons build commands with these)


def _safe(value: str) -> str:
    """A value as it can be written in a command: one line, no ';' (it would start a new field)."""
    return one_line(clean(value)).replace(";", ",").strip()


def _one_piece(value: str) -> str:
    """`value` quoted when its commas or "and" would otherwise be read as separating people."""
    read = split_people(value)
    return f'"{value}"' if isinstance(read, GrammarError) or len(read) != 1 or '"' in value else value


def format_interviewer(person: InterviewerSpec) -> str:
    parts = [person.honorific or "", _one_piece(_safe(person.name))]
    if person.title:
        parts.append(f"({_safe(person.title)})")
    if person.recruiter:
        parts.append("(recruiter)")
    if person.email:
        parts.append(f"<{_safe(person.email)}>")
    if person.topic:
        parts.append(f"about {_one_piece(_safe(person.topic))}")
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
    if fields.they_promised:
        pairs.append(("they-promised", fields.they_promised))
    pairs.extend(("remove", name) for name in fields.remove)
    if fields.news:
        pairs.append(("news", fields.news))
    return "; ".join(f"{key}: {_safe(value) if key != 'with' else value}" for key, value in pairs)
