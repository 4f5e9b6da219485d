"""The career-center staff's commands (`/interview admin defaults|template|words|stats ...`): which
one, and the rest of the line as that command reads it (bot/career_center/)."""

from __future__ import annotations

from bot.commands import Admin, GrammarError
from bot.typed_text import closest, quoted

ADMIN_SUBS = ("defaults", "template", "words", "stats")


def parse_admin(rest: str) -> Admin | GrammarError:
    rest = rest.strip()
    parts = rest.split(None, 1)
    if not parts:
        return GrammarError("Which admin command: defaults, template, words or stats? Example: /interview admin stats")
    sub = parts[0].lower()
    if sub not in ADMIN_SUBS:
        guess = closest(sub, ADMIN_SUBS)
        hint = f' Did you mean "{guess}"?' if guess else ""
        return GrammarError(f"Unknown admin command {quoted(sub)}.{hint} Try /interview help admin.")
    return Admin(sub=sub, args=parts[1].strip() if len(parts) > 1 else "")
