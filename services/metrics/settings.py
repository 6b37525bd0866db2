"""The metrics service's own settings: its listener, retention schedule and alert rules."""

from __future__ import annotations

from pydantic import Field

from shared.settings import PlatformSettings

__all__ = ["MetricsSettings"]


class MetricsSettings(PlatformSettings):
    """The platform's settings and the metrics service's: listener, retention, alerts."""

    metrics_port: int = Field(8003, ge=0, le=65535, description="metrics service HTTP")
    metrics_host: str = Field("127.0.0.1", description="address the metrics service listens on")
    retention_interval: float = Field(3600.0, gt=0, description="seconds between retention runs")
    retention_job_days: int = Field(30, ge=0, description="finished jobs kept this many days")
    retention_metric_days: int = Field(7, ge=0, description="system_metrics rows kept")
    retention_log_days: int = Field(90, ge=0, description="url access and security logs kept")
    retention_event_days: int = Field(14, ge=0, description="processed events and sent outbox")
    alert_interval: float = Field(60.0, gt=0, description="seconds between alert checks")
    gauge_interval: float = Field(
        15.0, gt=0, description="seconds between refreshes of the backlog and consumer-lag gauges"
    )
    alert_window: float = Field(900.0, gt=0, description="seconds of finished jobs for the ratio")
    alert_failure_ratio: float = Field(0.5, ge=0, le=1, description="failed/finished that alerts")
    alert_min_jobs: int = Field(5, ge=1, description="finished jobs needed before the ratio counts")
    alert_stalled_jobs: int = Field(1, ge=1, description="stalled active jobs that alert")
    alert_webhook: str | None = Field(None, description="URL POSTed when an alert fires/resolves")
    alert_webhook_timeout: float = Field(5.0, gt=0)
