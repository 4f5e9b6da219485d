"""The proofreader's queries, mixed into storage.store.SqlStoreSession: a community's own word list
and the notices of community templates that failed for a member (storage.proofread_models)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, insert, select, update

from bot.career_center.records import TemplateNotice
from storage.connection import Statements
from storage.proofread_models import CommunityWordRow, TemplateNoticeRow

words_t = cast(Table, CommunityWordRow.__table__)
notices_t = cast(Table, TemplateNoticeRow.__table__)


class ProofreadQueries:
    """Methods of bot.ports.StoreSession for the proofreader; needs the session's `_conn`."""

    _conn: Statements

    # ---- the community's word list ----------------------------------------------------------------

    async def community_words(self, platform: str, community: str) -> list[str]:
        """The words the community's admins added, in alphabetical order."""
        rows = await self._conn.execute(
            select(words_t.c.word).where(words_t.c.platform == platform, words_t.c.community == community)
            .order_by(words_t.c.word)
        )
        return [word for (word,) in rows]

    async def add_community_words(self, platform: str, community: str, words: Iterable[str],
                                  at: datetime) -> list[str]:
        """Add the (lower-case) words not yet on the list; returns those added."""
        have = set(await self.community_words(platform, community))
        new = sorted({w for w in words if w not in have})
        if new:
            await self._conn.execute(insert(words_t), [
                dict(platform=platform, community=community, word=word, added_at=at) for word in new])
        return new

    async def remove_community_words(self, platform: str, community: str, words: Iterable[str]) -> list[str]:
        """Remove the words that are on the list; returns those removed."""
        have = set(await self.community_words(platform, community))
        gone = sorted({w for w in words if w in have})
        if gone:
            await self._conn.execute(delete(words_t).where(
                words_t.c.platform == platform, words_t.c.community == community, words_t.c.word.in_(gone)))
        return gone

    # ---- notices of failed community templates ------------------------------------------------------

    async def record_template_failure(self, platform: str, community: str, kind: str, problem: str,
                                      at: datetime) -> None:
        mine = (notices_t.c.platform == platform, notices_t.c.community == community, notices_t.c.kind == kind,
                notices_t.c.problem == problem)
        result = await self._conn.execute(
            update(notices_t).where(*mine).values(count=notices_t.c.count + 1, last_at=at))
        if result.rowcount == 0:
            await self._conn.execute(insert(notices_t).values(
                platform=platform, community=community, kind=kind, problem=problem, count=1, first_at=at,
                last_at=at))

    async def template_failures(self, platform: str, community: str) -> list[TemplateNotice]:
        """The community's notices, newest first (rows of one problem read as one)."""
        rows = await self._conn.execute(
            select(notices_t.c.kind, notices_t.c.problem, notices_t.c.count, notices_t.c.first_at,
                   notices_t.c.last_at)
            .where(notices_t.c.platform == platform, notices_t.c.community == community)
        )
        merged: dict[tuple[str, str], TemplateNotice] = {}
        for kind, problem, count, first_at, last_at in rows:
            old = merged.get((kind, problem))
            if old is not None:
                count += old.count
                first_at, last_at = min(first_at, old.first_at), max(last_at, old.last_at)
            merged[(kind, problem)] = TemplateNotice(kind, problem, count, first_at, last_at)
        return sorted(merged.values(), key=lambda n: n.last_at, reverse=True)

    async def clear_template_failures(self, platform: str, community: str, kind: str) -> None:
        await self._conn.execute(delete(notices_t).where(
            notices_t.c.platform == platform, notices_t.c.community == community, notices_t.c.kind == kind))


__all__ = ["ProofreadQueries"]
