"""What the services export, and which series a PromQL expression names.

The exported names come from the services' own registries, imported in-process: the
process-wide registry (ingest, storage, metrics, shared HTTP middleware) and a render
worker's registry. A histogram `x` exports `x_bucket`, `x_sum`, `x_count`; a counter `x`
exports `x_total`.
"""

from __future__ import annotations

import importlib
import re

from prometheus_client import REGISTRY, CollectorRegistry

from services.render.metrics import RenderMetrics

__all__ = ["PROMETHEUS_SERIES", "exported_series", "series_in"]

#: Series Prometheus adds itself to every target.
PROMETHEUS_SERIES = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped"})

_SERVICE_METRICS = ("shared.telemetry", "services.ingest.metrics", "services.ingest.webhooks",
                    "services.storage.metrics", "services.metrics.prom")
_SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_sum", "_count",
                                                                "_created"),
             "summary": ("_sum", "_count", "_created"), "gauge": ("",), "info": ("_info",)}
_KEYWORDS = frozenset({
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile",
    "count_values", "group", "by", "without", "on", "ignoring", "group_left", "group_right",
    "and", "or", "unless", "bool", "offset", "inf", "nan",
})


def _names(registry: CollectorRegistry) -> set[str]:
    names: set[str] = set()
    for family in registry.collect():
        names.update(family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",)))
    return names


def exported_series() -> frozenset[str]:
    """Every series name a vidgen service serves at /metrics."""
    for module in _SERVICE_METRICS:
        importlib.import_module(module)
    return frozenset(_names(REGISTRY) | _names(RenderMetrics().registry))


def series_in(expr: str) -> set[str]:
    """Metric names in a PromQL expression: identifiers that are not functions, keywords,
    label names (inside braces or after by/without/on/ignoring) or numbers."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)           # string literals
    text = re.sub(r"\{[^}]*\}", " ", text)                     # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)                    # ranges, subqueries
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)(\s*\()?", text):
        name, call = match.group(1), match.group(2)
        if call or name.lower() in _KEYWORDS or re.fullmatch(r"\d+[smhdwy]", name):
            continue
        names.add(name)
    return names
