"""`/interview admin words [list | add <word> ... | remove <word> ...]`: the community's own word
list, which the proofreader's spelling check accepts in every member's drafts and in the
community's templates (its school's name, its programs, local employers, its jargon).

A word is letters (any alphabet), with inner apostrophes or hyphens, up to 40 characters; it is
kept in lower case and also covers its usual endings ("Handshake" covers "Handshake's").
"""

from __future__ import annotations

import re

from bot.drafts.spelling import dictionary
from bot.replies import Reply, Section
from bot.use_case import Context, refuse

USAGE = "/interview admin words [list | add <word> ... | remove <word> ...]"
MAX_WORD = 40
MAX_PER_COMMAND = 50
MAX_WORDS = 2_000  # words one community may keep
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _parse(text: str) -> list[str]:
    """The words of `text` (separated by spaces or commas), lower case; bad input is refused."""
    raw = [w for w in re.split(r"[\s,;]+", text.strip()) if w]
    if not raw:
        raise refuse(f"Which words? Example: /interview admin words add Handshake Kubeflow. Usage: {USAGE}")
    if len(raw) > MAX_PER_COMMAND:
        raise refuse(f"Up to {MAX_PER_COMMAND} words at a time (that was {len(raw)}).")
    bad = [w for w in raw if len(w) > MAX_WORD or not _WORD.fullmatch(w)]
    if bad:
        shown = ", ".join(f'"{w[:MAX_WORD]}"' for w in bad[:3])
        raise refuse(f"{shown} {'is not a word' if len(bad) == 1 else 'are not words'}: use letters, with "
                     f"apostrophes or hyphens inside, up to {MAX_WORD} characters.")
    return list(dict.fromkeys(w.lower().replace("’", "'") for w in raw))


async def words(ctx: Context, args: str) -> Reply:
    platform, community = ctx.actor.platform, ctx.actor.community
    parts = args.split(None, 1)
    action = parts[0].lower() if parts else "list"
    rest = parts[1] if len(parts) > 1 else ""
    if action in ("list", "show"):
        if rest.strip():
            raise refuse(f'"list" takes nothing more. Usage: {USAGE}')
        have = await ctx.tx.community_words(platform, community)
        if not have:
            return Reply(title="The community's word list is empty: the spelling check uses its own lists.",
                         sections=[Section(f"Add words with {USAGE.replace('[list | ', '').rstrip(']')}")])
        return Reply(title=f"The community's word list ({len(have)} word{'s' if len(have) != 1 else ''})",
                     sections=[Section(", ".join(have)), Section(f"Usage: {USAGE}")])
    if action == "add":
        wanted = _parse(rest)
        have = await ctx.tx.community_words(platform, community)
        if len(set(have) | set(wanted)) > MAX_WORDS:
            raise refuse(f"A community keeps up to {MAX_WORDS:,} words; remove some first.")
        added = await ctx.tx.add_community_words(platform, community, wanted, ctx.now)
        known = [w for w in wanted if w not in added]
        lines = []
        if known:
            lines.append("Already on the list: " + ", ".join(known) + ".")
        ordinary = [w for w in added if w in dictionary()]
        if ordinary:
            lines.append("Already known to the spelling check anyway: " + ", ".join(ordinary) + ".")
        title = (f"Added {len(added)} word{'s' if len(added) != 1 else ''} to the community's word list: "
                 + ", ".join(added) + ".") if added else "Nothing was added."
        return Reply(title=title, sections=[Section("\n".join(lines))] if lines else [])
    if action in ("remove", "delete"):
        wanted = _parse(rest)
        gone = await ctx.tx.remove_community_words(platform, community, wanted)
        missing = [w for w in wanted if w not in gone]
        title = (f"Removed {len(gone)} word{'s' if len(gone) != 1 else ''}: " + ", ".join(gone) + ".") if gone \
            else "Nothing was removed."
        sections = [Section("Not on the list: " + ", ".join(missing) + ".")] if missing else []
        return Reply(title=title, sections=sections)
    raise refuse(f'"{action[:40]}" is not something I can do with the word list. Usage: {USAGE}')


__all__ = ["USAGE", "words"]
