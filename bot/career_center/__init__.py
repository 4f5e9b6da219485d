"""For career centers: `/interview admin defaults | template | stats`, and retention.

    admin.admin(ctx, cmd)              the handler of c.Admin (registered in bot.service.HANDLERS)
    retention.member_left(store, actor, now)      a member left the workspace or server
    retention.member_returned(store, actor)       ... and came back
    retention.purge_expired(store, now) -> int    delete members whose retention period passed

Kept free of imports here: bot.ports imports bot.career_center.records.
"""
