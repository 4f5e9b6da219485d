"""Career-center staff on Slack: workspace admins, and the members of the staff user group."""

from __future__ import annotations

import time

import pytest

from tests.slack.conftest import ALICE, BOB, Harness, running
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import texts

ADVISOR = "U0ADVISOR"  # career-center staff, not a workspace admin


async def staff_answer(slack: Harness, user: str) -> bool:
    shown = texts((await slack.ask("admin stats", user=user))["blocks"])
    return ":x:" not in shown


@pytest.mark.parametrize("setting", ["S0STAFF1", "career-staff", "@career-staff"])
async def test_members_of_the_staff_user_group_are_staff(fake_slack: FakeSlack, sqlite_url: str,
                                                         setting: str) -> None:
    fake_slack.add_user(ADVISOR, "America/Chicago", name="Ada Advisor")
    fake_slack.add_user("U0OWNER", "America/Chicago", admin=True, name="Workspace Owner")
    fake_slack.add_usergroup("S0STAFF1", "career-staff", [ADVISOR, BOB])
    fake_slack.add_usergroup("S0OTHER1", "alumni", [ALICE])
    async with running(fake_slack, sqlite_url, SLACK_STAFF_USERGROUP=setting) as slack:
        assert await staff_answer(slack, ADVISOR)
        assert await staff_answer(slack, BOB)
        assert await staff_answer(slack, "U0OWNER")  # admins still are
        assert not await staff_answer(slack, ALICE)  # in another group only
        calls = len(slack.fake.called("usergroups.users.list"))
        assert not await staff_answer(slack, ALICE)
        assert len(slack.fake.called("usergroups.users.list")) == calls  # kept for a while, not asked each time

        # Taken out of the group: no longer staff once the short memory has passed.
        slack.fake.usergroups["S0STAFF1"]["users"].remove(BOB)
        slack.server.bot.people.staff.clock = lambda: time.monotonic() + 61
        assert not await staff_answer(slack, BOB)


async def test_without_the_setting_or_when_slack_refuses_only_admins_are_staff(fake_slack: FakeSlack,
                                                                               sqlite_url: str) -> None:
    fake_slack.add_user(ADVISOR, "America/Chicago", name="Ada Advisor")
    fake_slack.add_usergroup("S0STAFF1", "career-staff", [ADVISOR])
    async with running(fake_slack, sqlite_url) as slack:
        assert not await staff_answer(slack, ADVISOR)
        assert slack.fake.called("usergroups.users.list") == []
    async with running(fake_slack, sqlite_url, SLACK_STAFF_USERGROUP="no-such-group") as slack:
        assert not await staff_answer(slack, ADVISOR)
    fake_slack.fail("usergroups.users.list", "missing_scope", times=5)
    async with running(fake_slack, sqlite_url, SLACK_STAFF_USERGROUP="S0STAFF1") as slack:
        assert not await staff_answer(slack, ADVISOR)
