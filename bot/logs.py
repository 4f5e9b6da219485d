"""How the processes log: plain lines for a terminal or one JSON object per line for a log
collector (`LOG_FORMAT=json`), personal data and secrets kept out of every record at INFO and
above, and a flood of the same error cut down to one line a minute with a count.

Nothing here knows a platform or a database: the entry point (`python -m bot`) installs it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_MESSAGE = 2000  # characters of one record's message; a longer one is cut (a body, a dump)
MAX_TRACEBACK = 8000  # characters of a traceback, its end kept
REPEAT_WINDOW = 60.0  # seconds: the same error is logged once per window, then counted
REPEAT_KEYS = 1024  # distinct errors remembered for the count

# What opens an account or acts for someone: withheld at every level, DEBUG included.
_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+"), "[token]"),  # Slack tokens
    (re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"), "[token]"),  # Discord
    (re.compile(r"(?i)\b(bearer|bot)\s+[A-Za-z0-9._~+/=-]{16,}"), r"\1 [token]"),
    (re.compile(r"(?i)(://[^/\s:@]*):[^@\s/]*@"), r"\1:[password]@"),  # a password in a URL
    (re.compile(r"https://hooks\.slack\.com/\S+"), "[response url]"),
)
# What may identify a person, and SQL parameters (which hold it): withheld at INFO and above.
_PERSONAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[e-mail]"),
    (re.compile(r"(?<![\w.:/-])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w.:/-])"), "[phone]"),  # 9 to 15 digits
    (re.compile(r"(?s)\[parameters: .*?\](?=\s*(?:\(Background|\[SQL|$))"), "[parameters withheld]"),
)


def redact(text: str, *, personal: bool = True) -> str:
    """`text` with tokens, passwords in URLs and response URLs replaced by a placeholder; and
    (`personal`) e-mail addresses, phone numbers and SQL parameters too."""
    for pattern, replacement in _SECRETS + (_PERSONAL if personal else ()):
        text = pattern.sub(replacement, text)
    return text


def safe_message(text: str, *, personal: bool = True) -> str:
    """`text` redacted and at most MAX_MESSAGE characters long. It is cut before it is redacted (a
    huge text is slow to search), with a margin so that nothing is cut in half unrecognised."""
    if len(text) <= MAX_MESSAGE:
        return redact(text, personal=personal)
    head = redact(text[: MAX_MESSAGE + 500], personal=personal)
    return head[:MAX_MESSAGE] + f"… [{len(text) - MAX_MESSAGE} more characters]"


def _bounded_traceback(text: str) -> str:
    """A traceback's end, where the error itself is said."""
    if len(text) <= MAX_TRACEBACK:
        return text
    return f"[{len(text) - MAX_TRACEBACK} characters before] …" + text[-MAX_TRACEBACK:]


class PersonalDataFilter(logging.Filter):
    """A record's message and exception text, bounded in length, never hold a secret; at INFO and
    above they hold no personal data either (see `redact`). A developer's DEBUG records keep the
    personal data they need to follow a problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        personal = record.levelno >= logging.INFO
        record.msg, record.args = safe_message(record.getMessage(), personal=personal), None
        if record.exc_info and record.exc_info[1] is not None:
            traceback = _bounded_traceback(logging.Formatter().formatException(record.exc_info))
            record.exc_text = redact(traceback, personal=personal)
            record.exc_info = None  # the formatter uses exc_text, already made safe
        return True


class RepeatFilter(logging.Filter):
    """A warning or error that repeats (same logger, level, message template and exception type)
    is let through once per `window` seconds; the next one after that says how many were held back."""

    def __init__(self, window: float = REPEAT_WINDOW, now: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.window = window
        self._now = now
        self._seen: OrderedDict[tuple[object, ...], list[float]] = OrderedDict()  # key -> [since, held back]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        key = (record.name, record.levelno, str(record.msg), exc_type)
        now = self._now()
        seen = self._seen.get(key)
        if seen is not None and now - seen[0] < self.window:
            seen[1] += 1
            self._seen.move_to_end(key)
            return False
        held = int(seen[1]) if seen is not None else 0
        self._seen[key] = [now, 0]
        self._seen.move_to_end(key)
        while len(self._seen) > REPEAT_KEYS:
            self._seen.popitem(last=False)
        if held:
            record.msg = f"{record.getMessage()} (and {held} more like it in the last {self.window:.0f} s)"
            record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the exception
    (type and traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO", fmt: str = "plain", stream: TextIO | None = None) -> logging.Handler:
    """Send every record to `stream` (stderr) as plain lines or JSON (`fmt` "json"), through the
    repeat and personal-data filters. Replaces the root logger's handlers; returns the new one."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt.strip().lower() == "json" else logging.Formatter(PLAIN_FORMAT))
    handler.addFilter(RepeatFilter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler
