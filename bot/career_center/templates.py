"""`/interview admin template <kind> [show | set <text> | preview [<text>] | revert [vN] | history]`:
a community's approved template for one kind of draft.

`set` is refused, with the reasons, when the template reaches beyond the variables offered
(template_rules), or when in any sample interview of the matrix (bot.drafts.matrix: every kind of
meeting, both tones, panels of 0, 1, 3 and 8, late or not, with and without each optional field)
it does not render within its budget or fails the proofreader; the answer names the failing sample
interviews. Rendering and checking run off the event loop, in template worker processes.
Every saved version is kept with who saved it and when; `revert` goes back to the built-in
template (or `revert v2` to an earlier version) by saving a new version. When a saved template
fails while rendering a member's draft (the member gets the built-in one), the admins see a notice
here until the template is saved or reverted again.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Iterable
from datetime import datetime

from bot.actor import Actor
from bot.career_center.records import TemplateNotice, TemplateVersion
from bot.career_center.template_rules import offered, reach_problems
from bot.domain import Candidate, DraftKind, Tone
from bot.drafts import builtin_template, check_template, render_drafts
from bot.drafts.samples import sample_candidate, sample_interview
from bot.ports import Store
from bot.replies import Action, FileOut, Form, FormField, Reply, Section
from bot.use_case import Context, Rejected, refuse

log = logging.getLogger(__name__)

ACTIONS = ("show", "set", "preview", "revert", "history")
MAX_TEMPLATE = 40_000  # characters of Jinja2 text: room to edit the longest built-in one
KIND_ALIASES = {"thankyou": "thank-you", "thanks": "thank-you", "checkin": "check-in", "checkin2": "check-in-2",
                "check-in2": "check-in-2", "timeline-update": "timeline", "rejection-reply": "rejection",
                "linked-in": "linkedin", "stayintouch": "stay-in-touch"}
KINDS = tuple(k.value for k in DraftKind)
USAGE = "/interview admin template <kind> [show | set <text> | preview | revert | history]"


def _kind(word: str) -> DraftKind:
    key = KIND_ALIASES.get(word.lower(), word.lower())
    if key in KINDS:
        return DraftKind(key)
    guess = difflib.get_close_matches(key[:40], KINDS, n=1, cutoff=0.6)
    hint = f' Did you mean "{guess[0]}"?' if guess else ""
    raise refuse(f'"{word[:40]}" is not a kind of draft.{hint} Kinds: {", ".join(KINDS)}.')


def variables_text() -> str:
    """`candidate (contact, email, ...), interview (...), ..., tone, late`: what a template sees."""
    parts = [f"{name} ({', '.join(sorted(fields))})" if fields else name for name, fields in offered().items()]
    return ", ".join(parts)


def template_text(raw: str) -> str:
    """The Jinja2 text as typed: in the console (one line) `\\n` stands for a new line."""
    text = raw.strip("\n")
    if "\n" not in text and "\\n" in text:
        text = text.replace("\\n", "\n")
    return text


def problems_of(kind: DraftKind, source: str, words: Iterable[str] = ()) -> list[str]:
    """Everything that keeps `source` from being saved; empty when it can be (`words`: the
    community's word list, for the spelling check). Blocks the calling thread for a few seconds
    (the whole matrix is rendered): see `problems_off_the_loop`."""
    if not source.strip():
        return ["The template is empty."]
    if len(source) > MAX_TEMPLATE:
        return [f"A template is limited to {MAX_TEMPLATE:,} characters (this one has {len(source):,})."]
    return reach_problems(source) or check_template(kind, source, words)


_CHECKED: dict[tuple[DraftKind, str, tuple[str, ...]], list[str]] = {}  # the latest checks, newest last
CHECKS_KEPT = 16


async def problems_off_the_loop(kind: DraftKind, source: str, words: Iterable[str] = ()) -> list[str]:
    """`problems_of` in a thread (the matrix renders in a worker), remembered for a while: the
    service checks a template before it opens the command's transaction (see `check_early`), so
    that other members' commands never wait on an admin's check."""
    key = (kind, source, tuple(sorted(words)))
    if key not in _CHECKED:
        problems = await asyncio.to_thread(problems_of, kind, source, key[2])
        _CHECKED[key] = problems
        while len(_CHECKED) > CHECKS_KEPT:
            del _CHECKED[next(iter(_CHECKED))]
    return _CHECKED[key]


async def check_early(store: Store, actor: Actor, args: str) -> None:
    """Before the transaction of an admin's `template <kind> set|preview <text>`: check the text
    over the whole matrix, so the command itself finds the answer ready. Anything it cannot read is
    left to the command, which says what is wrong."""
    parts = args.split(None, 2)
    if len(parts) < 3 or parts[1].lower() not in ("set", "preview"):
        return
    key = KIND_ALIASES.get(parts[0].lower(), parts[0].lower())
    text = template_text(parts[2])
    try:
        if key in KINDS and text.strip() and len(text) <= MAX_TEMPLATE and not reach_problems(text):
            async with store.transaction(read_only=True) as tx:
                words = await tx.community_words(actor.platform, actor.community)
            await problems_off_the_loop(DraftKind(key), text, words)
    except Exception:  # the command itself checks again and answers
        log.exception("checking a template before the transaction failed")


async def _words(ctx: Context) -> list[str]:
    return await ctx.tx.community_words(ctx.actor.platform, ctx.actor.community)


def _when(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"


def _version_line(v: TemplateVersion) -> str:
    what = "back to the built-in template" if v.source is None else f"{len(v.source):,} characters"
    current = " (current)" if v.active else ""
    return f"v{v.version}: {what}, saved by {v.saved_by} on {_when(v.saved_at)}{current}"


def _members(versions: list[TemplateVersion]) -> list[str]:
    """The staff who saved these versions, by platform id (a former member's is no longer known)."""
    return sorted({v.saved_by for v in versions if not v.saved_by.startswith("(")})


def _current(versions: list[TemplateVersion]) -> TemplateVersion | None:
    return next((v for v in versions if v.active), None)


async def _preview(ctx: Context, kind: DraftKind, source: str | None) -> Reply:
    """The template rendered for the sample interview in the community's default tone (a
    community template in a worker, off the event loop)."""
    defaults = await ctx.tx.community_defaults(ctx.actor.platform, ctx.actor.community)
    tone = defaults.tone if defaults is not None else Tone.FORMAL
    interview = sample_interview()
    candidate: Candidate = sample_candidate()
    words = await ctx.tx.community_words(ctx.actor.platform, ctx.actor.community)
    drafts = await asyncio.to_thread(render_drafts, kind, interview, candidate, tone, template_source=source,
                                     tz="UTC", words=words)
    return Reply(title=f"Preview of the {kind.value} template on a sample interview "
                       f"({interview.role} at {interview.company}, {tone.value} tone, the community's default)",
                 drafts=drafts)


def _notice_lines(notices: list[TemplateNotice]) -> str:
    return "\n".join(
        f"• {n.kind}: {n.problem.rstrip('.')} ({n.count} draft{'s' if n.count != 1 else ''}, last on "
        f"{_when(n.last_at)}). Members got the built-in {n.kind} template instead." for n in notices)


def _notices_section(notices: list[TemplateNotice]) -> Section:
    return Section(_notice_lines(notices) + "\nFix the template (set) or go back to the built-in one (revert).",
                   title="A community template failed for members")


def _refused(kind: DraftKind, problems: list[str], verb: str = "saved") -> Rejected:
    lines = "\n".join(f"• {p}" for p in problems)
    return Rejected(Reply(
        title=f"The {kind.value} template was not {verb}: {problems[0]}",
        sections=[Section(lines, title="What to fix"),
                  Section(f"Start from the built-in one with /interview admin template {kind.value} show.")],
        error=True,
    ))


async def template(ctx: Context, args: str) -> Reply:
    platform, community = ctx.actor.platform, ctx.actor.community
    words = args.split(None, 2)
    if not words:
        return await _overview(ctx)
    kind = _kind(words[0])
    action = words[1].lower() if len(words) > 1 else "show"
    rest = words[2] if len(words) > 2 else ""
    if action not in ACTIONS:
        guess = difflib.get_close_matches(action[:40], ACTIONS, n=1, cutoff=0.6)
        hint = f' Did you mean "{guess[0]}"?' if guess else ""
        raise refuse(f'"{action[:40]}" is not something I can do with a template.{hint} Usage: {USAGE}')
    if action in ("show", "history") and rest.strip():
        raise refuse(f'"{action}" takes nothing more. Usage: {USAGE}')
    versions = await ctx.tx.template_versions(platform, community, kind.value)
    current = _current(versions)
    source = current.source if current is not None else None

    if action == "show":
        shown = source if source is not None else builtin_template(kind)
        ours = current is not None and source is not None
        origin = f"community version {current.version}" if current is not None and ours else "built-in"
        by = [Section(f"Saved by {current.saved_by} on {_when(current.saved_at)}")] if current and ours else []
        reply = Reply(
            title=f"The {kind.value} template ({origin})",
            members=_members(versions),
            sections=[*by, Section(shown),
                      Section(f"Variables: {variables_text()}. The first line is the subject (Subject: ...). "
                              "See docs/templates.md for the checks and the budget.", title="How to edit")],
            files=[FileOut(f"{kind.value}.j2", shown.encode(), "text/plain")],
            actions=[Action("Edit", f"admin template {kind.value} set", "primary"),
                     Action("Preview", f"admin template {kind.value} preview"),
                     Action("History", f"admin template {kind.value} history")],
        )
        if source is not None:
            reply.actions.append(Action("Revert to built-in", f"admin template {kind.value} revert", "danger"))
        notices = [n for n in await ctx.tx.template_failures(platform, community) if n.kind == kind.value]
        if notices:
            reply.sections.insert(0, _notices_section(notices))
        return reply

    if action == "history":
        if not versions:
            return Reply(title=f"The {kind.value} template has never been changed: members get the built-in one.")
        return Reply(title=f"Saved versions of the {kind.value} template, newest first",
                     sections=[Section("\n".join(_version_line(v) for v in versions))], members=_members(versions))

    if action == "preview":
        text = template_text(rest)
        if text:
            problems = await problems_off_the_loop(kind, text, await _words(ctx))
            if problems and reach_problems(text):
                raise _refused(kind, problems, verb="previewed")
            reply = await _preview(ctx, kind, text)
            if problems:
                reply.sections.append(Section("\n".join(f"• {p}" for p in problems),
                                              title="It could not be saved as it is"))
            return reply
        reply = await _preview(ctx, kind, source)
        reply.sections.append(Section("This is the community's own template." if source is not None
                                      else "This is the built-in template."))
        return reply

    if action == "revert":
        target = rest.strip().lower().lstrip("v")
        if target:
            if not target.isdigit():
                raise refuse("Revert takes nothing (back to the built-in template) or a version like v2. "
                             f"Usage: {USAGE}")
            old = next((v for v in versions if v.version == int(target)), None)
            if old is None:
                raise refuse(f"The {kind.value} template has no version {int(target)}. "
                             f"See them with /interview admin template {kind.value} history.")
            if old.source is not None and (problems := await problems_off_the_loop(kind, old.source,
                                                                                    await _words(ctx))):
                raise _refused(kind, problems, verb="restored")
            if old.source == source:
                return Reply(title=f"Version {old.version} is what members already get; nothing changed.")
            saved = await ctx.tx.save_template_version(platform, community, kind.value, old.source,
                                                       ctx.actor.external_id, ctx.now)
            await ctx.tx.clear_template_failures(platform, community, kind.value)
            return Reply(title=f"Restored version {old.version} of the {kind.value} template as version "
                               f"{saved.version}. Members' drafts use it from now on.")
        if source is None:
            return Reply(title=f"Members already get the built-in {kind.value} template; nothing changed.")
        saved = await ctx.tx.save_template_version(platform, community, kind.value, None,
                                                   ctx.actor.external_id, ctx.now)
        await ctx.tx.clear_template_failures(platform, community, kind.value)
        return Reply(title=f"Reverted: members' {kind.value} drafts use the built-in template again "
                           f"(version {saved.version}; earlier versions stay in the history).")

    # set
    text = template_text(rest)
    if not text:
        initial = source if source is not None else builtin_template(kind)
        return Reply(
            title=f"Edit the {kind.value} template",
            sections=[Section(f"Send the Jinja2 text after the command: /interview admin template {kind.value} "
                              "set Subject: ... (in the console, \\n stands for a new line). Start from "
                              f"/interview admin template {kind.value} show.")],
            form=Form(command=f"admin template {kind.value} set", title=f"{kind.value} template"[:45], fields=(
                FormField("text", "Template (Jinja2)", required=True, multiline=True,
                          initial=initial),  # whole: each platform's form holds it in as many boxes as it needs
            )),
        )
    problems = await problems_off_the_loop(kind, text, await _words(ctx))
    if problems:
        raise _refused(kind, problems)
    if text == source:
        return Reply(title=f"That is already the community's {kind.value} template; nothing changed.")
    saved = await ctx.tx.save_template_version(platform, community, kind.value, text, ctx.actor.external_id, ctx.now)
    await ctx.tx.clear_template_failures(platform, community, kind.value)
    return Reply(title=f"Saved version {saved.version} of the {kind.value} template. Members' {kind.value} drafts "
                       "use it from now on.",
                 actions=[Action("Preview", f"admin template {kind.value} preview"),
                          Action("History", f"admin template {kind.value} history"),
                          Action("Revert to built-in", f"admin template {kind.value} revert", "danger")])


async def _overview(ctx: Context) -> Reply:
    current = await ctx.tx.community_templates(ctx.actor.platform, ctx.actor.community)
    lines = []
    for kind in DraftKind:
        lines.append(f"{kind.value}: " + ("the community's own" if kind.value in current else "built-in"))
    reply = Reply(title="The community's draft templates", sections=[
        Section("\n".join(lines)), Section(f"Usage: {USAGE}")])
    notices = await ctx.tx.template_failures(ctx.actor.platform, ctx.actor.community)
    if notices:
        reply.sections.insert(0, _notices_section(notices))
    return reply
