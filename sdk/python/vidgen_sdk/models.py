"""What the hand-written layer answers: a job's status and the events of its stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["TERMINAL", "JobStatus", "ServerEvent"]

#: The statuses a job ends in.
TERMINAL = frozenset({"completed", "failed", "cancelled", "timeout"})


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class JobStatus:
    """A job as `GET /v1/jobs/{id}` (or the create answer) shows it; `raw` is all of it."""

    job_id: str
    status: str
    progress: float | None = None
    current_step: str | None = None
    result_url: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def done(self) -> bool:
        """True once the job has ended (completed, failed, cancelled or timed out)."""
        return self.status in TERMINAL

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> JobStatus:
        return cls(
            job_id=str(body.get("job_id", "")),
            status=str(body.get("status", "")),
            progress=_float(body.get("progress", body.get("progress_percentage"))),
            current_step=_str(body.get("current_step")),
            result_url=_str(body.get("result_url")),
            error_code=_str(body.get("error_code")),
            error_message=_str(body.get("error_message")),
            raw=body,
        )


@dataclass(frozen=True)
class ServerEvent:
    """One server-sent event: `event` (`step`, `status`, `progress`, `end`), its `id`
    (resume from it with `last_event_id`) and its decoded JSON `data`."""

    event: str
    id: str | None
    data: Any
