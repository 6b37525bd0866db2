"""deploy/k8s, checked without a cluster: every manifest parses and is listed by the
kustomization, the probes hit routes and ports the services really serve, the KEDA
ScaledObject watches the render group's real topic, and every environment variable is a
setting the services read."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from services.ingest.settings import IngestSettings
from services.metrics.settings import MetricsSettings
from services.render.health import health_app
from services.render.settings import RenderSettings
from services.render.subscribers import GROUP as RENDER_GROUP
from services.storage.settings import StorageSettings
from shared.cli import main as vidgen
from shared.events import Topics
from tests.unit.shared.settings_catalog import SETTINGS_CLASSES, env_names

K8S = Path(__file__).resolve().parents[3] / "deploy" / "k8s"
FILES = sorted(K8S.glob("*.yaml"))
SERVICES = ("ingest", "storage", "metrics", "render")
# Read by libraries, not by vidgen's settings: botocore (S3 credentials).
LIBRARY_ENV = frozenset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"})


def _objects() -> list[dict[str, Any]]:
    return [doc for path in FILES for doc in yaml.safe_load_all(path.read_text()) if doc]


OBJECTS = _objects()


def _one(kind: str, name: str) -> dict[str, Any]:
    (found,) = [o for o in OBJECTS if o["kind"] == kind and o["metadata"]["name"] == name]
    return found


def _config() -> dict[str, str]:
    return {k: str(v) for k, v in _one("ConfigMap", "vidgen-config")["data"].items()}


def _container(name: str) -> dict[str, Any]:
    (container,) = _one("Deployment", name)["spec"]["template"]["spec"]["containers"]
    return container


def _env(container: dict[str, Any]) -> dict[str, str]:
    """The container's environment as the service will see it (config map, then env)."""
    env = _config() if {"configMapRef": {"name": "vidgen-config"}} in container["envFrom"] \
        else {}
    env.update({e["name"]: str(e.get("value", "<ref>")) for e in container.get("env", [])})
    return env


def _setting_names() -> set[str]:
    """Every environment variable a settings class of the project reads."""
    return {name for cls in SETTINGS_CLASSES for names in env_names(cls).values()
            for name in names.split()}


def test_every_manifest_parses_and_is_in_the_kustomization() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in FILES} - {"kustomization.yaml"}
    for obj in OBJECTS:
        if obj["kind"] in {"Kustomization", "Namespace"}:
            continue
        assert obj["metadata"]["namespace"] == "vidgen", obj["metadata"]["name"]
    assert not [o for o in OBJECTS if o["kind"] == "Secret"], "secrets never live in files"


def _app(service: str) -> FastAPI:
    if service == "render":
        return health_app({}, CollectorRegistry(), lambda: True)
    module = {"ingest": "services.ingest.app", "storage": "services.storage.app",
              "metrics": "services.metrics.app"}[service]
    app: FastAPI = __import__(module, fromlist=["create_app"]).create_app()
    return app


def _served(app: FastAPI, path: str) -> bool:
    """The app routes GET `path` (it may fail without its dependencies: not a 404/405)."""

    async def get() -> int:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://k8s") as client:
            return (await client.get(path)).status_code

    return asyncio.run(get()) not in {404, 405}


def _port_setting(service: str, env: dict[str, str]) -> int:
    cls, field = {"ingest": (IngestSettings, "api_port"),
                  "storage": (StorageSettings, "storage_port"),
                  "metrics": (MetricsSettings, "metrics_port"),
                  "render": (RenderSettings, "render_port")}[service]
    default = cls.model_fields[field].default
    return int(env.get(f"VIDGEN_{field.upper()}", default))


@pytest.mark.parametrize("service", SERVICES)
def test_probes_hit_routes_and_ports_the_service_serves(service: str) -> None:
    container = _container(service)
    (port,) = container["ports"]
    assert port["containerPort"] == _port_setting(service, _env(container))
    app = _app(service)
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = container[probe]["httpGet"]
        assert get["path"] == path
        assert get["port"] in (port["name"], port["containerPort"])
        assert _served(app, path), f"{service} serves no {path}"
    assert _served(app, "/metrics")
    assert not _served(app, "/no-such-route")
    service_obj = _one("Service", service)
    (exposed,) = service_obj["spec"]["ports"]
    assert exposed["targetPort"] in (port["name"], port["containerPort"])
    assert service_obj["spec"]["selector"].items() <= \
        _one("Deployment", service)["spec"]["template"]["metadata"]["labels"].items()


def test_services_listen_on_all_interfaces() -> None:
    assert _env(_container("ingest"))["VIDGEN_API_HOST"] == "0.0.0.0"
    assert _env(_container("render"))["VIDGEN_RENDER_HOST"] == "0.0.0.0"
    assert _env(_container("metrics"))["VIDGEN_METRICS_HOST"] == "0.0.0.0"
    assert _container("storage")["command"][-2:] == ["--host", "0.0.0.0"]


def test_render_has_resources_and_time_to_drain() -> None:
    pod = _one("Deployment", "render")["spec"]["template"]["spec"]
    container = _container("render")
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    grace = float(_env(container)["VIDGEN_RENDER_SHUTDOWN_GRACE"])
    assert grace >= 60
    assert pod["terminationGracePeriodSeconds"] > grace  # the drain ends before SIGKILL


def test_scaled_object_scales_render_on_its_consumer_lag() -> None:
    scaled = _one("ScaledObject", "render")
    target = scaled["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "render")
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert meta["consumerGroup"] == RENDER_GROUP
    assert meta["topic"] == Topics(prefix=_config()["VIDGEN_TOPIC_PREFIX"]).render
    assert meta["bootstrapServersFromEnv"] in _env(_container("render"))
    assert scaled["spec"]["maxReplicaCount"] <= int(_config()["VIDGEN_TOPIC_PARTITIONS"])


def test_migration_job_runs_vidgen_db_migrate() -> None:
    (container,) = _one("Job", "vidgen-migrate")["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["vidgen", "db", "migrate"]
    (url,) = [e for e in container["env"] if e["name"] == "DATABASE_URL"]
    assert url["valueFrom"]["secretKeyRef"]["key"] == "DATABASE_OWNER_URL"  # not the app login
    with pytest.raises(SystemExit) as help_exit:
        vidgen([*container["command"][1:], "--help"])
    assert help_exit.value.code == 0


def test_every_env_var_is_a_real_setting() -> None:
    known = _setting_names() | LIBRARY_ENV
    assert "VIDGEN_RENDER_SHUTDOWN_GRACE" in known and "DATABASE_URL" in known
    assert "VIDGEN_NOT_A_SETTING" not in known
    used = set(_config())
    for obj in OBJECTS:
        if obj["kind"] not in {"Deployment", "Job"}:
            continue
        for container in obj["spec"]["template"]["spec"]["containers"]:
            used.update(e["name"] for e in container.get("env", []))
    assert used - known == set(), f"not read by any setting: {sorted(used - known)}"


def test_secret_values_come_from_secret_refs() -> None:
    for obj in OBJECTS:
        if obj["kind"] not in {"Deployment", "Job"}:
            continue
        for container in obj["spec"]["template"]["spec"]["containers"]:
            for env in container.get("env", []):
                if any(word in env["name"] for word in ("SECRET", "PASSWORD", "DATABASE_URL")):
                    assert "secretKeyRef" in env.get("valueFrom", {}), env
    assert not {k for k in _config() if "SECRET" in k or "PASSWORD" in k}
