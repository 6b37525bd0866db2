"""JSON answers: the native job view and the earlier version's shapes."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

__all__ = [
    "compat_accepted",
    "compat_result",
    "element_view",
    "job_view",
    "jsonable",
    "native_accepted",
    "status_path",
    "timeline_view",
]


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)  # UUID, IP address


def _record(row: asyncpg.Record) -> dict[str, Any]:
    return {key: jsonable(value) for key, value in row.items()}


def status_path(job_id: Any) -> str:
    return f"/v1/jobs/{job_id}"


def job_view(row: asyncpg.Record) -> dict[str, Any]:
    """A job as the native API shows it."""
    data = _record(row)
    job_id = data.pop("id")
    for private in ("client_ip", "api_key_id", "user_agent", "s3_bucket", "s3_key", "spec"):
        data.pop(private, None)
    output = {name: data.pop(f"output_{name}" if name == "format" else name)
              for name in ("format", "width", "height", "fps", "duration")}
    files = data.pop("result_files", None)
    if files is not None:  # a delivery: every file, the main output (result_url) first
        data["files"] = files
    template_id, version = data.pop("template_id", None), data.pop("template_version", None)
    if template_id is not None:  # made from a template: which one, which version
        data["template"] = {"id": template_id, "version": version}
    return {"job_id": job_id, **data, "output": output, "status_url": status_path(job_id)}


def native_accepted(row: asyncpg.Record) -> dict[str, Any]:
    """The 202 answer: the job as it is, plus when it is expected to be done."""
    view = job_view(row)
    view["estimated_completion"] = _eta(row)
    return view


def element_view(row: asyncpg.Record) -> dict[str, Any]:
    return _record(row)


def timeline_view(row: asyncpg.Record) -> dict[str, Any]:
    return _record(row)


def _eta(row: asyncpg.Record) -> str | None:
    estimate = row["estimated_time_ms"]
    if estimate is None:
        return None
    start: datetime = row["started_at"] or row["created_at"]
    return (start + timedelta(milliseconds=estimate)).isoformat()


def compat_accepted(row: asyncpg.Record) -> dict[str, Any]:
    """The earlier version's 202 answer."""
    job_id = str(row["id"])
    return {
        "status": "processing",
        "job_id": job_id,
        "message": "Video is being processed; check its status at status_check_endpoint",
        "estimated_completion": _eta(row),
        "status_check_endpoint": f"/api/v1/videoresult/{job_id}",
    }


_MESSAGES = {
    "completed": "Video created successfully",
    "pending": "Video is queued for processing",
    "processing": "Video is being processed",
    "failed": "Video processing failed",
    "timeout": "Video processing timed out",
    "cancelled": "Video processing was cancelled",
}


def compat_result(row: asyncpg.Record) -> dict[str, Any]:
    """The earlier version's answer for a job: its 200 shape once completed."""
    status = str(row["status"])
    job_id = str(row["id"])
    if status == "completed":
        return {"status": "completed", "job_id": job_id, "result_url": row["result_url"],
                "file_size": row["file_size"], "processing_time": row["processing_time_ms"],
                "message": _MESSAGES[status]}
    answer: dict[str, Any] = {
        "status": status, "job_id": job_id, "message": _MESSAGES.get(status, status),
        "progress": row["progress_percentage"], "current_step": row["current_step"],
    }
    if status in ("pending", "processing"):
        answer["estimated_completion"] = _eta(row)
        answer["status_check_endpoint"] = f"/api/v1/videoresult/{job_id}"
    else:
        answer["error_code"] = row["error_code"]
        answer["error"] = row["error_message"]
    return answer
