"""Rendering a Reply for Discord: limits, splitting, buttons and their opaque ids (no network)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.modals import pick_fields
from adapters.discord.render import Owner, render, split_text
from adapters.discord.views import build_view, decode_action, encode_action
from bot.form_answers import command_from_form as command_from_submit
from bot.replies import Action, Draft, FormField, Link, Reply, Section


def within_limits(reply: Reply) -> None:
    for message in render(reply, content=reply.title):
        assert len(message.content or "") <= 2000
        assert len(message.embeds) <= 10
        assert sum(len(e) for e in message.embeds) <= 6000
        for embed in message.embeds:
            assert len(embed.description or "") <= 4096
            assert len(embed.title or "") <= 256
        assert len(message.rows) <= 5 and all(len(row) <= 5 for row in message.rows)
        assert all(len(b.label) <= 80 for row in message.rows for b in row)
        assert message.embeds or message.content or message.files


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=9000), st.integers(min_value=50, max_value=4096))
def test_split_text_keeps_every_word_within_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join(text.split()) == "".join("".join(pieces).split())


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400), st.lists(st.text(max_size=3000), max_size=12), st.integers(0, 30),
       st.integers(0, 12))
def test_any_reply_renders_within_discords_limits(title: str, bodies: list[str], actions: int, drafts: int) -> None:
    reply = Reply(
        title=title or "x",
        sections=[Section(b, title="Section") for b in bodies],
        drafts=[Draft("thank-you", f"Person {i}", f"p{i}@x.example", "Thanks", "Dear P,\n\n" + "word " * 700,
                      links=(Link("Gmail", "https://mail.google.com/?to=p" + "q" * 40 * i),))
                for i in range(drafts)],
        actions=[Action(f"Action {i}", f"snooze #{i} 1h") for i in range(actions)],
        notices=["A reminder could not be delivered"],
    )
    within_limits(reply)
    rendered = render(reply)
    shown_actions = [b for m in rendered for row in m.rows for b in row if b.command]
    assert len(shown_actions) == actions


def test_custom_ids_are_opaque_short_and_round_trip() -> None:
    owner = Owner(user_id=1_100_000_000_000_000_123, community="1_200_000_000_000_000_456".replace("_", ""))
    custom_id = encode_action(owner, "sent #12 thank-you to: Jane Richardson")
    assert custom_id is not None and len(custom_id) <= 100
    assert "thank-you" not in custom_id and "Jane" not in custom_id
    assert decode_action(custom_id) == (owner, "sent #12 thank-you to: Jane Richardson")
    assert decode_action(encode_action(Owner(5, "dm"), "draft #1") or "") == (Owner(5, "dm"), "draft #1")
    assert decode_action("ft:a:!!!") is None and decode_action("other") is None
    assert encode_action(owner, "x" * 200) is None


def test_a_button_too_long_for_a_custom_id_is_left_out_not_broken() -> None:
    messages = render(Reply(title="t", actions=[Action("Long", "sent #1 to: " + "x" * 200), Action("Ok", "draft #1")]))
    view = build_view(messages[-1].rows, Owner(1, "dm"))
    assert view is not None
    assert [getattr(item, "label", None) or item.item.label for item in view.children] == ["Ok (#1)"]  # type: ignore


def test_forms_keep_five_fields_required_first_and_build_command_text() -> None:
    fields = [FormField(k, k.title(), required=k in ("when", "company")) for k in
              ("topics", "company", "role", "length", "when", "with", "tone")]
    assert [f.key for f in pick_fields(fields)] == ["topics", "company", "role", "length", "when"]
    text = command_from_submit("add", {"company": "Acme; Inc", "role": "", "with": "Jane\n\nOmar (recruiter)"})
    assert text == "add company: Acme, Inc; with: Jane; with: Omar (recruiter)"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab _*~|`\\>#-[]()<>:/.\n https://x.io")), max_size=80))
def test_escaping_matches_discord_py_and_hides_every_markup_character(text: str) -> None:
    import re

    import discord

    from adapters.discord.render import escape

    assert escape(text) == discord.utils.escape_markdown(text, as_needed=False)
    assert re.sub(r"\\(.)", r"\1", escape(text), flags=re.S) == text
