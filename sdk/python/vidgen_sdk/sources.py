"""Local files named by a job's elements (`source`, `lut`): found, uploaded to the storage
service once each (`POST /v1/assets` answers `asset:<sha256>`), and replaced in a copy.

A source is local when it has no URL scheme (`media/clip.mp4`, relative to a base folder,
or absolute) or is a `file://` URL; `http(s)://` and `asset:` sources are left alone.
"""

from __future__ import annotations

import copy
import mimetypes
from pathlib import Path
from typing import Any

from vidgen_sdk.errors import InvalidJobError, Problem

__all__ = ["content_type", "is_local", "local_sources", "replace_sources"]

_FIELDS = ("source", "lut")


def is_local(source: str) -> bool:
    """True for a path or a file:// URL; False for any other scheme and for asset: ids."""
    if source.startswith("file://"):
        return True
    return not source.startswith("asset:") and "://" not in source


def _resolve(source: str, base: Path) -> Path:
    path = Path(source.removeprefix("file://")).expanduser()
    return (path if path.is_absolute() else base / path).resolve()


def local_sources(spec: dict[str, Any], base: Path) -> dict[tuple[int, str], Path]:
    """(element index, field) -> file of every local source; InvalidJobError (status 0)
    naming each one whose file does not exist."""
    found: dict[tuple[int, str], Path] = {}
    problems: list[Problem] = []
    elements = spec.get("elements")
    for index, element in enumerate(elements if isinstance(elements, list) else []):
        for field in _FIELDS:
            source = element.get(field) if isinstance(element, dict) else None
            if not isinstance(source, str) or not is_local(source):
                continue
            path = _resolve(source, base)
            if path.is_file():
                found[(index, field)] = path
            else:
                problems.append(Problem(f"elements[{index}].{field}",
                                        f"file not found: {source}"))
    if problems:
        raise InvalidJobError(problems, None, status_code=0)
    return found


def replace_sources(spec: dict[str, Any], uploaded: dict[tuple[int, str], str]) -> dict[str, Any]:
    """A copy of `spec` with each (index, field) set to its uploaded `asset:` id."""
    rewritten = copy.deepcopy(spec)
    for (index, field), source in uploaded.items():
        rewritten["elements"][index][field] = source
    return rewritten


def content_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
