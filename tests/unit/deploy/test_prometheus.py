"""deploy/prometheus, checked by Prometheus' own promtool: the config (with its rule files)
loads, the rules parse, and the rule unit tests fire every alert on synthetic series."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

PROMETHEUS = Path(__file__).resolve().parents[3] / "deploy" / "prometheus"
SERVICES = {"ingest", "storage", "render", "metrics"}


def _promtool(promtool: str, *args: str) -> str:
    run = subprocess.run([promtool, *args], cwd=PROMETHEUS, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, f"promtool {' '.join(args)}:\n{run.stdout}\n{run.stderr}"
    return run.stdout + run.stderr


def test_config_is_valid_and_loads_the_rules(promtool: str) -> None:
    out = _promtool(promtool, "check", "config", "prometheus.yml")
    assert "SUCCESS: 1 rule files found" in out


def test_every_service_is_scraped_on_its_port() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == SERVICES
    assert jobs["render"]["dns_sd_configs"][0]["port"] == 8002
    assert jobs["ingest"]["static_configs"][0]["targets"] == ["ingest:8000"]


def test_rules_are_valid(promtool: str) -> None:
    out = _promtool(promtool, "check", "rules", "alerts.yml")
    assert "SUCCESS" in out


def test_rule_unit_tests_pass(promtool: str) -> None:
    out = _promtool(promtool, "test", "rules", "tests/alerts_test.yml")
    assert "SUCCESS" in out


def test_every_alert_is_exercised_by_a_rule_test() -> None:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    tests = yaml.safe_load((PROMETHEUS / "tests" / "alerts_test.yml").read_text())
    fired = {case["alertname"] for test in tests["tests"] for case in test["alert_rule_test"]
             if case.get("exp_alerts")}
    assert {"VidgenServiceDown", "VidgenJobsStalled", "VidgenJobFailureRatioHigh",
            "VidgenStepSlow", "VidgenConsumerLagHigh", "VidgenDeadLetters"} <= alerts
    assert alerts == fired


@pytest.mark.parametrize("rule", [
    "- alert: X\n  expr: vidgen_jobs_stalled >\n",      # not PromQL
    "- alert: X\n  expr: vidgen_jobs_stalled > 0\n  for: soon\n",  # not a duration
])
def test_promtool_rejects_a_broken_rule(promtool: str, tmp_path: Path, rule: str) -> None:
    """The checks above could fail: promtool refuses a broken rule file."""
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump({"groups": [{"name": "x", "rules": yaml.safe_load(rule)}]}))
    run = subprocess.run([promtool, "check", "rules", str(bad)], capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode != 0, run.stdout
