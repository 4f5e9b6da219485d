"""Buttons say what they act on; every image has alternative text."""

from __future__ import annotations

from adapters.discord.views import attachment
from bot.replies import FileOut
from tests.discord.conftest import Harness
from tests.discord.fake_discord import buttons


async def test_buttons_repeated_in_every_reminder_dm_name_their_interview(harness: Harness) -> None:
    ana = harness.ana
    await harness.add(ana, "company: Horizon Marketing; role: Marketing Coordinator; when: today 10:00")
    await harness.add(ana, "company: Acme Labs; role: Data Analyst; when: today 9:00")
    assert (await harness.dispatcher().run_once()).delivered == 2
    actions = [b["label"] for m in harness.fake.dms_to(ana) for b in buttons(m) if not b.get("url")]
    assert len(actions) >= 10
    assert len(set(actions)) == len(actions), "no two buttons read the same"
    assert all(label.endswith(("(#1)", "(#2)")) for label in actions), actions


async def test_the_staff_chart_comes_with_alternative_text(harness: Harness) -> None:
    fake, guild = harness.fake, harness.guild
    for name in ("ana", "ben", "cleo", "dev", "eli"):
        member = fake.add_user(name)
        await harness.add(member, "company: Horizon Marketing; role: Analyst; when: today 9:00")
    answered = await fake.slash(harness.ana, "interview-admin stats", guild_id=guild, admin=True)
    images = [a for m in answered.messages() for a in m.get("attachments", []) if a["filename"].endswith(".png")]
    assert len(images) == 1, answered.text()
    assert "monthly figures" in images[0]["description"] and "2026-12" in images[0]["description"]
    assert not fake.rejections


def test_an_image_without_words_from_the_core_still_says_what_it_is() -> None:
    image = attachment(FileOut("picture.png", b"\x89PNG", "image/png"))
    assert image.description and "picture.png" in image.description
    long = attachment(FileOut("chart.png", b"\x89PNG", "image/png", alt="figures " * 300))
    assert long.description is not None and len(long.description) <= 1024
    assert attachment(FileOut("export.json", b"{}", "application/json")).description is None
