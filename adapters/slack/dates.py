"""Times in the viewer's own terms: Slack date tokens for the times a reply mentions.

`<!date^UNIX^{date_short_pretty} at {time}|Tue Dec 1, 14:00 CET>` shows "Today at 2:00 PM" (or
"Dec 1st at 14:00", as the viewer's locale and clock say) in their own zone; the words after `|`
are the fallback wherever Slack cannot render it. Tokens go where Slack renders mrkdwn (the text of
sections and context blocks); the notification text, button labels and drafts (text for an
e-mail) keep the core's words. Which words are which moment comes from the reply's time marks
(bot.time_marks), never from reading the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.time_marks import TimeMark

DATE_FORMAT = "{date_short_pretty} at {time}"


def date_token(mark: TimeMark, escape: Callable[[str], str]) -> str:
    fallback = escape(mark.text).replace("|", "/")
    return f"<!date^{int(mark.at.timestamp())}^{DATE_FORMAT}|{fallback}>"


def with_dates(escaped: str, marks: Sequence[TimeMark], escape: Callable[[str], str], limit: int) -> str:
    """`escaped` (text already escaped with `escape`) with each marked day and time as a date token,
    in one pass (a token's fallback is never rewritten); unchanged if the result would pass `limit`
    characters."""
    tokens = {escape(m.text): date_token(m, escape) for m in marks if not m.relative and m.text.strip()}
    if not tokens:
        return escaped
    pattern = re.compile("|".join(re.escape(words) for words in sorted(tokens, key=len, reverse=True)))
    out = pattern.sub(lambda match: tokens[match.group(0)], escaped)
    return out if len(out) <= limit else escaped
