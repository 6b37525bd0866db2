"""Prometheus metrics of the ingest service (default registry, served at /metrics; the HTTP
request count and latency come from shared.telemetry)."""

from __future__ import annotations

from prometheus_client import Counter

__all__ = ["EVENTS_PROJECTED", "JOBS_CREATED", "JOBS_REJECTED"]

JOBS_CREATED = Counter("vidgen_jobs_created_total",
                       "Jobs created, by where the request came from (http, kafka)", ["source"])
JOBS_REJECTED = Counter("vidgen_jobs_rejected_total",
                        "Job requests from the requests topic rejected as invalid", ["source"])
EVENTS_PROJECTED = Counter("vidgen_ingest_events_projected_total",
                           "Events handled by the jobs/timeline projection", ["type"])
