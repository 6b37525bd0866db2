"""Handing a long job to the whole fleet: record its units, publish one SliceRequested each.

Run by the worker that took the job's RenderRequested, once the plan says the job is split
(`split.plan_units`). The units are recorded once (a redelivery or the reaper's new attempt
keeps the states recorded before), and only the units not yet done are requested, each
keyed by job and unit so that they spread over the render topic's partitions. When every
unit is already done (the stitch was lost), the stitch is asked for at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from services.render import slices_db
from services.render.split import Unit
from shared.composition.plan import Plan
from shared.consumer import event_id
from shared.events import RenderRequested, SliceRequested
from shared.kafka import publish_event

if TYPE_CHECKING:  # the pipeline calls dispatch: no import cycle at run time
    from services.render.pipeline import RenderDeps

__all__ = ["dispatch"]

log = logging.getLogger(__name__)


PRODUCER = "render"


async def dispatch(deps: RenderDeps, event: RenderRequested, attempt: int, plan: Plan,
                   units: list[Unit]) -> list[SliceRequested]:
    """Record and request the job's open units; the requests published."""
    fmt = plan.canvas.output.format
    async with deps.pool.acquire() as conn:
        await slices_db.create_split(conn, event.job_id, units, plan.canvas.duration, fmt)
        todo = await slices_db.open_units(conn, event.job_id)
    requests = [
        SliceRequested(
            event_id=event_id(event.job_id, "render.slice", unit.index, attempt),
            job_id=event.job_id, producer=PRODUCER, trace=event.trace, spec=event.spec,
            assets=event.assets, attempt=attempt, kind=unit.kind, unit=unit.index,
            units=len(units), start=unit.start, end=unit.end)
        for unit in units if unit.index in todo
    ]
    if not requests:
        # every unit is done: the stitch went missing; any unit's request leads to it
        last = units[-1]
        requests = [SliceRequested(
            event_id=event_id(event.job_id, "render.slice", last.index, attempt, "stitch"),
            job_id=event.job_id, producer=PRODUCER, trace=event.trace, spec=event.spec,
            assets=event.assets, attempt=attempt, kind=last.kind, unit=last.index,
            units=len(units), start=last.start, end=last.end)]
    for request in requests:
        await publish_event(deps.broker, deps.topics.render, request)
    log.info("job %s attempt %d: split into %d units, %d requested", event.job_id, attempt,
             len(units), len(requests))
    return requests
