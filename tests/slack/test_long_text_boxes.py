"""A form's free text split over Slack inputs and joined back: any text, any length, unchanged."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.slack.modals import INPUT_ACTION, INPUT_MAX_CHARS, text_boxes
from bot.long_text import joined as joined_text

lines = st.lists(st.one_of(st.text(max_size=80), st.text(min_size=2000, max_size=7000, alphabet="ab {}#%\t")),
                 max_size=60)


def submitted(boxes: list[dict[str, object]]) -> dict[str, str]:
    """What Slack sends back for boxes left as they were opened (empty boxes send nothing)."""
    out: dict[str, str] = {}
    for box in boxes:
        element = box["element"]
        assert isinstance(element, dict) and element["action_id"] == INPUT_ACTION
        if element.get("initial_value"):
            out[str(box["block_id"])] = element["initial_value"]
    return out


@settings(max_examples=300, deadline=None)
@given(lines)
@example(["a" * 2400, ""]).via("a line end just past a box")
@example(["a" * 2399, "", ""]).via("blank lines at a box's end")
def test_any_text_fits_slacks_inputs_and_comes_back_unchanged(parts: list[str]) -> None:
    text = "\n".join(parts)
    boxes = text_boxes("Template (Jinja2)", text, True, None)
    assert len(boxes) <= 100  # a modal's blocks
    assert all(len(str(b["element"].get("initial_value", ""))) <= INPUT_MAX_CHARS for b in boxes)  # type: ignore[union-attr]
    assert len({b["block_id"] for b in boxes}) == len(boxes)
    values = submitted(boxes)
    assert joined_text(values).get("text", "") == text


@given(st.text(max_size=500), st.text(max_size=500), st.text(max_size=500))
def test_text_typed_in_the_spare_box_goes_on_a_new_line(first: str, more: str, other: str) -> None:
    boxes = text_boxes("Template", first, True, None)
    values = {**submitted(boxes), str(boxes[-1]["block_id"]): more, "company": other}
    joined = joined_text(values)
    assert joined["company"] == other
    assert joined["text"] == "\n".join(p for p in (first, more) if p)
