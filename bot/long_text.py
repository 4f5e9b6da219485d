"""A form's long free text (an admin's template) in several boxes, and back in one piece.

One text input holds a few thousand characters (Slack 3,000, Discord 4,000), a template up to
40,000. A platform shows the text in consecutive boxes cut at line ends, each filled short of its
limit so there is room to edit, plus one empty box to continue in; on submit the boxes are joined
back in order. Box keys: `text`, then `text.2`, `text.3`, ...; a key ending in `.same-line`
continues its predecessor's line (a line longer than a box was cut inside it). Joining what comes
back gives the text exactly, whatever its length or line ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FREE_TEXT = "text"  # a form's one multi-line field whose text is the command's argument
NEXT_BOX = "."  # text.2, text.3, ...
SAME_LINE = ".same-line"


@dataclass(frozen=True)
class Box:
    key: str
    number: int  # 1, 2, ...
    text: str  # what the box starts with ("" for the spare box)
    of: int  # how many boxes hold the text (the spare box not counted)

    def label(self, field: str) -> str:
        """`Template`, `Template, part 2`, or for the spare box `Template, continued (...)`."""
        if self.number > self.of:
            return f"{field}, continued (if you need more room)"
        return field if self.of == 1 else f"{field}, part {self.number}"


def split_at_lines(text: str, size: int) -> list[tuple[str, str]]:
    """A long text as (piece, separator before it) pairs of at most `size` characters, cut at the
    last line end that fits (the line end is the separator); a line longer than `size` is cut
    inside it (no separator). Joining the separators and pieces gives the text back exactly."""
    pieces: list[tuple[str, str]] = []
    before = ""
    rest = text
    while len(rest) > size:
        cut = rest.rfind("\n", 0, min(size + 1, len(rest) - 1))  # never leave an empty last piece
        if cut > 0:
            pieces.append((rest[:cut], before))
            rest, before = rest[cut + 1:], "\n"
        else:
            pieces.append((rest[:size], before))
            rest, before = rest[size:], ""
    pieces.append((rest, before))
    return pieces


def boxes(text: str, fill: int, most: int | None = None, limit: int | None = None) -> list[Box] | None:
    """The boxes for `text`: each starts with at most `fill` characters, and a spare one follows
    when there is room for it. With at most `most` boxes (a Discord modal holds 5), a text that
    does not fit is tried again filling each box up to `limit`; None when it does not fit at all."""
    for size in (fill, limit or fill):
        pieces = split_at_lines(text, size) if text else [("", "")]
        if most is None or len(pieces) <= most:
            break
    else:
        return None
    out = [Box(_key(n, before), n, piece, len(pieces)) for n, (piece, before) in enumerate(pieces, start=1)]
    if text and (most is None or len(out) < most):
        out.append(Box(_key(len(out) + 1, "\n"), len(out) + 1, "", len(pieces)))
    return out


def _key(number: int, before: str) -> str:
    if number == 1:
        return FREE_TEXT
    return f"{FREE_TEXT}{NEXT_BOX}{number}" + ("" if before else SAME_LINE)


def joined(values: Mapping[str, str]) -> dict[str, str]:
    """The answers with a free text typed over several boxes (`text`, `text.2`, ...) as one
    `text` answer, the boxes joined in order; empty boxes add nothing."""
    parts: list[tuple[int, str, str]] = []
    out: dict[str, str] = {}
    for key, value in values.items():
        if key == FREE_TEXT:
            parts.append((1, "", value))
            continue
        head, dot, tail = key.partition(NEXT_BOX)
        number = tail.removesuffix(SAME_LINE)
        if head == FREE_TEXT and dot and number.isdigit() and int(number) > 1:
            parts.append((int(number), "" if tail.endswith(SAME_LINE) else "\n", value))
        else:
            out[key] = value
    text = ""
    for _, before, value in sorted(parts):
        if value:
            text += (before if text else "") + value
    if parts:
        out[FREE_TEXT] = text
    return out
