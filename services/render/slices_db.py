"""The render fleet's record of split jobs (migration 0017): one row per job, one per unit.

The fleet is the only writer. A unit's state goes pending → rendering → done; `renders`
counts the renders started (more than one: a redelivery or the reaper's new attempt
rendered it again). A done unit stays done, so a lost worker costs only its own unit. The
stitch is claimed by one worker once every unit is done (a claim older than the lease may
be taken over: its worker died mid-stitch).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.render.split import Unit

__all__ = [
    "SplitRecord",
    "UnitRecord",
    "claim_stitch",
    "claim_unit",
    "create_split",
    "finish_unit",
    "mark_stitched",
    "open_units",
    "set_poster",
    "set_progress",
    "units_of",
]


@dataclass(frozen=True)
class UnitRecord:
    unit: int
    kind: str
    state: str
    renders: int
    key: str | None


@dataclass(frozen=True)
class SplitRecord:
    units: int
    duration: float
    format: str
    poster_key: str | None


async def create_split(conn: Any, job_id: UUID, units: list[Unit], duration: float,
                       fmt: str) -> None:
    """Record the split and its units, once: a second dispatch keeps the first's states."""
    async with conn.transaction():
        await conn.execute(
            """INSERT INTO render_splits (job_id, units, duration, format)
               VALUES ($1, $2, $3, $4) ON CONFLICT (job_id) DO NOTHING""",
            job_id, len(units), duration, fmt)
        await conn.executemany(
            """INSERT INTO render_slices (job_id, unit, kind, start_s, end_s)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id, unit) DO NOTHING""",
            [(job_id, unit.index, unit.kind, unit.start, unit.end) for unit in units])


async def open_units(conn: Any, job_id: UUID) -> set[int]:
    """The units not yet done (the ones a dispatch must request)."""
    rows = await conn.fetch(
        "SELECT unit FROM render_slices WHERE job_id = $1 AND state <> 'done'", job_id)
    return {row["unit"] for row in rows}


async def claim_unit(conn: Any, job_id: UUID, unit: int, worker_id: str) -> int | None:
    """Mark `unit` rendering by `worker_id`; its render count, or None when it is done."""
    value = await conn.fetchval(
        """UPDATE render_slices
              SET state = 'rendering', renders = renders + 1, worker_id = $3, progress = 0,
                  updated_at = now()
            WHERE job_id = $1 AND unit = $2 AND state <> 'done'
        RETURNING renders""",
        job_id, unit, worker_id)
    return int(value) if value is not None else None


async def set_progress(conn: Any, job_id: UUID, unit: int, fraction: float) -> float:
    """Record one unit's progress; the share of the job's picture rendered so far."""
    value = await conn.fetchval(
        """WITH mine AS (
               UPDATE render_slices SET progress = $3, updated_at = now()
                WHERE job_id = $1 AND unit = $2 AND state = 'rendering'
            RETURNING unit, progress)
           SELECT sum(coalesce(m.progress, CASE WHEN s.state = 'done' THEN 1 ELSE s.progress
                                           END) * (s.end_s - s.start_s))
                  / sum(s.end_s - s.start_s)
             FROM render_slices s LEFT JOIN mine m ON m.unit = s.unit
            WHERE s.job_id = $1 AND s.kind = 'video'""",
        job_id, unit, max(0.0, min(1.0, fraction)))
    return float(value or 0.0)


async def finish_unit(conn: Any, job_id: UUID, unit: int, key: str, seconds: float) -> None:
    await conn.execute(
        """UPDATE render_slices SET state = 'done', progress = 1, key = $3, seconds = $4,
                  updated_at = now()
            WHERE job_id = $1 AND unit = $2""",
        job_id, unit, key, seconds)


async def set_poster(conn: Any, job_id: UUID, key: str) -> None:
    await conn.execute("UPDATE render_splits SET poster_key = $2 WHERE job_id = $1",
                       job_id, key)


async def claim_stitch(conn: Any, job_id: UUID, worker_id: str,
                       lease: float) -> SplitRecord | None:
    """Take the stitch when every unit is done and nobody (alive) has it; else None.

    Each worker asks after its own unit is committed done, so the last one to finish sees
    every unit done: at least one asks when all are, and the update lets only one win.
    """
    row = await conn.fetchrow(
        """UPDATE render_splits SET stitch_worker = $2, stitch_claimed_at = now()
            WHERE job_id = $1 AND stitched_at IS NULL
              AND (stitch_claimed_at IS NULL
                   OR stitch_claimed_at < now() - make_interval(secs => $3))
              AND NOT EXISTS (SELECT 1 FROM render_slices
                               WHERE job_id = $1 AND state <> 'done')
        RETURNING units, duration, format, poster_key""",
        job_id, worker_id, lease)
    if row is None:
        return None
    return SplitRecord(row["units"], row["duration"], row["format"], row["poster_key"])


async def mark_stitched(conn: Any, job_id: UUID) -> None:
    await conn.execute("UPDATE render_splits SET stitched_at = now() WHERE job_id = $1",
                       job_id)


async def units_of(conn: Any, job_id: UUID) -> list[UnitRecord]:
    rows = await conn.fetch(
        """SELECT unit, kind, state, renders, key FROM render_slices
            WHERE job_id = $1 ORDER BY unit""", job_id)
    return [UnitRecord(r["unit"], r["kind"], r["state"], r["renders"], r["key"]) for r in rows]
