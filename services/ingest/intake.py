"""Creating a job: the one path shared by the HTTP API and the Kafka requests topic.

A request is validated into a Draft (draft_job), then written (insert_drafts): one
transaction inserts the job (pending), its elements, the `validation` timeline row, and puts
StepChanged(validation, completed) and JobAccepted in the outbox; the job exists if and only
if its events will be published. A request that reuses an idempotency key of the same owner
gets the existing job back and inserts nothing. insert_drafts takes many drafts at once:
the HTTP API writes concurrent requests together (shared.batching).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID, uuid4

import asyncpg
from opentelemetry.trace import Span

from services.ingest import db
from services.ingest.estimate import estimate_job
from services.ingest.limits import event_problems
from services.ingest.templates_db import StoredTemplate, find_template
from shared.composition import Job, Problem, SpecError, parse_job
from shared.composition.templates import TemplateRef, apply_template, is_template_job, parse_ref
from shared.events import JobAccepted, StepChanged, Topics
from shared.outbox import enqueue
from shared.settings import PlatformSettings
from shared.telemetry import span, trace_carrier

__all__ = ["MAX_MESSAGE_BYTES", "PRODUCER", "Accepted", "Created", "Draft", "Origin",
           "Templates", "create_job", "creating", "draft_job", "element_rows", "insert_drafts",
           "load_templates",
           "normalised_spec"]

PRODUCER = "ingest"
# the producer's message limit when the caller names none (the setting's default)
MAX_MESSAGE_BYTES: int = PlatformSettings.model_fields["kafka_max_message_bytes"].default
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


def element_rows(job_id: UUID, job: Job, spec: dict[str, Any]) -> list[db.ElementRow]:
    rows = []
    for index, (element, data) in enumerate(zip(job.elements, spec["elements"], strict=True)):
        opacity = data.get("opacity", 1.0)
        rows.append(db.ElementRow(
            job_id=job_id,
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
            opacity=opacity if isinstance(opacity, float | int) else 1.0,
            # an animated opacity (a keyframe list) does not fit the numeric column
            properties={k: v for k, v in data.items()
                        if k not in _COLUMNS or (k == "opacity" and isinstance(v, list))},
        ))
    return rows


def _text(value: Any) -> str | None:
    """A column's text: keyframe lists as their JSON."""
    if isinstance(value, list):
        return json.dumps(value)
    return None if value is None else str(value)


@dataclass(frozen=True)
class Draft:
    """A valid request, ready to be written: its job id is chosen up front, so its rows and
    events are built before the (possibly batched) insert."""

    job: Job
    spec: dict[str, Any]
    estimated_ms: int
    origin: Origin
    received_at: datetime
    job_id: UUID
    trace: dict[str, str]  # the request's trace context, for the job's events
    template: tuple[UUID, int] | None = None  # (id, version) the job was made from


#: The templates a batch of requests names, loaded beforehand (by the reference given).
Templates = Mapping[TemplateRef, StoredTemplate]


def draft_job(data: Any, origin: Origin, *, job_id: UUID | None = None,
              received_at: datetime | None = None, idempotency_key: str | None = None,
              limits: Callable[[Job], list[Problem]] | None = None,
              templates: Templates | None = None,
              max_event_bytes: int = MAX_MESSAGE_BYTES) -> Draft:
    """Validate `data` (and `limits`, extra checks such as the API's caps), and that its
    events fit in `max_event_bytes` (the producer's message limit).

    Raises shared.composition.SpecError (every problem, by JSON path) for an invalid spec.
    `idempotency_key` (e.g. from a header) is used when the body does not name one. A
    request naming a template (`{"template": ..., "merge": ...}`) is made into its job
    from `templates` (shared.composition.templates); one not there is a problem at
    `template`.
    """
    if not isinstance(data, dict):
        raise SpecError([Problem("$", "a job must be a JSON object")])
    if idempotency_key is not None and "idempotency_key" not in data:
        data = {**data, "idempotency_key": idempotency_key}
    made_from = None
    if is_template_job(data):
        ref = parse_ref(data["template"])
        stored = (templates or {}).get(ref)
        if stored is None:
            raise SpecError([Problem("template", f"no template {ref}")])
        job = apply_template(stored.document, data, limits)
        made_from = (stored.id, stored.version)
        problems: list[Problem] = []
    else:
        job = parse_job(data)
        problems = limits(job) if limits else []
    spec = normalised_spec(job)
    problems += event_problems(spec, max_event_bytes)
    if problems:
        raise SpecError(problems)
    return Draft(job, spec, estimate_job(job), origin, received_at or datetime.now(UTC),
                 job_id or uuid4(), trace_carrier(), made_from)


async def load_templates(conn: Any, requests: Iterable[Any]) -> dict[TemplateRef, StoredTemplate]:
    """The templates these requests name, as `conn` sees them (row-level security: the
    caller's own, or all for the service role). Missing ones and bad references are left
    out: draft_job names them."""
    found: dict[TemplateRef, StoredTemplate] = {}
    for data in requests:
        if not is_template_job(data):
            continue
        try:
            ref = parse_ref(data["template"])
        except SpecError:
            continue
        if ref not in found:
            stored = await find_template(conn, ref)
            if stored is not None:
                found[ref] = stored
    return found


@dataclass(frozen=True)
class Created:
    """What writing a draft gave: the job's row (the existing one for a reused key)."""

    accepted: Accepted
    row: asyncpg.Record


async def insert_drafts(conn: Any, topics: Topics, drafts: Sequence[Draft], *,
                        returning: str | None = None) -> list[Created]:
    """Write jobs inside the caller's transaction: each job (pending), its elements, its
    `validation` timeline row, and StepChanged(validation, completed) + JobAccepted in the
    outbox; a few statements for the whole batch. A draft that reuses an idempotency key of
    its owner gets the existing job back and writes nothing. `returning`: the columns of
    the new jobs' rows, when not all are needed (the id among them)."""
    new_jobs = [_new_job(draft) for draft in drafts]
    rows = await (db.insert_jobs(conn, new_jobs) if returning is None
                  else db.insert_jobs(conn, new_jobs, returning=returning))
    new = [draft for draft in drafts if draft.job_id in rows]
    await db.insert_elements(conn, [element for draft in new for element in
                                    element_rows(draft.job_id, draft.job, draft.spec)])
    await db.insert_validation_steps(conn, [
        (draft.job_id, draft.received_at,
         {"elements": len(draft.job.elements), "source": draft.origin.source})
        for draft in new])
    await enqueue(conn, topics.events, *(event for draft in new for event in (
        StepChanged(job_id=draft.job_id, producer=PRODUCER, step="validation",
                    state="completed", trace=draft.trace),
        JobAccepted(job_id=draft.job_id, producer=PRODUCER, spec=draft.spec,
                    trace=draft.trace))))
    return [await _created(conn, draft, rows) for draft in drafts]


async def _created(conn: Any, draft: Draft, rows: dict[UUID, asyncpg.Record]) -> Created:
    row = rows.get(draft.job_id)
    if row is None:  # only a reused idempotency key conflicts
        key = draft.job.idempotency_key
        assert key is not None
        existing = await db.find_idempotent_job(conn, draft.origin.client_ip, key,
                                                draft.origin.api_key_id)
        assert existing is not None
        row = await db.get_job(conn, existing)
        assert row is not None
    created = row["id"] == draft.job_id
    return Created(Accepted(row["id"], created, draft.job.response, draft.estimated_ms), row)


def _new_job(draft: Draft) -> db.NewJob:
    job, origin = draft.job, draft.origin
    return db.NewJob(
        id=draft.job_id, output_format=job.output.format, width=job.output.width,
        height=job.output.height, fps=job.output.fps, duration=job.output.duration,
        spec=draft.spec, response_type=job.response, client_ip=origin.client_ip,
        user_agent=origin.user_agent, api_key_id=origin.api_key_id,
        idempotency_key=job.idempotency_key, callback_url=job.callback_url,
        estimated_time_ms=draft.estimated_ms, metadata=job.metadata,
        template_id=draft.template[0] if draft.template else None,
        template_version=draft.template[1] if draft.template else None,
    )


async def create_job(conn: Any, topics: Topics, data: Any, origin: Origin, *,
                     job_id: UUID | None = None, received_at: datetime | None = None,
                     idempotency_key: str | None = None,
                     max_event_bytes: int = MAX_MESSAGE_BYTES) -> Accepted:
    """Validate `data` and create its job inside the caller's transaction (one request; the
    HTTP API batches concurrent ones with draft_job + insert_drafts). Raises SpecError."""
    with creating(origin) as current:
        templates = await load_templates(conn, [data])
        draft = draft_job(data, origin, job_id=job_id, received_at=received_at,
                          idempotency_key=idempotency_key, templates=templates,
                          max_event_bytes=max_event_bytes)
        [created] = await insert_drafts(conn, topics, [draft])
        current.set_attribute("job_id", str(created.accepted.job_id))
    return created.accepted


def creating(origin: Origin) -> AbstractContextManager[Span]:
    """The span of one job's creation (the job's events carry its context)."""
    return span("ingest create job", step="validation", source=origin.source)
