"""Prometheus instruments of one render worker, in a registry of its own.

A registry per worker (not the process-global one) lets several workers live in one
process, as the integration tests run them, without clashing metric names.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["OUTCOMES", "SLICE_STATES", "RenderMetrics"]

OUTCOMES = ("completed", "failed", "timeout", "cancelled", "skipped", "interrupted")
"""completed: RenderFinished published; failed/timeout: this delivery failed (retries count
again); cancelled: the job ended elsewhere mid-render; skipped: the job was already over;
interrupted: the worker shut down mid-render and left the message to another worker."""
SLICE_STATES = ("rendering", "retried", "done", "stitched")


class RenderMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.render_seconds = Histogram(
            "vidgen_render_seconds", "Wall time of successful renders (FFmpeg only)",
            ["format"],
            buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200),
            registry=self.registry,
        )
        self.speed = Gauge(
            "vidgen_render_speed", "Encoding speed of the current or last render (x realtime)",
            registry=self.registry,
        )
        self.renders = Counter(
            "vidgen_renders", "Render deliveries handled, by outcome", ["outcome"],
            registry=self.registry,
        )
        self.in_progress = Gauge(
            "vidgen_render_in_progress", "Renders this worker is working on (0 or 1)",
            registry=self.registry,
        )
        self.partitions = Gauge(
            "vidgen_render_partitions_assigned",
            "Partitions of the render topic assigned to this worker",
            registry=self.registry,
        )
        self.slices = Counter(
            "vidgen_render_slices", "Units of split jobs, by state: rendering (first render), "
            "retried (rendered again), done, stitched (a job's units joined)", ["state"],
            registry=self.registry,
        )
        for outcome in OUTCOMES:
            self.renders.labels(outcome=outcome)
        for state in SLICE_STATES:
            self.slices.labels(state=state)

    def slice_state(self, state: str) -> None:
        self.slices.labels(state=state).inc()

    def outcome(self, outcome: str) -> None:
        self.renders.labels(outcome=outcome).inc()
