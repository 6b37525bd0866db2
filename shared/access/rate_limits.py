"""Rate limits in Postgres (consume_rate_limit), shared by every replica of every service
that counts requests (job creation in ingest, asset uploads in storage).

Concurrent requests are counted together: one statement consumes the whole batch, calling
consume_rate_limit once per request in arrival order, so a caller's 101st request in a
window is refused exactly as if each had been counted on its own, with no lock queue on the
caller's counter row. A batch request counts its jobs in one call (`consume_many`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from shared.batching import Batcher

__all__ = ["Grant", "RateLimiter", "Verdict"]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_seconds: int
    remaining: int = 0
    reset_at: int = 0  # Unix time the window ends (and the count starts again)


@dataclass(frozen=True)
class Grant:
    """How many of several requests counted at once are within the limit (the first ones)."""

    granted: int
    verdict: Verdict  # allowed: every request was granted


class RateLimiter:
    """``await limiter.consume("create:ip:1.2.3.4", 100, 3600)``: one request against the
    limit of its identifier, in fixed windows of that many seconds."""

    def __init__(self, pool: asyncpg.Pool, *, max_batch: int = 200,
                 transactions: int = 2) -> None:
        self.pool = pool
        self._batcher: Batcher[tuple[str, int, int], Verdict] = Batcher(
            self._consume_all, max_batch=max_batch, writers=transactions, name="rate-limits")

    async def consume(self, identifier: str, limit: int, window: int) -> Verdict:
        return await self._batcher.submit((identifier, limit, window))

    async def _consume_all(self, requests: Sequence[tuple[str, int, int]]) -> list[Verdict]:
        rows = await self.pool.fetch(
            """SELECT c.allowed, c.retry_after_seconds, c.remaining,
                      (floor(extract(epoch FROM now()) / r.win) * r.win + r.win)::bigint
                          AS reset_at
               FROM unnest($1::text[], $2::integer[], $3::integer[])
                    WITH ORDINALITY AS r(identifier, lim, win, n)
               CROSS JOIN LATERAL consume_rate_limit(r.identifier, r.lim,
                                                     make_interval(secs => r.win)) AS c
               ORDER BY r.n""",
            [identifier for identifier, _, _ in requests], [limit for _, limit, _ in requests],
            [window for _, _, window in requests],
        )
        return [Verdict(row["allowed"], row["retry_after_seconds"], row["remaining"],
                        row["reset_at"]) for row in rows]

    async def consume_many(self, identifier: str, limit: int, window: int,
                           count: int) -> Grant:
        """`count` requests at once, in order: the first `granted` are within the limit and
        the counter goes up by that many (one statement)."""
        row = await self.pool.fetchrow(
            """SELECT c.granted, c.remaining, c.retry_after_seconds,
                      (floor(extract(epoch FROM now()) / $3::integer) * $3::integer
                       + $3::integer)::bigint AS reset_at
               FROM consume_rate_limit_many($1, $2, make_interval(secs => $3::integer),
                                            $4) AS c""",
            identifier, limit, window, count)
        assert row is not None
        return Grant(row["granted"], Verdict(row["granted"] == count,
                                             row["retry_after_seconds"], row["remaining"],
                                             row["reset_at"]))
