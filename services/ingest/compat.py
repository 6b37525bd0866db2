"""The earlier version's create body, converted to the native composition spec.

    {output_format: mp4|mov|avi, width, height,
     elements: [{id, type: video|image, source, track, x, y, width, height, fit_mode}]}

with 1–10 elements and geometry as "NN%" strings. Like the earlier version (pydantic's
default), unknown fields are ignored. Problems found by the native validation are reported
under the earlier body's field names (`fit_mode`, `output_format`, `width`).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.composition import Problem, SpecError, parse_job
from shared.composition.errors import problems_from_validation

__all__ = ["CompatCreate", "CompatElement", "compat_path", "to_native"]

Geometry = str | int | float


class CompatElement(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(None, min_length=1, max_length=128)
    type: Literal["video", "image"]
    source: str = Field(min_length=1, max_length=4096)
    track: int = 0
    x: Geometry | None = None
    y: Geometry | None = None
    width: Geometry | None = None
    height: Geometry | None = None
    fit_mode: str | None = None


class CompatCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    output_format: Literal["mp4", "mov", "avi"] = "mp4"
    width: int = 1280
    height: int = 720
    elements: list[CompatElement] = Field(min_length=1, max_length=10)
    # Not in the earlier body; accepted so its clients can opt into the newer features.
    response: Literal["immediate", "async", "auto"] = "auto"
    callback_url: str | None = None
    idempotency_key: str | None = None


_GEOMETRY = ("x", "y", "width", "height")


def _element(element: CompatElement) -> dict[str, Any]:
    native: dict[str, Any] = {"type": element.type, "source": element.source,
                              "track": element.track}
    if element.id is not None:
        native["id"] = element.id
    for name in _GEOMETRY:
        value = getattr(element, name)
        if value is not None:
            native[name] = value
    if element.fit_mode is not None:
        native["fit"] = element.fit_mode
    return native


def to_native(data: Any) -> dict[str, Any]:
    """Validate an earlier-version body and return the equivalent native job (a dict for
    `shared.composition.parse_job`, which checks the rest). Raises SpecError with every
    problem of the body: its own, and those the native validation finds in what could be
    read of it."""
    if not isinstance(data, dict):
        raise SpecError([Problem("$", "the body must be a JSON object")])
    try:
        body = CompatCreate.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc)
    else:
        return _native(body)
    seen = {problem.path for problem in problems}
    try:
        parse_job(_loose(data))
    except SpecError as exc:
        for problem in exc.problems:
            path = compat_path(problem.path)
            if path not in seen:
                seen.add(path)
                problems.append(Problem(path, problem.message))
    raise SpecError(problems)


def _native(body: CompatCreate) -> dict[str, Any]:
    native: dict[str, Any] = {
        "output": {"format": body.output_format, "width": body.width, "height": body.height},
        "elements": [_element(element) for element in body.elements],
        "response": body.response,
    }
    if body.callback_url is not None:
        native["callback_url"] = body.callback_url
    if body.idempotency_key is not None:
        native["idempotency_key"] = body.idempotency_key
    return native


_ELEMENT_FIELDS = frozenset(CompatElement.model_fields)


def _loose(data: dict[str, Any]) -> dict[str, Any]:
    """The native form of a body that failed its own validation, field by field as given,
    so the native checks can report what else is wrong (at the same element indexes)."""
    elements = data.get("elements")
    if isinstance(elements, list):
        elements = [
            {("fit" if key == "fit_mode" else key): value for key, value in element.items()
             if key in _ELEMENT_FIELDS}
            if isinstance(element, dict) else element
            for element in elements
        ]
    output = {"format": data.get("output_format", "mp4"), "width": data.get("width", 1280),
              "height": data.get("height", 720)}
    return {"output": output, "elements": elements}


_RENAMES = (
    (re.compile(r"^output\.format\b"), "output_format"),
    (re.compile(r"^output\.(width|height)\b"), r"\1"),
    (re.compile(r"^(elements\[\d+\])\.fit\b"), r"\1.fit_mode"),
)


def compat_path(path: str) -> str:
    """A native spec path as the earlier body names it (`elements[0].fit` → `.fit_mode`)."""
    for pattern, replacement in _RENAMES:
        path = pattern.sub(replacement, path)
    return path
