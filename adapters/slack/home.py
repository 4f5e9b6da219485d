"""The App Home tab: the user's active interviews, their next steps and buttons, and a short guide."""

from __future__ import annotations

from typing import Any

from adapters.slack.blocks import (
    VIEW_BLOCKS,
    Block,
    action_blocks,
    context,
    escape,
    render_view_blocks,
    section,
)
from bot.replies import Action, Reply

GUIDE = (
    "*How Followthrough works*\n"
    "1. After an interview, log it: `/interview add` opens a form (or type "
    "`/interview add company: Horizon; role: Analyst; when: yesterday 2pm`).\n"
    "2. I DM you when a thank-you or a check-in is due, with drafts ready to copy.\n"
    "3. Press *Mark sent* when you have sent it, *Snooze* to be reminded later, "
    "*Heard back* when they answer.\n"
    "Type `/interview help` for every command."
)
MAX_INTERVIEW_ROWS = 20  # two blocks each


def interview_actions(number: int) -> list[Action]:
    """The buttons of one interview, as in a reminder DM."""
    return [
        Action("Mark sent", f"sent #{number}", "primary"),
        Action("Snooze 1 day", f"snooze #{number} 1d"),
        Action("Show drafts", f"draft #{number}"),
        Action("Heard: offer", f"heard #{number} offer"),
        Action("Heard: rejected", f"heard #{number} rejected"),
    ]


def home_view(listing: Reply, choices: list[tuple[int, str]], owner: str) -> dict[str, Any]:
    """The home tab from the answer to `list` (next steps and due times) and the user's
    interviews (one row of buttons each); the guide on top for a first-time user, else at the
    bottom."""
    top: list[Block] = [
        section("*Your interview follow-ups*"),
        *action_blocks([Action("Add an interview", "add", "primary"), Action("Settings", "settings")], owner),
    ]
    guide: list[Block] = [{"type": "divider"}, section(GUIDE)]
    if not choices:
        body = [
            {"type": "divider"},
            section(escape(listing.title)),
            context("Nothing to follow up yet: start with *Add an interview*."),
        ]
        return {"type": "home", "blocks": (top + guide + body)[:VIEW_BLOCKS]}
    rows: list[Block] = [{"type": "divider"}, section("*Quick actions*")]
    for number, label in choices[:MAX_INTERVIEW_ROWS]:
        rows.append(context(escape(label)))
        rows.extend(action_blocks(interview_actions(number), owner, about=label))
    budget = VIEW_BLOCKS - len(top) - len(rows) - len(guide) - 1
    listed = render_view_blocks(listing, owner, budget)
    blocks = top + [{"type": "divider"}] + listed + rows + guide
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS]}
