"""Local files named as sources in a spec: find them, upload them, point the spec at them.

A source is local when it has no URL scheme (``media/clip.mp4``, relative to the spec's
folder, or absolute) or is a ``file://`` URL. ``http(s)://`` sources are fetched by the
platform itself, and ``asset:<sha256>`` ones were uploaded already; both are left alone.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.composition import Problem, SpecError

__all__ = ["LocalSource", "find_local_sources", "is_local", "upload_local_sources"]

_FIELDS = ("source", "lut")  # an element's fields that name a file to upload


@dataclass(frozen=True)
class LocalSource:
    """``elements[index].<field>`` (its ``source`` or ``lut``) names the local file ``path``."""

    index: int
    path: Path
    field: str = "source"

    @property
    def json_path(self) -> str:
        return f"elements[{self.index}].{self.field}"


def is_local(source: str) -> bool:
    """True for a path or a file:// URL; False for any other scheme and for asset: ids."""
    if source.startswith("file://"):
        return True
    if source.startswith("asset:"):
        return False
    return "://" not in source


def _resolve(source: str, base: Path) -> Path:
    if source.startswith("file://"):
        source = source.removeprefix("file://")
    path = Path(source).expanduser()
    return (path if path.is_absolute() else base / path).resolve()


def find_local_sources(spec: dict[str, Any], base: Path) -> list[LocalSource]:
    """Every element ``source`` or ``lut`` that is a local file, resolved against ``base``.

    Raises SpecError naming each local source whose file does not exist.
    """
    found: list[LocalSource] = []
    problems: list[Problem] = []
    elements = spec.get("elements")
    for index, element in enumerate(elements if isinstance(elements, list) else []):
        for field in _FIELDS:
            source = element.get(field) if isinstance(element, dict) else None
            if not isinstance(source, str) or not is_local(source):
                continue
            local = LocalSource(index, _resolve(source, base), field)
            if local.path.is_file():
                found.append(local)
            else:
                problems.append(Problem(local.json_path, f"file not found: {source}"))
    if problems:
        raise SpecError(problems)
    return found


def upload_local_sources(
    spec: dict[str, Any], base: Path, upload: Callable[[Path], str]
) -> dict[str, Any]:
    """A copy of ``spec`` whose local sources are replaced by what ``upload`` returns for
    their file (the storage service's ``asset:<sha256>``). Each file is uploaded once."""
    rewritten = copy.deepcopy(spec)
    uploaded: dict[Path, str] = {}
    for local in find_local_sources(spec, base):
        if local.path not in uploaded:
            uploaded[local.path] = upload(local.path)
        rewritten["elements"][local.index][local.field] = uploaded[local.path]
    return rewritten
