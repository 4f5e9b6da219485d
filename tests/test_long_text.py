"""A form's long free text cut into boxes and joined back: exactly the text, whatever its length,
line lengths and line ends, within a platform's box limits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.long_text import FREE_TEXT, boxes, joined

LINES = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                         max_size=900), max_size=60)


@settings(max_examples=200, deadline=None)
@given(lines=LINES, fill=st.integers(20, 400), most=st.none() | st.integers(1, 8))
def test_boxes_joined_back_give_the_text_exactly(lines: list[str], fill: int, most: int | None) -> None:
    text = "\n".join(lines)
    made = boxes(text, fill, most=most, limit=fill + 50)
    if made is None:  # more than `most` boxes even when filled to the limit
        assert most is not None and len(text) > most * fill
        return
    assert all(len(b.text) <= fill + 50 for b in made)
    assert most is None or len(made) <= most
    assert [b.key for b in made][:1] == [FREE_TEXT]
    assert joined({b.key: b.text for b in made})[FREE_TEXT] == text


def test_what_is_typed_in_the_spare_box_starts_a_new_line() -> None:
    made = boxes("Subject: x\n\nDear {{ name }},", 12)
    assert made is not None and made[-1].text == "" and "continued" in made[-1].label("Template")
    answers = {b.key: b.text for b in made} | {made[-1].key: "Thanks."}
    assert joined(answers)[FREE_TEXT] == "Subject: x\n\nDear {{ name }},\nThanks."
