"""Creating a job: the one path shared by the HTTP API and the Kafka requests topic.

One transaction inserts the job (pending), its elements, the `validation` timeline row,
and puts StepChanged(validation, completed) and JobAccepted in the outbox; the job exists
if and only if its events will be published. A request that reuses an idempotency key of
the same owner gets the existing job back and inserts nothing.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from services.ingest import db
from services.ingest.estimate import estimate_job
from shared.composition import Job, Problem, SpecError, parse_job
from shared.events import JobAccepted, StepChanged, Topics
from shared.outbox import enqueue
from shared.telemetry import inject_trace, span

__all__ = ["PRODUCER", "Accepted", "Origin", "create_job", "element_rows", "normalised_spec"]

PRODUCER = "ingest"
_COLUMNS = frozenset({"id", "type", "source", "track", "start", "duration", "x", "y", "width",
                      "height", "fit", "opacity"})


@dataclass(frozen=True)
class Origin:
    """Where a request came from: ownership (client IP) and audit (user agent)."""

    source: Literal["http", "kafka"]
    client_ip: str | None = None
    user_agent: str | None = None
    api_key_id: UUID | None = None  # the owner when the request came with an API key

    @classmethod
    def from_http(cls, host: str | None, user_agent: str | None,
                  api_key_id: UUID | None = None) -> Origin:
        try:
            ip = str(ipaddress.ip_address(host)) if host else None
        except ValueError:  # e.g. a unix socket peer
            ip = None
        return cls("http", ip, user_agent[:1000] if user_agent else None, api_key_id)


@dataclass(frozen=True)
class Accepted:
    job_id: UUID
    created: bool  # False: an earlier request with the same idempotency key made it
    response: str
    estimated_ms: int


def normalised_spec(job: Job) -> dict[str, Any]:
    """The validated spec as JSON, defaults filled in (what the render fleet gets)."""
    return job.model_dump(mode="json", exclude_none=True)


def element_rows(job: Job, spec: dict[str, Any]) -> list[db.ElementRow]:
    rows = []
    for index, (element, data) in enumerate(zip(job.elements, spec["elements"], strict=True)):
        rows.append(db.ElementRow(
            element_key=job.element_id(index),
            position=index,
            element_type=element.type,
            source_url=data.get("source"),
            track=element.track,
            start_time=element.start,
            duration=element.fixed_length,
            x=_text(data.get("x")),
            y=_text(data.get("y")),
            width=_text(data.get("width")),
            height=_text(data.get("height")),
            fit_mode=data.get("fit", "auto"),
            opacity=data.get("opacity", 1.0),
            properties={k: v for k, v in data.items() if k not in _COLUMNS},
        ))
    return rows


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


async def create_job(conn: Any, topics: Topics, data: Any, origin: Origin, *,
                     job_id: UUID | None = None, received_at: datetime | None = None,
                     idempotency_key: str | None = None) -> Accepted:
    """Validate `data` and create its job inside the caller's transaction.

    Raises shared.composition.SpecError (every problem, by JSON path) for an invalid spec.
    `idempotency_key` (e.g. from a header) is used when the body does not name one.
    """
    if not isinstance(data, dict):
        raise SpecError([Problem("$", "a job must be a JSON object")])
    if idempotency_key is not None and "idempotency_key" not in data:
        data = {**data, "idempotency_key": idempotency_key}
    job = parse_job(data)
    spec = normalised_spec(job)
    estimate = estimate_job(job)
    new = db.NewJob(
        id=job_id, output_format=job.output.format, width=job.output.width,
        height=job.output.height, fps=job.output.fps, duration=job.output.duration, spec=spec,
        response_type=job.response, client_ip=origin.client_ip, user_agent=origin.user_agent,
        api_key_id=origin.api_key_id,
        idempotency_key=job.idempotency_key, callback_url=job.callback_url,
        estimated_time_ms=estimate, metadata=job.metadata,
    )
    with span("ingest create job", step="validation", source=origin.source,
              elements=len(job.elements)) as current:
        created_id = await db.insert_job(conn, new)
        if created_id is not None:
            current.set_attribute("job_id", str(created_id))
        if created_id is None:
            assert job.idempotency_key is not None  # only a key can conflict
            existing = await db.find_idempotent_job(conn, origin.client_ip, job.idempotency_key,
                                                    origin.api_key_id)
            assert existing is not None
            return Accepted(existing, False, job.response, estimate)
        await db.insert_elements(conn, created_id, element_rows(job, spec))
        await db.insert_validation_step(
            conn, created_id, received_at or datetime.now(UTC),
            {"elements": len(job.elements), "source": origin.source},
        )
        await enqueue(conn, topics.events, inject_trace(StepChanged(
            job_id=created_id, producer=PRODUCER, step="validation", state="completed",
        )))
        await enqueue(conn, topics.events, inject_trace(JobAccepted(
            job_id=created_id, producer=PRODUCER, spec=spec)))
    return Accepted(created_id, True, job.response, estimate)
