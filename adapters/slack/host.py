"""What the app's handlers share (the bolt app's SlackBot in app.py holds it): the core, the
sealed metadata, the users.info cache, what this process trusts, background work; the home tab
and files sent to a member's DM."""

from __future__ import annotations

from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.core import Service
from adapters.slack.people import People
from adapters.slack.sealed import Seal
from adapters.slack.trust import DirectMessages, ResponseUrls, ViewOwners
from bot.replies import FileOut

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


class Host(Protocol):
    """What the handlers (the slash command, forms, buttons, the home tab, the Messages tab) share."""

    service: Service
    ack_budget: float  # seconds of Slack's 3 an answer may take to travel in the acknowledgement
    seal: Seal
    people: People
    response_urls: ResponseUrls
    dms: DirectMessages
    views: ViewOwners
    background: Background

    async def publish_home(self, client: AsyncWebClient, team: str, user: str) -> None: ...

    async def send_files(self, client: AsyncWebClient, team: str, user: str, files: list[FileOut],
                         about: str = "") -> None: ...
