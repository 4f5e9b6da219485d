"""Slack libraries' logs kept to what an operator needs.

slack-sdk logs, at DEBUG and INFO, each Web API request and response whole (drafts, names),
response URLs (which let anyone post as the app for 30 minutes) and retry details; bolt logs a
request with a bad signature with its whole body at INFO, and unhandled requests with parts of
their payload. Whatever LOG_LEVEL says, these libraries log at WARNING and above only, each line
cut to `MAX_CHARS` with any response URL masked; the app's own lines say what happened.
"""

from __future__ import annotations

import logging
import re

LIBRARY_LOGGERS = ("slack_sdk", "slack_bolt")
MAX_CHARS = 300
_HOOK_URL = re.compile(r"https?://hooks\.slack\.com/\S*")


class _Bounded(logging.Filter):
    """Records at WARNING and above only, their message cut short, response URLs masked; no
    traceback locals or arguments beyond the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        message = _HOOK_URL.sub("https://hooks.slack.com/…", record.getMessage())
        if len(message) > MAX_CHARS:
            message = message[:MAX_CHARS] + "…"
        record.msg, record.args = message, None
        return True


BOUNDED = _Bounded()


def bolt_logger() -> logging.Logger:
    """The logger bolt is given (its middleware loggers copy its level and filter)."""
    logger = logging.getLogger("adapters.slack.bolt")
    logger.setLevel(logging.WARNING)
    if BOUNDED not in logger.filters:
        logger.addFilter(BOUNDED)
    return logger


def quiet_library_logs() -> None:
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        if BOUNDED not in logger.filters:
            logger.addFilter(BOUNDED)
