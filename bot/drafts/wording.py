"""Choosing a wording for each sentence of a note, so that no two sentences in a row open alike.

A template gives every sentence ten wordings and each person of a panel a variant (their index,
moved on by one each round), so notes to up to ten people share no sentence. `in_turn` picks the
variant's wording of each sentence unless it would open the way the sentence before it does:
- within a paragraph, with the same first word ("I enjoyed ... I am ...");
- across a paragraph break, with the same two words ("Our conversation about ... was a highlight.
  / Our conversation confirmed ..."), or as the third sentence in a row with the same first word;
then it takes the next wording that does not. The built-in templates' wordings are written so the
variant's own wording always fits (tests/test_drafts_wording.py renders every combination); the
picker keeps a community's template, or a typed point that opens a sentence, from repeating.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.drafts.style_checks import sentence_openers

# One sentence of a paragraph: its wordings, or one fixed sentence; "" or [] leaves it out.
Sentence = Sequence[str] | str


def clashes(before: list[list[str]], opener: list[str], new_paragraph: bool) -> bool:
    """Whether a sentence opening with `opener` (its first two words, lower case) may not follow
    the sentences whose openers are `before`, in this paragraph or, `new_paragraph`, after a
    paragraph break (see the module docstring)."""
    if not before or not opener:
        return False
    last = before[-1]
    if not new_paragraph:
        return last[:1] == opener[:1]
    if len(opener) == 2 and last == opener:
        return True
    return len(before) >= 2 and before[-2][:1] == last[:1] == opener[:1]


def _wordings(sentence: Sentence) -> list[str]:
    if isinstance(sentence, str):
        return [sentence] if sentence.strip() else []
    return [str(w) for w in sentence if str(w).strip()]


def in_turn(paragraphs: Sequence[Sequence[Sentence]], variant: int) -> list[str]:
    """Each paragraph's sentences joined by a space, with wording `variant` of each sentence, or the
    next one that opens differently from the sentence before it (see the module docstring). An
    empty paragraph is ""."""
    written: list[list[str]] = []  # the opener of every sentence so far
    out: list[str] = []
    for paragraph in paragraphs:
        chosen: list[str] = []
        for sentence in paragraph:
            options = _wordings(sentence)
            if not options:
                continue
            start = int(variant) % len(options)
            new_paragraph = not chosen
            pick = options[start]
            for step in range(len(options)):
                candidate = options[(start + step) % len(options)]
                openers = sentence_openers(candidate)
                if not clashes(written, openers[0] if openers else [], new_paragraph):
                    pick = candidate
                    break
            written.extend(sentence_openers(pick))
            chosen.append(pick.strip())
        out.append(" ".join(chosen))
    return out


__all__ = ["clashes", "in_turn"]
