"""Every settings class of the project, and the environment variables each reads."""

from __future__ import annotations

from pydantic_settings import BaseSettings

from services.ingest.api_settings import ApiSettings
from services.ingest.settings import IngestSettings
from services.metrics.settings import MetricsSettings
from services.render.settings import RenderSettings
from services.storage.settings import StorageSettings
from shared.access.gate import AccessSettings
from shared.client.settings import ClientSettings
from shared.settings import EngineSettings, PlatformSettings, ReliabilitySettings, TelemetrySettings

__all__ = ["SETTINGS_CLASSES", "env_names"]

SETTINGS_CLASSES: tuple[type[BaseSettings], ...] = (
    PlatformSettings, EngineSettings, ReliabilitySettings, TelemetrySettings, AccessSettings,
    ClientSettings, IngestSettings, ApiSettings, StorageSettings, RenderSettings,
    MetricsSettings,
)


def env_names(cls: type[BaseSettings]) -> dict[str, str]:
    """Field name → the environment variables that set it (upper case)."""
    prefix = cls.model_config.get("env_prefix", "")
    names: dict[str, str] = {}
    for field_name, field in cls.model_fields.items():
        alias = field.validation_alias
        if alias is None:
            names[field_name] = f"{prefix}{field_name}".upper()
        elif isinstance(alias, str):
            names[field_name] = alias.upper()
        else:
            names[field_name] = " ".join(str(choice).upper() for choice in alias.choices)
    return names
