"""Minimal alerting: stalled jobs and the failure ratio, checked periodically.

Each check writes one gauge sample per rule with its `alert_threshold` and `is_alert`; the
previous sample of the rule says whether the state changed, and only a change (firing or
resolved) is POSTed to `VIDGEN_ALERT_WEBHOOK`. The check runs under an advisory lock, so
several metrics instances neither double-count nor double-notify.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from services.metrics import db, prom
from services.metrics.samples import Sample
from services.metrics.settings import MetricsSettings
from shared.db.pool import transaction

__all__ = ["Alert", "AlertChecker", "post_alert"]

_LOCK = 0x616C65727473  # "alerts"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    name: str
    value: float
    threshold: float
    firing: bool
    changed: bool
    unit: str
    labels: dict[str, str] = field(default_factory=dict)

    def payload(self, instance: str) -> dict[str, Any]:
        return {"alert": self.name, "status": "firing" if self.firing else "resolved",
                "value": self.value, "threshold": self.threshold, "unit": self.unit,
                "labels": self.labels, "service": db.SERVICE, "instance": instance,
                "at": datetime.now(UTC).isoformat()}


class AlertChecker:
    def __init__(self, pool: asyncpg.Pool, settings: MetricsSettings) -> None:
        self.pool = pool
        self.settings = settings

    async def check(self) -> list[Alert] | None:
        """Evaluate every rule, store the samples, notify changes; None if another
        instance is checking right now."""
        rules = self.settings
        async with transaction(self.pool) as conn:
            if not await db.try_lock(conn, _LOCK):
                return None
            stalled = await db.stalled_jobs(conn, rules.stall_after)
            failed, finished = await db.failure_counts(conn, rules.alert_window)
            ratio = failed / finished if finished else 0.0
            alerts = [
                await _evaluate(conn, "stalled_jobs", stalled, rules.alert_stalled_jobs,
                                stalled >= rules.alert_stalled_jobs, "jobs"),
                await _evaluate(conn, "job_failure_ratio", ratio, rules.alert_failure_ratio,
                                finished >= rules.alert_min_jobs
                                and ratio >= rules.alert_failure_ratio, "ratio",
                                {"window_seconds": str(int(rules.alert_window))}),
            ]
            await db.insert_samples(conn, [_sample(alert) for alert in alerts],
                                    instance=rules.instance_id)
        for alert in alerts:
            prom.ALERT_ACTIVE.labels(alert.name).set(1 if alert.firing else 0)
            if alert.changed:
                log.warning("alert %s %s: %s (threshold %s)", alert.name,
                            "firing" if alert.firing else "resolved", alert.value,
                            alert.threshold)
                if rules.alert_webhook:
                    await post_alert(rules.alert_webhook, alert.payload(rules.instance_id),
                                     timeout=rules.alert_webhook_timeout)
        return alerts


async def _evaluate(conn: asyncpg.Connection, name: str, value: float, threshold: float,
                    firing: bool, unit: str, labels: dict[str, str] | None = None) -> Alert:
    was_firing = await db.last_alert_state(conn, name)
    return Alert(name, float(value), float(threshold), firing, firing != was_firing, unit,
                 labels or {})


def _sample(alert: Alert) -> Sample:
    return Sample(alert.name, alert.value, alert.labels, "gauge", alert.unit,
                  alert_threshold=alert.threshold, is_alert=alert.firing)


async def post_alert(url: str, payload: dict[str, Any], *, timeout: float) -> bool:
    """POST `payload` as JSON; True on a 2xx answer. Never raises: alerting must not take
    the service down, and a dead webhook is only logged."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.post(url, json=payload)
    except Exception as exc:
        log.warning("alert webhook %s: %s", url, exc)
        return False
    if not response.is_success:
        log.warning("alert webhook %s answered %d", url, response.status_code)
    return response.is_success
