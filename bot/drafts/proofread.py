"""The proofreader every draft passes before it is shown (docs/follow-up-rules.md): unfilled placeholders, a missing
subject or signature, misspelled words, a length outside the guide's range, and near-identical
drafts to two people. Problems are short sentences shown with the draft, never fixed silently.

The word list is SCOWL's American and British English (Debian's wamerican and wbritish, see
words/LICENSE-SCOWL.txt), lowercased, in words/en.txt, plus words/extra.txt; loaded once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from bot.domain import Candidate, DraftKind, Interview
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
    re.compile(r"(?<![\w.])(?:None|null|undefined)(?=[\s,.;]|$)(?!\s+(?:of|at|is|was|were|has|have)\b)"),
]
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """Every known lowercase word (about 75,000), loaded once."""
    folder = resources.files("bot.drafts").joinpath("words")
    words: set[str] = set()
    for name in ("en.txt", "extra.txt"):
        text = folder.joinpath(name).read_text("utf-8")
        words.update(w for w in text.split("\n") if w and not w.startswith("#"))
    return frozenset(words)


def words_of(text: str) -> set[str]:
    """The lowercase words of a user-given text (names, company, role, topics), for exclusion."""
    found = {w.lower().replace("’", "'") for w in _TOKEN.findall(text)}
    return found | {w.removesuffix("'s") for w in found}


def excluded_words_for(interview: Interview, candidate: Candidate | None = None) -> set[str]:
    """Words the spelling check skips: names, titles, company, role, topics and e-mail addresses."""
    parts: list[str] = [interview.company, interview.role, *interview.topics]
    for person in interview.interviewers:
        parts += [person.name, person.honorific or "", person.title or "", person.topic or "", person.email or ""]
    if candidate is not None:
        parts += [candidate.name or "", candidate.email or ""]
    return words_of(" ".join(parts))


def _known(word: str, words: frozenset[str], excluded: set[str]) -> bool:
    low = word.lower().replace("’", "'")
    if low in words or low in excluded:
        return True
    for suffix in ("'s", "'"):
        if low.endswith(suffix) and (low[: -len(suffix)] in words or low[: -len(suffix)] in excluded):
            return True
    if "'" in low:  # a contraction the list lacks: its parts
        head = low.split("'", 1)[0]
        return head in words or head in excluded
    return False


def misspelled(text: str, excluded: Iterable[str]) -> list[str]:
    """Words of `text` that are neither in the dictionary nor excluded, in order, once each."""
    words = dictionary()
    skip = {w.lower() for w in excluded}
    clean = _URL.sub(" ", _EMAIL.sub(" ", text))
    seen: list[str] = []
    for word in _WORD.findall(clean):
        if len(word) < 2 or (word.isupper() and len(word) <= 6):  # "I", initials, acronyms (SQL)
            continue
        if not word.isascii() and not word.replace("’", "'").isascii():
            continue  # words in other scripts or with accents: not this list's business
        if not _known(word, words, skip) and word not in seen:
            seen.append(word)
    return seen


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
            snippet = match.group(0).strip()
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
        wrong = misspelled(f"{draft.subject or ''}\n{draft.body}", excluded_words)
        if wrong:
            problems.append(f"Check the spelling of {_quote_list(wrong)}.")
        problems += _length_problems(draft, kind)
        if index in twins:
            names = " and ".join(twins[index])
            problems.append(
                f"This draft is nearly identical to the one to {names}; vary it so they don't read as copies."
            )
        out.append(replace(draft, problems=(*draft.problems, *problems)))
    return out
