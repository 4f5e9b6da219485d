"""`python -m bench proofreader`: the proofreader's figures.

- false positives: the share of a careers vocabulary (tests/data/careers_vocabulary.txt, real
  words of tech, data, business, finance, HR, healthcare and nonprofits as people type them) that
  the spelling check flags, and of a held-out one written after the word lists were (mostly brand
  names: what a community's own word list is for);
- catch rate: mistakes planted in built-in drafts (a letter swapped with the next, dropped or
  doubled, a vowel changed; a word typed twice; a full stop or comma doubled), generated with a
  fixed seed: how many the proofreader flags, and how often its suggestion is the word meant. A
  swap that makes another real word ("form" for "from") cannot be caught by a spelling check; it is
  counted apart.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.domain import DraftKind, Tone
from bot.drafts.proofread import excluded_words_for, proofread
from bot.drafts.render import render_drafts
from bot.drafts.samples import sample_candidate, sample_interview
from bot.drafts.spelling import dictionary, misspellings
from bot.replies import Draft

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
VOCABULARY = DATA / "careers_vocabulary.txt"
HELD_OUT = DATA / "careers_vocabulary_heldout.txt"  # written after words/careers.txt, never fed into it
VOWELS = "aeiou"
_WORD = re.compile(r"\b[a-z]{4,}\b")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
MAY_DOUBLE = {"had", "that"}  # typed twice, these can be right


def careers_vocabulary(path: Path = VOCABULARY) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


def false_positives(entries: list[str]) -> list[str]:
    """The entries the spelling check flags (with no user or community words)."""
    return [entry for entry in entries if misspellings(entry, (), suggest=False)]


@dataclass(frozen=True)
class Planted:
    kind: str  # "swap", "drop", "double", "vowel", "doubled word", "doubled mark"
    meant: str  # the word (or text) as it should be
    wrong: str  # as planted
    draft: Draft  # the draft with the mistake in it
    real_word: bool  # the planted word is itself a word: no spelling check can see it


def _mutations(word: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    i = rng.randrange(len(word) - 1)
    if word[i] != word[i + 1]:
        yield "swap", word[:i] + word[i + 1] + word[i] + word[i + 2:]
    j = rng.randrange(1, len(word))
    yield "drop", word[:j] + word[j + 1:]
    yield "double", word[:j] + word[j] + word[j:]
    vowels = [k for k, c in enumerate(word) if c in VOWELS]
    if vowels:
        k = rng.choice(vowels)
        yield "vowel", word[:k] + rng.choice([v for v in VOWELS if v != word[k]]) + word[k + 1:]


def builtin_drafts() -> list[Draft]:
    interview, candidate = sample_interview(), sample_candidate()
    return [draft for kind in DraftKind if kind is not DraftKind.LINKEDIN for tone in Tone
            for draft in render_drafts(kind, interview, candidate, tone)[:1]]


def planted_mistakes(seed: int = 7, per_draft: int = 40) -> list[Planted]:
    rng = random.Random(seed)
    words = dictionary()
    out: list[Planted] = []
    for draft in builtin_drafts():
        body = draft.body
        end = body.rfind("\n\n")  # the sign-off and signature: the user's own name and address
        addresses = [m.span() for m in _ADDRESS.finditer(body)]
        candidates = [m for m in _WORD.finditer(body[:end]) if m.group(0) in words and m.group(0) not in MAY_DOUBLE
                      and not any(a <= m.start() < b for a, b in addresses)]
        for match in rng.sample(candidates, min(per_draft, len(candidates))):
            word = match.group(0)
            for kind, wrong in _mutations(word, rng):
                text = body[: match.start()] + wrong + body[match.end():]
                out.append(Planted(kind, word, wrong, Draft(draft.kind, draft.to_name, None, draft.subject, text),
                                   wrong in words))
            text = body[: match.end()] + " " + word + body[match.end():]
            out.append(Planted("doubled word", word, f"{word} {word}",
                               Draft(draft.kind, draft.to_name, None, draft.subject, text), False))
        stops = [m.start() for m in re.finditer(r"[a-z][.,](?= [A-Za-z])", body)]
        for stop in rng.sample(stops, min(5, len(stops))):
            mark = body[stop + 1]
            text = body[: stop + 2] + mark + body[stop + 2:]
            out.append(Planted("doubled mark", mark, mark * 2, Draft(draft.kind, draft.to_name, None, draft.subject,
                                                                   text), False))
    return out


def caught(item: Planted) -> tuple[bool, bool]:
    """(the proofreader flags the planted mistake, its suggestion is what was meant)."""
    interview, candidate = sample_interview(), sample_candidate()
    [checked] = proofread([item.draft], DraftKind(item.draft.kind), excluded_words_for(interview, candidate),
                          candidate=candidate)
    if item.kind == "doubled word":
        hit = [p for p in checked.problems if p.startswith("A word is typed twice") and f"“{item.wrong}”" in p]
        return bool(hit), bool(hit) and f"did you mean “{item.meant}”" in hit[0]
    if item.kind == "doubled mark":
        hit = [p for p in checked.problems if p.startswith("Doubled punctuation")]
        return bool(hit), bool(hit)
    found = re.compile(rf"“{re.escape(item.wrong)}('s)?” \(did you mean “{re.escape(item.meant)}('s)?”")
    hit = [p for p in checked.problems if p.startswith("Check the spelling")
           and re.search(rf"“{re.escape(item.wrong)}('s)?”", p)]
    suggested = bool(hit) and found.search(hit[0]) is not None
    return bool(hit), suggested


@dataclass
class Figures:
    vocabulary: int
    flagged: list[str]
    by_kind: Counter[str]
    caught_by_kind: Counter[str]
    suggested_by_kind: Counter[str]
    real_words: int

    @property
    def false_positive_rate(self) -> float:
        return len(self.flagged) / self.vocabulary

    def catch_rate(self, *, real_words: bool) -> float:
        total = sum(self.by_kind.values()) - (0 if real_words else self.real_words)
        return sum(self.caught_by_kind.values()) / total


def figures(seed: int = 7) -> Figures:
    vocabulary = careers_vocabulary()
    by_kind: Counter[str] = Counter()
    caught_by: Counter[str] = Counter()
    suggested_by: Counter[str] = Counter()
    real = 0
    for item in planted_mistakes(seed):
        by_kind[item.kind] += 1
        if item.real_word:
            real += 1
            continue
        hit, suggested = caught(item)
        caught_by[item.kind] += hit
        suggested_by[item.kind] += suggested
    return Figures(len(vocabulary), false_positives(vocabulary), by_kind, caught_by, suggested_by, real)


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    result = figures()
    listed = ": " + ", ".join(result.flagged) if result.flagged else ""
    print(f"careers vocabulary: {result.vocabulary} entries, {len(result.flagged)} flagged "
          f"({result.false_positive_rate:.1%} false positives){listed}")
    held_out = careers_vocabulary(HELD_OUT)
    flagged = false_positives(held_out)
    print(f"held-out vocabulary: {len(held_out)} entries, {len(flagged)} flagged "
          f"({len(flagged) / len(held_out):.1%}): {', '.join(flagged)}")
    total = sum(result.by_kind.values())
    print(f"planted mistakes: {total}, of which {result.real_words} make another real word")
    for kind in sorted(result.by_kind):
        n = result.by_kind[kind]
        print(f"  {kind:13} {n:5}  caught {result.caught_by_kind[kind]:5}  suggestion right "
              f"{result.suggested_by_kind[kind]:5}")
    print(f"catch rate: {result.catch_rate(real_words=False):.1%} of mistakes that are not real words, "
          f"{result.catch_rate(real_words=True):.1%} of all")
    suggested = sum(result.suggested_by_kind.values()) / max(1, sum(result.caught_by_kind.values()))
    print(f"the first suggestion is the word meant for {suggested:.1%} of those caught")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0
