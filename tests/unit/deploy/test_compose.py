"""docker-compose.yml and the Dockerfile, checked without Docker: the YAML parses, every
file it mounts or builds from exists, and the services run the modules this repo has."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("ingest", "storage", "render", "metrics")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_component_of_the_brief_is_there(compose):
    services = compose["services"]
    assert {"postgres", "kafka", "minio", "minio-init", "migrate", *SERVICES, "prometheus",
            "grafana", "jaeger"} <= set(services)
    assert services["postgres"]["image"] == "postgres:16"
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "mc mb" in " ".join(services["minio-init"]["entrypoint"])


def test_the_four_services_share_one_image_and_run_their_module(compose):
    services = compose["services"]
    for name in SERVICES:
        service = services[name]
        assert service["build"] == "." and service["image"] == "vidgen:latest"
        assert service["command"][:3] == ["python", "-m", f"services.{name}"]
        assert (ROOT / "services" / name / "__main__.py").is_file()
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http://jaeger:")
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/readyz" in " ".join(service["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["python", "-m", "shared.db.migrate", "up"]
    assert services["render"]["deploy"]["replicas"] >= 2


def test_mounted_and_built_files_exist(compose):
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "pip install ." in dockerfile and "imageio_ffmpeg" in dockerfile
    for copied in ("pyproject.toml", "README.md", "shared", "services"):
        assert (ROOT / copied).exists()


def test_prometheus_scrapes_every_service(compose):
    config = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == set(SERVICES)
    assert jobs["render"]["dns_sd_configs"][0]["names"] == ["render"]
    datasources = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/datasources.yml").read_text())
    assert {d["type"] for d in datasources["datasources"]} == {"prometheus", "jaeger"}
