"""`/interview admin ...`: for a community's admins only (Slack workspace admins and owners, Discord
members with Manage Server, the console's --admin), as the adapter tells in Actor.is_admin."""

from __future__ import annotations

from bot import commands as c
from bot.career_center.defaults import defaults
from bot.career_center.stats import stats
from bot.career_center.templates import template
from bot.career_center.words import words
from bot.replies import Reply
from bot.use_case import Context, refuse

NOT_AN_ADMIN = ("Sorry, /interview admin is for this community's admins (on Slack a workspace admin or owner, "
                "on Discord a member with Manage Server). Your own settings are at /interview settings.")
NOT_IN_A_DM = "Run /interview admin in your server, not in a direct message: the settings belong to a server."


async def admin(ctx: Context, cmd: c.Admin) -> Reply:
    if not ctx.actor.is_admin:
        raise refuse(NOT_AN_ADMIN)
    if ctx.actor.platform == "discord" and ctx.actor.community == "dm":
        raise refuse(NOT_IN_A_DM)
    if cmd.sub == "defaults":
        return await defaults(ctx, cmd.args)
    if cmd.sub == "template":
        return await template(ctx, cmd.args)
    if cmd.sub == "stats":
        return await stats(ctx, cmd.args)
    if cmd.sub == "words":
        return await words(ctx, cmd.args)
    raise refuse("Which admin command: defaults, template, words or stats? Example: /interview admin stats")
