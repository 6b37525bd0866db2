"""Where settings live and who reads them.

Each service's own variables are fields of its own class (services/<name>/settings.py) under
the same names as before; PlatformSettings keeps what several services share. Settings are
read from the environment only by the entry points (each service's app.py, `__main__`, the
CLI commands, the dev stack); everything else gets them passed in.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from services.ingest.settings import IngestSettings
from services.metrics.settings import MetricsSettings
from services.render.settings import RenderSettings
from services.storage.settings import StorageSettings
from shared.client.settings import ClientSettings
from shared.settings import PlatformSettings
from tests.unit.shared.settings_catalog import SETTINGS_CLASSES, env_names

ROOT = Path(__file__).resolve().parents[3]

# (class, field, variable, value in the environment, the field's value)
MOVED: list[tuple[type[BaseSettings], str, str, str, object]] = [
    (IngestSettings, "api_host", "VIDGEN_API_HOST", "0.0.0.0", "0.0.0.0"),
    (IngestSettings, "api_port", "VIDGEN_API_PORT", "18000", 18000),
    (IngestSettings, "immediate_wait", "VIDGEN_IMMEDIATE_WAIT", "7.5", 7.5),
    (IngestSettings, "sse_keepalive", "VIDGEN_SSE_KEEPALIVE", "3", 3.0),
    (IngestSettings, "sse_linger", "VIDGEN_SSE_LINGER", "0", 0.0),
    (IngestSettings, "webhook_secret", "VIDGEN_WEBHOOK_SECRET", "hook-key", "hook-key"),
    (IngestSettings, "render_urls", "VIDGEN_RENDER_URLS", "http://r1:2,http://r2:3",
     "http://r1:2,http://r2:3"),
    (IngestSettings, "preview_timeout", "VIDGEN_PREVIEW_TIMEOUT", "4", 4.0),
    (IngestSettings, "preview_fetch_timeout", "VIDGEN_PREVIEW_FETCH_TIMEOUT", "7", 7.0),
    (IngestSettings, "storage_url", "VIDGEN_STORAGE_URL VIDGEN_RESULTS_URL", "http://s.example",
     "http://s.example"),
    (IngestSettings, "examples_dir", "VIDGEN_EXAMPLES_DIR", "/examples", "/examples"),
    (StorageSettings, "storage_port", "VIDGEN_STORAGE_PORT", "18001", 18001),
    (StorageSettings, "results_url", "VIDGEN_RESULTS_URL", "https://r.example", "https://r.example"),
    (StorageSettings, "signed_results", "VIDGEN_SIGNED_RESULTS", "1", True),
    (StorageSettings, "results_secret", "VIDGEN_RESULTS_SECRET", "sign-key", "sign-key"),
    (StorageSettings, "signed_results_ttl", "VIDGEN_SIGNED_RESULTS_TTL", "600", 600),
    (StorageSettings, "max_source_bytes", "VIDGEN_MAX_SOURCE_BYTES", "1234", 1234),
    (StorageSettings, "max_lut_bytes", "VIDGEN_MAX_LUT_BYTES", "4096", 4096),
    (StorageSettings, "max_job_source_bytes", "VIDGEN_MAX_JOB_SOURCE_BYTES", "5678", 5678),
    (StorageSettings, "fetch_timeout", "VIDGEN_FETCH_TIMEOUT", "9", 9.0),
    (StorageSettings, "geoip_db", "VIDGEN_GEOIP_DB", "/geo.mmdb", "/geo.mmdb"),
    (StorageSettings, "storage_concurrency", "VIDGEN_STORAGE_CONCURRENCY", "3", 3),
    (StorageSettings, "fetch_min_rate", "VIDGEN_FETCH_MIN_RATE", "0", 0.0),
    (StorageSettings, "fetch_rate_window", "VIDGEN_FETCH_RATE_WINDOW", "2.5", 2.5),
    (StorageSettings, "fetch_deadline", "VIDGEN_FETCH_DEADLINE", "30", 30.0),
    (RenderSettings, "render_port", "VIDGEN_RENDER_PORT", "18002", 18002),
    (RenderSettings, "render_host", "VIDGEN_RENDER_HOST", "0.0.0.0", "0.0.0.0"),
    (RenderSettings, "render_shutdown_grace", "VIDGEN_RENDER_SHUTDOWN_GRACE", "4", 4.0),
    (RenderSettings, "preview_slots", "VIDGEN_PREVIEW_SLOTS", "5", 5),
    (RenderSettings, "preview_cache_bytes", "VIDGEN_PREVIEW_CACHE_BYTES", "1000", 1000),
    (RenderSettings, "split_min_seconds", "VIDGEN_SPLIT_MIN_SECONDS", "300", 300.0),
    (RenderSettings, "split_slice_seconds", "VIDGEN_SPLIT_SLICE_SECONDS", "12.5", 12.5),
    (MetricsSettings, "metrics_port", "VIDGEN_METRICS_PORT", "18003", 18003),
    (MetricsSettings, "metrics_host", "VIDGEN_METRICS_HOST", "0.0.0.0", "0.0.0.0"),
    (MetricsSettings, "retention_interval", "VIDGEN_RETENTION_INTERVAL", "60", 60.0),
    (MetricsSettings, "retention_job_days", "VIDGEN_RETENTION_JOB_DAYS", "3", 3),
    (MetricsSettings, "retention_metric_days", "VIDGEN_RETENTION_METRIC_DAYS", "2", 2),
    (MetricsSettings, "retention_log_days", "VIDGEN_RETENTION_LOG_DAYS", "9", 9),
    (MetricsSettings, "retention_event_days", "VIDGEN_RETENTION_EVENT_DAYS", "4", 4),
    (MetricsSettings, "alert_interval", "VIDGEN_ALERT_INTERVAL", "5", 5.0),
    (MetricsSettings, "gauge_interval", "VIDGEN_GAUGE_INTERVAL", "6", 6.0),
    (MetricsSettings, "alert_window", "VIDGEN_ALERT_WINDOW", "120", 120.0),
    (MetricsSettings, "alert_failure_ratio", "VIDGEN_ALERT_FAILURE_RATIO", "0.25", 0.25),
    (MetricsSettings, "alert_min_jobs", "VIDGEN_ALERT_MIN_JOBS", "8", 8),
    (MetricsSettings, "alert_stalled_jobs", "VIDGEN_ALERT_STALLED_JOBS", "2", 2),
    (MetricsSettings, "alert_webhook", "VIDGEN_ALERT_WEBHOOK", "https://a.example",
     "https://a.example"),
    (MetricsSettings, "alert_webhook_timeout", "VIDGEN_ALERT_WEBHOOK_TIMEOUT", "1.5", 1.5),
    (ClientSettings, "public_url", "VIDGEN_PUBLIC_URL", "https://api.example",
     "https://api.example"),
    (ClientSettings, "results_url", "VIDGEN_RESULTS_URL", "https://r.example",
     "https://r.example"),
]
SERVICE_CLASSES = (IngestSettings, StorageSettings, RenderSettings, MetricsSettings)


@pytest.mark.parametrize(("cls", "field", "variable", "raw", "expected"), MOVED,
                         ids=[f"{row[0].__name__}.{row[1]}" for row in MOVED])
def test_each_moved_variable_reaches_its_field(
        monkeypatch: pytest.MonkeyPatch, cls: type[BaseSettings], field: str, variable: str,
        raw: str, expected: object) -> None:
    assert env_names(cls)[field] == variable
    default = cls.model_fields[field].default
    assert default != expected, "the value must differ from the default to prove anything"
    monkeypatch.setenv(variable.split()[0], raw)  # of several names (aliases), the first
    assert getattr(cls(), field) == expected


@pytest.mark.parametrize("cls", SERVICE_CLASSES, ids=lambda cls: cls.__name__)
def test_a_service_class_has_its_own_fields_and_the_shared_ones(
        monkeypatch: pytest.MonkeyPatch, cls: type[PlatformSettings]) -> None:
    own = set(cls.model_fields) - set(PlatformSettings.model_fields)
    assert own == {field for owner, field, *_ in MOVED if owner is cls}
    monkeypatch.setenv("DATABASE_URL", "postgresql://elsewhere/db")
    monkeypatch.setenv("VIDGEN_TOPIC_PREFIX", "other")
    settings = cls()
    assert settings.database_url == "postgresql://elsewhere/db"
    assert settings.topics.requests.startswith("other.")


def test_the_shared_class_keeps_no_service_field() -> None:
    moved = {field for owner, field, *_ in MOVED if owner is not ClientSettings}
    assert moved.isdisjoint(PlatformSettings.model_fields)
    assert {"public_url", "results_url"}.isdisjoint(PlatformSettings.model_fields)


def test_no_two_classes_read_one_variable_into_different_defaults() -> None:
    """A variable read by two classes (RESULTS_URL, RATE_LIMIT...) means the same there."""
    seen: dict[str, object] = {}
    for cls in SETTINGS_CLASSES:
        for field, names in env_names(cls).items():
            default = cls.model_fields[field].default
            for name in names.split():
                assert seen.setdefault(name, default) == default, (cls.__name__, name)


# ------------------------------------------------------------------- who reads settings

SETTINGS_NAMES = frozenset({cls.__name__ for cls in SETTINGS_CLASSES}
                           | {"platform_settings", "engine_settings"})
# Entry points: whole modules by name (a service's wiring, `python -m`, the CLI commands)...
ENTRY_FILES = frozenset({"app.py", "__main__.py", "cli.py", "keys_cli.py"})
ENTRY_PACKAGES = ("shared/devstack/", "shared/testing/")  # `vidgen dev`; the test starters
# ...and single functions of other modules.
ENTRY_FUNCTIONS: dict[str, frozenset[str]] = {
    "shared/settings.py": frozenset({"engine_settings", "platform_settings"}),
    "shared/asyncapi.py": frozenset({"_print"}),  # `vidgen asyncapi`
    "shared/client/templates.py": frozenset({"client_from", "add_client_options"}),
    "shared/db/migrate.py": frozenset({"main"}),  # `python -m shared.db.migrate`
}


def _reads(tree: ast.AST) -> Iterator[tuple[str, str, int]]:
    """(enclosing function, what, line) of each settings construction or environment read."""

    def walk(node: ast.AST, function: str) -> Iterator[tuple[str, str, int]]:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) \
                else function
            if isinstance(child, ast.Call):
                func = child.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    func = func.value  # PlatformSettings.model_validate(...)
                if isinstance(func, ast.Name) and func.id in SETTINGS_NAMES:
                    yield inner, func.id, child.lineno
            if (isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name)
                    and child.value.id == "os" and child.attr in {"environ", "getenv"}):
                yield inner, f"os.{child.attr}", child.lineno
            if (isinstance(child, ast.ImportFrom) and child.module == "os"
                    and any(alias.name in {"environ", "getenv"} for alias in child.names)):
                yield inner, "from os import environ/getenv", child.lineno
            yield from walk(child, inner)

    yield from walk(tree, "<module>")


def _violations(root: Path) -> list[str]:
    found = []
    for top in ("services", "shared"):
        for path in sorted((root / top).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if path.name in ENTRY_FILES or name.startswith(ENTRY_PACKAGES):
                continue
            allowed = ENTRY_FUNCTIONS.get(name, frozenset())
            for function, what, line in _reads(ast.parse(path.read_text(encoding="utf-8"))):
                if function not in allowed:
                    found.append(f"{name}:{line} {function}: {what}")
    return found


def test_only_entry_points_read_settings_from_the_environment() -> None:
    assert _violations(ROOT) == []


def test_the_scan_finds_a_constructor_that_reads_settings(tmp_path: Path) -> None:
    """The check above can fail: a service module building settings or reading os.environ."""
    module = tmp_path / "services" / "storage" / "sink.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import os\n"
        "from services.storage.settings import StorageSettings\n"
        "class Sink:\n"
        "    def __init__(self):\n"
        "        self.settings = StorageSettings()\n"
        "        self.dir = os.environ.get('TMP')\n"
        "def helper():\n"
        "    return PlatformSettings.model_validate({})\n", encoding="utf-8")
    (tmp_path / "services" / "storage" / "app.py").write_text(
        "settings = StorageSettings()\n", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    assert _violations(tmp_path) == [
        "services/storage/sink.py:5 __init__: StorageSettings",
        "services/storage/sink.py:6 __init__: os.environ",
        "services/storage/sink.py:8 helper: PlatformSettings",
    ]
