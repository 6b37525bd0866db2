"""Where a tiny job's pipeline time goes, hop by hop, from its processing timeline.

Each job of the overhead figure (a) has timestamps: sent (the client), created (its row),
every step's start and end (`processing_timeline`, written from the services' events),
completed (its row) and answered (the client). `hop_table` gives, for every pair of
consecutive marks, the median and largest gap over the jobs: the engine's own time is the
encoding step, everything else is the platform's (Kafka hops, S3, Postgres, the waiter).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

__all__ = ["Sent", "hop_table", "job_hops"]


@dataclass(frozen=True)
class Sent:
    job_id: str
    sent: float  # epoch seconds, the client's clock (the database's: same machine)
    answered: float


def _marks(sent: Sent, job: asyncpg.Record, steps: Sequence[asyncpg.Record]
           ) -> list[tuple[str, float]]:
    marks = [("sent", sent.sent), ("created", job["created"])]
    for step in steps:
        marks.append((f"{step['step']} started", step["started"]))
        if step["ended"] is not None:
            marks.append((f"{step['step']} ended", step["ended"]))
    if job["completed"] is not None:
        marks.append(("completed", job["completed"]))
    marks.append(("answered", sent.answered))
    return sorted(marks, key=lambda mark: mark[1])


async def job_hops(database_url: str, jobs: Sequence[Sent]) -> dict[str, list[float]]:
    """Milliseconds between consecutive marks, per hop, over `jobs`."""
    hops: dict[str, list[float]] = {}
    conn = await asyncpg.connect(database_url)
    try:
        for sent in jobs:
            job = await conn.fetchrow(
                "SELECT extract(epoch FROM created_at)::float8 AS created, "
                "extract(epoch FROM completed_at)::float8 AS completed "
                "FROM jobs WHERE id = $1::uuid", sent.job_id)
            steps = await conn.fetch(
                "SELECT step::text AS step, extract(epoch FROM started_at)::float8 AS started, "
                "extract(epoch FROM completed_at)::float8 AS ended "
                "FROM processing_timeline WHERE job_id = $1::uuid", sent.job_id)
            marks = _marks(sent, job, steps)
            for (before, at), (after, then) in itertools.pairwise(marks):
                hops.setdefault(f"{before} → {after}", []).append((then - at) * 1000)
    finally:
        await conn.close()
    return hops


def hop_table(hops: dict[str, list[float]], jobs: int) -> str:
    """The hops, largest median first; a hop seen in fewer jobs than all shows its count
    (steps that overlap come in either order)."""
    lines = ["| hop | median ms | max ms | jobs |", "|---|---:|---:|---:|"]
    for hop, gaps in sorted(hops.items(), key=lambda item: -statistics.median(item[1])):
        lines.append(f"| {hop} | {statistics.median(gaps):.1f} | {max(gaps):.1f} | "
                     f"{len(gaps)}{'' if len(gaps) == jobs else ' (some)'} |")
    return "\n".join(lines) + "\n"
