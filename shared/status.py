"""The one vocabulary of job statuses (the `job_status` enum of the schema).

Every service and the client decide "is this job over?" with `TERMINAL`, and "is it still
waiting or running?" with `ACTIVE`, so a new status is added in one place. `JobStatus` is a
`StrEnum`: its members equal the plain strings Postgres and the API return, so
`row["status"] in TERMINAL` works on either.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ACTIVE", "TERMINAL", "JobStatus"]


class JobStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"


ACTIVE: frozenset[str] = frozenset({JobStatus.PENDING, JobStatus.PROCESSING})
"""Not finished yet: waiting for a worker, or on one."""

TERMINAL: frozenset[str] = frozenset(
    {JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMEOUT})
"""Finished: nothing will change the job's status any more."""
