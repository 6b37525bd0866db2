"""Event schemas and topics: the contract between the services.

Every event is a versioned pydantic model with `event_id`, `job_id`, `occurred_at` and the
trace context, published keyed by `job_id` so one job's events stay in order. `type` is the
discriminator; `version` changes only when a field changes meaning (consumers accept the
versions they know). The flow of one job:

    requests  --(ingest validates)-->  events: JobAccepted | JobRejected
    events: JobAccepted      --storage downloads sources-->  render: RenderRequested
    render: RenderRequested  --render composes/encodes-->   events: RenderFinished
    events: RenderFinished   --storage publishes output-->  events: JobCompleted
    any step                 ------------------------------> events: StepChanged, JobFailed
    ingest (cancel)          ------------------------------> events: JobCancelled

ingest projects StepChanged/JobCompleted/JobFailed into jobs and processing_timeline;
metrics consumes every topic into system_metrics.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = [
    "PROBE_VERSION",
    "STEPS",
    "Asset",
    "Event",
    "EventBase",
    "JobAccepted",
    "JobCancelled",
    "JobCompleted",
    "JobFailed",
    "JobRejected",
    "JobRequest",
    "MediaProbe",
    "OutputFile",
    "RenderFinished",
    "RenderRequested",
    "SliceRequested",
    "Step",
    "StepChanged",
    "Topics",
    "parse_event",
]

Step = Literal["validation", "download", "processing", "composition", "encoding", "upload",
               "cleanup"]
STEPS: tuple[Step, ...] = (
    "validation", "download", "processing", "composition", "encoding", "upload", "cleanup"
)


class Topics(BaseModel):
    """Topic names, all under one configurable prefix."""

    model_config = ConfigDict(frozen=True)

    prefix: str = "vidgen"

    @property
    def requests(self) -> str:
        """Upstream systems publish job requests here (JobRequest)."""
        return f"{self.prefix}.requests"

    @property
    def events(self) -> str:
        """Lifecycle events of every job."""
        return f"{self.prefix}.events"

    @property
    def render(self) -> str:
        """Work for the render fleet (RenderRequested); partitions bound fleet parallelism."""
        return f"{self.prefix}.render"

    @property
    def dead_letter(self) -> str:
        """Messages that kept failing, with the error and the attempt count in headers."""
        return f"{self.prefix}.dlq"

    def all(self) -> tuple[str, ...]:
        return (self.requests, self.events, self.render, self.dead_letter)


def _now() -> datetime:
    return datetime.now(UTC)


class JobRequest(BaseModel):
    """What an upstream system publishes on the requests topic: a job spec, plus routing.

    `job` is left unvalidated here on purpose: ingest validates it (the same path as the
    HTTP API) and answers an invalid one with JobRejected, never with a crash.
    """

    model_config = ConfigDict(extra="forbid")

    request_id: UUID = Field(default_factory=uuid4)
    job: dict[str, Any] = Field(description=(
        "a composition (as POST /v1/jobs takes), or a job from a stored template: "
        '{"template": "ID[@version]", "merge": {...}, "modifications": '
        '{"element-id.property": value}, "output": {...}}; the topic may use any template'))
    client: str | None = Field(None, description="who sent it, for ownership and audit")


class EventBase(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: UUID = Field(default_factory=uuid4)
    job_id: UUID
    occurred_at: datetime = Field(default_factory=_now)
    version: int = 1
    producer: str = ""
    trace: dict[str, str] = Field(default_factory=dict, description="W3C traceparent/state")

    @property
    def partition_key(self) -> bytes:
        """Kafka key: the job id, so one job's events stay in order."""
        return str(self.job_id).encode()


class JobAccepted(EventBase):
    type: Literal["job.accepted"] = "job.accepted"
    spec: dict[str, Any]
    attempt: int = 1


class JobRejected(EventBase):
    type: Literal["job.rejected"] = "job.rejected"
    request_id: UUID | None = None
    errors: list[dict[str, str]]


PROBE_VERSION = 1
"""What `MediaProbe.version` must be for the render to trust it. Raise it whenever
`shared.media.probe` changes what it accepts or reports: older results are then probed again."""


class MediaProbe(BaseModel):
    """What storage's probe of a media source found (`shared.media.probe.MediaInfo` less the
    local path), carried to the render so it need not open the file again."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(description="the PROBE_VERSION of the probe that made it")
    duration: float | None
    width: int | None
    height: int | None
    rotation: int
    fps: float | None
    has_video: bool
    has_audio: bool
    is_image: bool
    has_alpha: bool

    @property
    def current(self) -> bool:
        """Made by the probe this code knows (else the render probes the file itself)."""
        return self.version == PROBE_VERSION

    @classmethod
    def from_stored(cls, summary: dict[str, Any] | str | None) -> MediaProbe | None:
        """An asset's stored probe (asset_cache.probe, a dict or its JSON text) for the
        render, or None: a font, a subtitle file, a LUT, or a probe made before probes
        carried their version (the render probes those itself)."""
        if isinstance(summary, str):
            summary = json.loads(summary)
        if not summary or any(key in summary for key in ("font", "subtitles", "lut")):
            return None
        try:
            probe = cls.model_validate(summary)
        except ValidationError:
            return None
        return probe if probe.current else None


class Asset(BaseModel):
    """A source as the render fleet gets it: content-addressed in S3, already probed.

    `probe` is None for fonts, and for media whose probe storage did not keep in the current
    form (assets cached by an older version); the render probes those itself.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    sha256: str
    bucket: str
    key: str
    size: int
    content_type: str | None = None
    probe: MediaProbe | None = None


class RenderRequested(EventBase):
    """Render this spec from these assets.

    Version 2: `assets[].probe` carries storage's probe results. A version 1 request (none)
    still renders: the worker probes each source itself.
    """

    type: Literal["render.requested"] = "render.requested"
    version: int = 2
    spec: dict[str, Any]
    assets: list[Asset]
    attempt: int = 1


class SliceRequested(EventBase):
    """Render one unit of a split job (services/render/split.py): a video slice
    `[start, end)` or, `kind="audio"`, the whole sound track; any render worker takes it.

    Keyed by job and unit, not by job alone: a job's slices spread over the render topic's
    partitions, so that many workers render them at once.
    """

    type: Literal["render.slice_requested"] = "render.slice_requested"
    spec: dict[str, Any]
    assets: list[Asset]
    attempt: int = 1
    kind: Literal["video", "audio"]
    unit: int = Field(ge=0)
    units: int = Field(ge=2)
    start: float = Field(ge=0)
    end: float = Field(gt=0)

    @property
    def partition_key(self) -> bytes:
        return f"{self.job_id}/{self.unit}".encode()


class StepChanged(EventBase):
    """A step started, progressed or ended. `progress` is the whole job's percentage."""

    type: Literal["step.changed"] = "step.changed"
    step: Step
    state: Literal["started", "progress", "completed", "failed"]
    progress: int | None = Field(None, ge=0, le=100)
    worker_id: str | None = None
    attempt: int = 1
    details: dict[str, Any] = Field(default_factory=dict)


class OutputFile(BaseModel):
    """One file of a job's result: a rendition, an HLS playlist or segment, a still, the
    thumbnail sprite or its index. `path` is its place under the job's folder; `key` its
    object (staging in RenderFinished, final in JobCompleted); `url` is set in JobCompleted."""

    model_config = ConfigDict(frozen=True)

    path: str
    kind: str
    key: str
    size: int
    content_type: str
    name: str | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    url: str | None = None


class RenderFinished(EventBase):
    type: Literal["render.finished"] = "render.finished"
    bucket: str
    key: str
    size: int
    duration: float
    poster_key: str | None = None
    render_seconds: float
    worker_id: str
    attempt: int = 1
    files: list[OutputFile] = Field(default_factory=list)  # every file, the main one first


class JobCompleted(EventBase):
    type: Literal["job.completed"] = "job.completed"
    result_url: str
    bucket: str
    key: str
    file_size: int
    duration: float
    poster_url: str | None = None
    files: list[OutputFile] = Field(default_factory=list)  # empty: the one output only


class JobFailed(EventBase):
    type: Literal["job.failed"] = "job.failed"
    step: Step
    error_code: str
    error_message: str
    status: Literal["failed", "timeout"] = "failed"
    retryable: bool = False


class JobCancelled(EventBase):
    type: Literal["job.cancelled"] = "job.cancelled"
    reason: str = "cancelled by the client"


Event = Annotated[
    JobAccepted | JobRejected | RenderRequested | SliceRequested | StepChanged | RenderFinished
    | JobCompleted | JobFailed | JobCancelled,
    Field(discriminator="type"),
]
_EVENT: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(data: bytes | str | dict[str, Any]) -> Event:
    """Decode any event; raises pydantic.ValidationError for anything else."""
    if isinstance(data, dict):
        return _EVENT.validate_python(data)
    return _EVENT.validate_json(data)
