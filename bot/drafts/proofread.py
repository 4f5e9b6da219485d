"""The proofreader every draft passes before it is shown (docs/follow-up-rules.md): unfilled
placeholders, a missing subject or signature, a signature with no way to reply, words typed twice,
doubled punctuation, a greeting that is a suffix or in lower case, sentences in a row that open
the same way, clichés, misspelled words (spelling.py), a length outside the guide's range, and
near-identical drafts to two people. Problems are short sentences shown with the draft, each
saying what was probably meant, never fixed silently.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from difflib import SequenceMatcher

from bot.domain import Candidate, DraftKind, Interview
from bot.drafts.spelling import Misspelling, dictionary, misspelled, misspellings, words_of
from bot.drafts.style_checks import (
    cliches,
    doubled_punctuation,
    doubled_words,
    greeting_problem,
    repeated_openers,
    reply_problem,
)
from bot.replies import Draft

LINKEDIN_LIMIT = 300  # LinkedIn's limit for a connection note
NEAR_IDENTICAL = 0.9  # difflib ratio between two bodies (names removed) that reads as a copy

# (min words, max words) of the paragraphs between greeting and sign-off.
WORD_RANGE: dict[DraftKind, tuple[int, int]] = {
    DraftKind.THANK_YOU: (80, 250),
    DraftKind.CHECK_IN: (50, 200),
    DraftKind.CHECK_IN_2: (25, 120),
    DraftKind.TIMELINE: (50, 200),
    DraftKind.REJECTION: (40, 200),
    DraftKind.STAY_IN_TOUCH: (50, 220),
}
PARAGRAPH_RANGE: dict[DraftKind, tuple[int, int]] = {DraftKind.THANK_YOU: (2, 4)}

SIGN_OFFS = (
    "sincerely", "best", "best regards", "kind regards", "regards", "warm regards", "thanks",
    "thank you", "cheers", "all the best", "best wishes", "many thanks", "thanks again", "yours",
    "respectfully", "warmly",
)  # fmt: skip

_PLACEHOLDERS = [
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\}\}|\{%|%\}"),
    re.compile(r"\[[^\]\n]{0,60}\]|\[|\]"),
    re.compile(r"<(?![^>]*@)[A-Za-z][^<>\n]{0,40}>"),
    re.compile(r"\b(?:TODO|TBD|FIXME|XXX+)\b|\bLorem ipsum\b", re.IGNORECASE),
    # A value a program failed to fill, where a name or a noun belongs ("Dear None,", "about None."),
    # not the word in a sentence ("a null pointer", "None of the roles").
    re.compile(r"\b(?:Dear|Hi|Hello) (?P<slot>None|null|undefined|NaN)\b"),
    re.compile(r"\b(?:at|about|for|on|with|to|from|the) (?P<slot>None|undefined)(?=\s*(?:[,.;!?]|$))"),
]
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")


def excluded_words_for(interview: Interview, candidate: Candidate | None = None) -> set[str]:
    """Words the spelling check skips: names, titles, company, role, topics and e-mail addresses."""
    parts: list[str] = [interview.company, interview.role, *interview.topics]
    for person in interview.interviewers:
        parts += [person.name, person.honorific or "", person.title or "", person.topic or "", person.email or ""]
    if candidate is not None:
        parts += [candidate.name or "", candidate.email or ""]
    return words_of(" ".join(parts))


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def _is_sign_off(line: str) -> bool:
    return line.rstrip(",!. ").lower() in SIGN_OFFS or (line.endswith(",") and len(line.split()) <= 3)


def content_paragraphs(body: str) -> list[str]:
    """The paragraphs between the greeting ("Dear ...,") and the sign-off block ("Sincerely, ...")."""
    paras = paragraphs(body)
    if paras and "\n" not in paras[0] and paras[0].endswith(",") and len(paras[0].split()) <= 8:
        paras = paras[1:]
    if paras and _is_sign_off(paras[-1].split("\n")[0]):
        paras = paras[:-1]
    return paras


def word_count(body: str) -> int:
    return sum(len(_TOKEN.findall(p)) for p in content_paragraphs(body))


def _quote_list(items: list[str], limit: int = 5) -> str:
    shown = [f'"{item}"' for item in items[:limit]]
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {len(items) - limit} more)" if len(items) > limit else "")


def placeholders(text: str) -> list[str]:
    found: list[str] = []
    for pattern in _PLACEHOLDERS:
        for match in pattern.finditer(text):
            snippet = (match.group("slot") if "slot" in pattern.groupindex else match.group(0)).strip()
            if snippet and snippet not in found:
                found.append(snippet)
    return found


def _signature_problem(body: str, candidate: Candidate | None) -> str | None:
    tail = [line.strip() for line in body.strip().split("\n")[-4:] if line.strip()]
    if candidate is not None:
        name = " ".join((candidate.name or "").split()).lower()
        if not name:
            return "The signature has no name. Set your name with /interview settings name: ..."
        if not any(name in " ".join(line.split()).lower() for line in tail):
            return "The signature is missing: end the draft with your full name."
        return None
    if not tail or _is_sign_off(tail[-1]):
        return "The signature is missing: end the draft with your full name."
    return None


def _length_problems(draft: Draft, kind: DraftKind) -> list[str]:
    if kind is DraftKind.LINKEDIN:
        if len(draft.body) > LINKEDIN_LIMIT:
            return [f"The LinkedIn note is {len(draft.body)} characters; LinkedIn allows {LINKEDIN_LIMIT}."]
        return []
    problems: list[str] = []
    low, high = WORD_RANGE.get(kind, (0, 10_000))
    count = word_count(draft.body)
    name = kind.value
    if count < low:
        problems.append(f"The {name} is only {count} words; the guide suggests at least {low}.")
    elif count > high:
        problems.append(f"The {name} is {count} words; the guide suggests at most {high}, so keep it short.")
    if kind in PARAGRAPH_RANGE:
        pmin, pmax = PARAGRAPH_RANGE[kind]
        n = len(content_paragraphs(draft.body))
        if not pmin <= n <= pmax:
            problems.append(f"The {name} has {n} paragraph{'s' if n != 1 else ''}; aim for {pmin}–{pmax} short ones.")
    return problems


def _without_names(draft: Draft) -> list[str]:
    text = draft.body
    if draft.to_name:
        for part in sorted({draft.to_name, *draft.to_name.split()}, key=len, reverse=True):
            if len(part) > 1:
                text = re.sub(re.escape(part), " ", text, flags=re.IGNORECASE)
    return _TOKEN.findall(text.lower())


def _near_identical(drafts: list[Draft]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if len(drafts) < 2:
        return found
    tokens = [_without_names(d) for d in drafts]
    for i in range(len(drafts)):
        for j in range(i + 1, len(drafts)):
            matcher = SequenceMatcher(None, tokens[i], tokens[j], autojunk=False)
            if matcher.real_quick_ratio() <= NEAR_IDENTICAL or matcher.quick_ratio() <= NEAR_IDENTICAL:
                continue
            if matcher.ratio() > NEAR_IDENTICAL:
                found.setdefault(i, []).append(drafts[j].to_name or "another person")
                found.setdefault(j, []).append(drafts[i].to_name or "another person")
    return found


def sign_off_block(body: str) -> tuple[list[str], list[str]]:
    """(the sign-off lines, the signature lines after them) of a draft's last paragraph."""
    paras = paragraphs(body)
    if not paras:
        return [], []
    lines = [line.strip() for line in paras[-1].split("\n") if line.strip()]
    if lines and _is_sign_off(lines[0]):
        return lines[:1], lines[1:]
    return [], lines[-3:]


def _sign_offs(body: str) -> list[str]:
    """Every line of the draft that reads as a sign-off ("Best,", "Sincerely,") after the greeting."""
    lines = [line.strip() for line in body.split("\n")[1:] if line.strip()]
    return [line for line in lines if line.endswith(",") and line.rstrip(",!. ").lower() in SIGN_OFFS]


def style_problems(draft: Draft, kind: DraftKind, own_words: Collection[str] = ()) -> list[str]:
    """Doubled words and punctuation, the greeting, sentence openers, clichés, two sign-offs and a
    signature with no way to reply (not asked of a LinkedIn note). `own_words`: what the user typed
    (see `excluded_words_for`)."""
    text = f"{draft.subject or ''}\n{draft.body}"
    problems = doubled_words(text, own_words) + doubled_punctuation(text)
    greeting = greeting_problem(draft.body, draft.to_name)
    if greeting:
        problems.append(greeting)
    problems += repeated_openers(content_paragraphs(draft.body))
    problems += cliches(text)
    offs = _sign_offs(draft.body)
    if len(offs) > 1:
        problems.append(f"The draft signs off {len(offs)} times ({_quote_list(offs)}); keep the last one.")
    if kind is not DraftKind.LINKEDIN:
        _, signature = sign_off_block(draft.body)
        reply = reply_problem(signature)
        if reply:
            problems.append(reply)
    return problems


def spelling_problem(wrong: list[Misspelling], limit: int = 5) -> str:
    """`Check the spelling of "recieve" (did you mean "receive"?) and "zxq".`"""
    shown = []
    for item in wrong[:limit]:
        hint = " or ".join(f"“{s}”" for s in item.suggestions[:2])
        shown.append(f"“{item.word}”" + (f" (did you mean {hint}?)" if hint else ""))
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    more = f" (and {len(wrong) - limit} more)" if len(wrong) > limit else ""
    unknown = [item.word for item in wrong[:limit] if not item.suggestions]
    hint = (f" If {'it is' if len(unknown) == 1 else 'they are'} right, an admin can add "
            f"{'it' if len(unknown) == 1 else 'them'}: /interview admin words add {' '.join(unknown)}"
            if unknown else "")
    return f"Check the spelling of {text}{more}.{hint}"


def proofread(
    drafts: list[Draft],
    kind: DraftKind,
    excluded_words: set[str],
    *,
    candidate: Candidate | None = None,
) -> list[Draft]:
    """The drafts with `problems` filled (existing problems are kept first).

    `excluded_words` are skipped by the spelling check (see `excluded_words_for`); `candidate`, when
    given, is whose name must sign the draft (with no name set, the problem says how to set it).
    """
    kind = DraftKind(kind)
    twins = _near_identical(drafts)
    out: list[Draft] = []
    for index, draft in enumerate(drafts):
        problems: list[str] = []
        found = placeholders(f"{draft.subject or ''}\n{draft.body}")
        if found:
            problems.append(f"Unfilled placeholder{'s' if len(found) > 1 else ''}: {_quote_list(found, 3)}.")
        if kind is not DraftKind.LINKEDIN and not (draft.subject or "").strip():
            problems.append("The draft has no subject line.")
        signature = _signature_problem(draft.body, candidate)
        if signature:
            problems.append(signature)
        problems += style_problems(draft, kind, excluded_words)
        wrong = misspellings(f"{draft.subject or ''}\n{draft.body}", excluded_words)
        if wrong:
            problems.append(spelling_problem(wrong))
        problems += _length_problems(draft, kind)
        if index in twins:
            names = " and ".join(twins[index])
            problems.append(
                f"This draft is nearly identical to the one to {names}; vary it so they don't read as copies."
            )
        out.append(replace(draft, problems=(*draft.problems, *problems)))
    return out


__all__ = [
    "LINKEDIN_LIMIT",
    "content_paragraphs",
    "dictionary",
    "excluded_words_for",
    "misspelled",
    "misspellings",
    "placeholders",
    "proofread",
    "sign_off_block",
    "spelling_problem",
    "style_problems",
    "word_count",
    "words_of",
]
