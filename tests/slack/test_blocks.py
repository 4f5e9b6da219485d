"""Block Kit rendering: within Slack's limits, nothing lost, the user's text escaped."""

from __future__ import annotations

import json
import re

from adapters.slack.blocks import (
    MESSAGE_BLOCKS,
    escape,
    read_button_value,
    render_message,
    render_view_blocks,
    split_text,
)
from adapters.slack.home import home_view
from adapters.slack.modals import form_view
from adapters.slack.sealed import Seal
from bot.form_answers import command_from_form as command_text
from bot.replies import Action, Draft, Form, FormField, Link, Reply, Section
from tests.slack.fake_slack import validate_blocks, validate_view
from tests.slack.signing import texts

WORDS = ("thank you for the conversation about the brand campaign launch and the social media "
         "report we discussed on Tuesday").split()


def long_draft(words: int = 2500) -> Draft:
    text = " ".join(WORDS[i % len(WORDS)] for i in range(words))
    paragraphs = [text[i : i + 900] for i in range(0, len(text), 900)]
    body = "Dear Ms. Richardson,\n\n" + "\n\n".join(paragraphs) + "\n\nSincerely,\nAlice Moreno"
    return Draft(kind="thank-you", to_name="Jane Richardson", to_email="jane@horizon.example",
                 subject="Thank you – Marketing Coordinator interview", body=body,
                 links=(Link("Gmail", "https://mail.google.com/mail/?view=cm&to=jane@horizon.example"),
                        Link("E-mail", "mailto:jane@horizon.example?body=" + "x" * 4000)))


def test_escape_neutralises_mentions_and_markup() -> None:
    assert escape("<!channel> & <@U123> <https://evil.example|click>") == (
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil.example|click&gt;"
    )
    for word in ("@here", "@channel", "@everyone", "@HERE"):
        out = escape(f"hi {word} team")
        assert word not in out and word[1:] in out


def test_split_text_keeps_every_word_and_respects_the_limit() -> None:
    raw = ("<b>&amp;</b> " * 900) + "\n\n" + "a" * 7000
    pieces = split_text(raw, 3000)
    assert all(len(escape(p)) <= 3000 for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == raw.replace(" ", "").replace("\n", "")


def test_a_2500_word_draft_is_split_and_passes_slacks_checks() -> None:
    reply = Reply(title="Your thank-you draft", drafts=[long_draft()],
                  actions=[Action("Mark sent", "sent #1 thank-you", "primary")])
    rendered = render_message(reply, "U1")
    for page in rendered.messages:
        assert validate_blocks(page, MESSAGE_BLOCKS) == []
    shown = texts([b for page in rendered.messages for b in page])
    body = reply.drafts[0].body
    assert len(body.split()) > 2500
    assert " ".join(body.split()) in " ".join(shown.split())  # every word, in order
    links = [e for page in rendered.messages for b in page if b["type"] == "actions" for e in b["elements"]]
    assert any(e.get("url", "").startswith("https://mail.google.com") for e in links)
    assert not any(len(e.get("url", "")) > 3000 for e in links)  # the over-long mailto: is left out
    assert "too long for a compose link" in shown


def test_a_reply_too_big_for_one_message_becomes_several_with_the_buttons_on_the_first() -> None:
    sections = [Section(f"#{i} Company {i} – Role: thank-you due tomorrow " + "x" * 200) for i in range(120)]
    reply = Reply(title="Your interviews", sections=sections, drafts=[long_draft() for _ in range(6)],
                  actions=[Action("Snooze 1 day", "snooze #1 1d")])
    rendered = render_message(reply, "U1")
    assert len(rendered.messages) > 1
    for page in rendered.messages:
        assert validate_blocks(page, MESSAGE_BLOCKS) == []
    assert rendered.messages[0][-1]["type"] == "actions"
    assert not any(b["type"] == "actions" and "block_id" in b for page in rendered.messages[1:] for b in page)
    shown = texts([b for page in rendered.messages for b in page])
    assert all(f"#{i} Company {i} " in shown for i in range(120))


def test_buttons_carry_the_command_and_the_owner_within_limits() -> None:
    reply = Reply(title="t", actions=[Action("A very long label " * 10, "snooze #3 tomorrow 09:00")])
    blocks = render_message(reply, "U0ALICE").first
    assert validate_blocks(blocks, MESSAGE_BLOCKS) == []
    button = blocks[-1]["elements"][0]
    assert len(button["text"]["text"]) <= 75
    assert read_button_value(button["value"]) == ("snooze #3 tomorrow 09:00", "U0ALICE")
    assert read_button_value("not json") is None


def test_fallback_text_is_escaped_too() -> None:
    rendered = render_message(Reply(title="Logged <!channel> @here"), "U1")
    assert "<!channel>" not in rendered.text and "@here" not in rendered.text
    assert "<!channel>" not in json.dumps(rendered.messages)


def test_forms_become_valid_modals_and_answers_become_commands() -> None:
    form = Form(command="add", title="Log an interview after the career fair", fields=(
        FormField("company", "Company", required=True, placeholder="p" * 400),
        FormField("with", "Interviewers", multiline=True),
        FormField("topics", "Topics"),
    ))
    view = form_view(form, "U1", "C1", Seal("secret"))
    assert validate_view(view) == []
    assert len(view["title"]["text"]) <= 24
    text = command_text("add", {"company": "Horizon; Inc", "with": "Jane Doe\n\nJohn Roe (CTO)",
                                "topics": "launch\nbudget", "role": "  "})
    assert text == "add company: Horizon, Inc; with: Jane Doe; with: John Roe (CTO); topics: launch, budget"
    assert command_text("settings", {"tz": ""}) == "settings"


def test_views_stay_within_100_blocks() -> None:
    reply = Reply(title="Everything", sections=[Section("line " * 700) for _ in range(150)],
                  actions=[Action("Mark sent", "sent #1")])
    blocks = render_view_blocks(reply, "U1")
    assert len(blocks) <= 100 and blocks[-1]["type"] == "actions"
    home = home_view(reply, [(n, f"#{n} Company – Role") for n in range(1, 60)], "U1")
    assert validate_view(home) == []


def test_block_ids_are_unique_in_a_home_view() -> None:
    home = home_view(Reply(title="x", sections=[Section("a")]), [(1, "#1 A – B"), (2, "#2 C – D")], "U1")
    ids = [b["block_id"] for b in home["blocks"] if "block_id" in b]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^ft-[0-9a-f]+-\d+$", i) for i in ids)
