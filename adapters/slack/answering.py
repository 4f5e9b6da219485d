"""What answering a member needs from the Slack app, whether they typed a command in a DM or pressed
a button: the core, who they are, background work, their DM, their home tab and files."""

from __future__ import annotations

from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.core import Service
from adapters.slack.people import People
from adapters.slack.trust import DirectMessages
from bot.replies import FileOut

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


class Answering(Protocol):
    service: Service
    people: People
    background: Background
    dms: DirectMessages

    async def publish_home(self, client: AsyncWebClient, team: str, user: str) -> None: ...

    async def send_files(self, client: AsyncWebClient, team: str, user: str, files: list[FileOut],
                         about: str = "") -> None: ...
