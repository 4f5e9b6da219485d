"""Slack's requests checked before anything reads them: the signature, its age, and replays.

Slack signs each request: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret,
"v0:<timestamp>:<raw body>")>` with `X-Slack-Request-Timestamp`. A request whose headers are
missing or malformed, whose timestamp is more than 5 minutes away, or whose signature does not
match is refused with 401 before its body is parsed, and logged in one short line (never its
body), at most a few lines a minute however many arrive.

A replayed request (the same signed bytes again, or a slash command or form submission with a
`trigger_id` already seen) within the 5-minute window is acknowledged and not run again: in this
process's memory, and on PostgreSQL in the database every process shares (seen_requests.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Mapping
from urllib.parse import parse_qs

from adapters.slack.seen_requests import SeenRequests

log = logging.getLogger(__name__)

WINDOW_SECONDS = 5 * 60  # Slack's own replay window for signatures
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
REFUSALS_PER_MINUTE = 5


class RefusalLog:
    """One bounded line per refused request, at most `per_minute` a minute; the rest counted and
    reported with the next line."""

    def __init__(self, per_minute: int = REFUSALS_PER_MINUTE) -> None:
        self.per_minute = per_minute
        self._window_start = 0.0
        self._logged = 0
        self._suppressed = 0
        self.total = 0

    def refused(self, reason: str, size: int, remote: str | None) -> None:
        self.total += 1
        now = time.monotonic()
        if now - self._window_start >= 60:
            self._window_start, self._logged = now, 0
        if self._logged >= self.per_minute:
            self._suppressed += 1
            return
        self._logged += 1
        more = f" (and {self._suppressed} more refused since the last line)" if self._suppressed else ""
        self._suppressed = 0
        log.warning("Slack request refused: %s; %d bytes from %s%s", reason, size, str(remote or "?")[:64], more)


class RequestCheck:
    """The signature check and the replay memory of one app."""

    def __init__(self, signing_secret: str, seen: SeenRequests | None = None) -> None:
        self._secret = signing_secret.encode()
        self.seen = seen or SeenRequests()
        self.refusals = RefusalLog()

    def problem(self, raw: bytes, headers: Mapping[str, str], now: float | None = None) -> str | None:
        """Why the request is not Slack's (None: it is)."""
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not timestamp or not signature:
            return "not signed"
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return "malformed signature headers"
        if abs((time.time() if now is None else now) - int(timestamp)) > WINDOW_SECONDS:
            return "signature too old"
        digest = hmac.new(self._secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(f"v0={digest}".encode(), signature.encode()):
            return "bad signature"
        return None

    async def first_time(self, raw: bytes, headers: Mapping[str, str]) -> bool:
        """False for a request seen before: the same signature, or the same trigger id of a slash
        command or form submission."""
        trigger = trigger_id(raw)
        keys = ["sig:" + headers.get("X-Slack-Signature", "")[3:67]] + (["trigger:" + trigger] if trigger else [])
        return await self.seen.first_time(keys)


def trigger_id(raw: bytes) -> str | None:
    """The trigger id of a slash command or a form submission (None for other requests)."""
    try:
        form = parse_qs(raw.decode("utf-8"), max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        return None
    if "command" in form:
        return _first(form.get("trigger_id"))
    payload = _first(form.get("payload"))
    if payload is None:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("type") == "view_submission":
        trigger = data.get("trigger_id")
        return trigger if isinstance(trigger, str) and trigger else None
    return None


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None
