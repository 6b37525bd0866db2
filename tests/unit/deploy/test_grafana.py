"""deploy/grafana: the provisioning loads, the dashboard is well formed, uses the provisioned
Prometheus data source, and every panel (and every alert rule) queries only series the
services really export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.deploy.promql import PROMETHEUS_SERIES, exported_series, series_in

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
PROVISIONING = DEPLOY / "grafana" / "provisioning"
DASHBOARDS = sorted((PROVISIONING / "dashboards").glob("*.json"))
ISSUE_PANELS = ("throughput", "backlog", "step latency", "failure", "render speed",
                "consumer lag", "dead letters")


def _prometheus_uid() -> str:
    config = yaml.safe_load((PROVISIONING / "datasources" / "datasources.yml").read_text())
    (source,) = [s for s in config["datasources"] if s["type"] == "prometheus"]
    return str(source["uid"])


@pytest.fixture(scope="module")
def exported() -> frozenset[str]:
    return exported_series() | PROMETHEUS_SERIES


def test_the_provider_loads_the_dashboards_folder() -> None:
    config = yaml.safe_load((PROVISIONING / "dashboards" / "dashboards.yml").read_text())
    (provider,) = config["providers"]
    assert provider["type"] == "file"
    # docker-compose.yml mounts deploy/grafana/provisioning at /etc/grafana/provisioning
    assert provider["options"]["path"] == "/etc/grafana/provisioning/dashboards"
    assert DASHBOARDS, "no dashboard JSON beside the provider"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_structure(path: Path) -> None:
    board: dict[str, Any] = json.loads(path.read_text())
    assert board["uid"] and board["title"] and isinstance(board["schemaVersion"], int)
    uid = _prometheus_uid()
    titles = []
    for panel in board["panels"]:
        assert panel["type"] in {"timeseries", "stat", "gauge", "bargauge", "table"}, panel
        assert panel["title"]
        titles.append(panel["title"].lower())
        grid = panel["gridPos"]
        assert {"x", "y", "w", "h"} <= set(grid)
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24 and grid["h"] > 0
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["expr"].strip() and target["refId"]
            assert target.get("datasource", panel["datasource"])["uid"] == uid
    assert len({p["id"] for p in board["panels"]}) == len(board["panels"])
    for wanted in ISSUE_PANELS:
        assert any(wanted in title for title in titles), f"no panel about {wanted}"


def _dashboard_exprs() -> list[tuple[str, str]]:
    return [(f"{path.name}: {panel['title']}", target["expr"])
            for path in DASHBOARDS for panel in json.loads(path.read_text())["panels"]
            for target in panel["targets"]]


def _alert_exprs() -> list[tuple[str, str]]:
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    return [(rule["alert"], rule["expr"]) for group in rules["groups"] for rule in group["rules"]]


@pytest.mark.parametrize(("where", "expr"), _dashboard_exprs() + _alert_exprs(),
                         ids=lambda v: v if len(v) < 60 else v[:60])
def test_queries_name_only_exported_series(exported: frozenset[str], where: str,
                                           expr: str) -> None:
    names = series_in(expr)
    assert names, f"{where}: no series found in {expr!r}"
    assert names <= exported, f"{where}: not exported by any service: {names - exported}"


def test_the_name_checks_can_fail(exported: frozenset[str]) -> None:
    expr = ('histogram_quantile(0.95, sum by (le, step) (rate(vidgen_step_duration_seconds_bucket'
            '{step!~"a|b"}[5m]))) / on(step) group_left vidgen_nope_total > bool 2')
    assert series_in(expr) == {"vidgen_step_duration_seconds_bucket", "vidgen_nope_total"}
    assert "vidgen_step_duration_seconds_bucket" in exported
    assert "vidgen_step_duration_seconds" not in exported  # a histogram has no bare series
    assert "vidgen_nope_total" not in exported
    assert {"vidgen_kafka_consumer_lag_messages", "vidgen_render_speed_ratio_count",
            "vidgen_http_request_duration_seconds_bucket", "vidgen_storage_bytes_total",
            "vidgen_renders_total", "vidgen_dlq_messages_total"} <= exported
