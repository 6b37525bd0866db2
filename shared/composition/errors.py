"""Problems with a spec, each naming its field by JSON path (`elements[2].width`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

__all__ = ["Problem", "SpecError", "format_path", "problems_from_validation"]

_ELEMENT_TAGS = {"video", "image", "audio", "text", "overlay"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: where (JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class SpecError(ValueError):
    """A spec that cannot be rendered; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def format_path(loc: Iterable[str | int]) -> str:
    """('elements', 2, 'width') → 'elements[2].width'; the root is '$'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "$"


def _join(path: str, field: str) -> str:
    """A field below `path`: `name`, `[1].time` (inside a list) or '' (the value itself)."""
    if path == "$":
        return field or path
    return f"{path}{field}" if not field or field.startswith("[") else f"{path}.{field}"


def _strip_union_tags(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Pydantic puts the union member's tag after the list index; users never wrote it."""
    kept: list[str | int] = []
    for i, part in enumerate(loc):
        after_index = i > 0 and isinstance(loc[i - 1], int)
        if after_index and part in _ELEMENT_TAGS:
            continue
        kept.append(part)
    return tuple(kept)


def problems_from_validation(
    error: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Flatten a pydantic ValidationError into Problems with user-facing paths and messages."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        loc = prefix + _strip_union_tags(tuple(item["loc"]))
        ctx = item.get("ctx") or {}
        if item["type"] == "vidgen_fields":
            for field, message in ctx["fields"]:
                problems.append(Problem(_join(format_path(loc), field), message))
            continue
        if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "type")
            message = "must be one of video, image, audio, text, overlay"
            if item["type"] == "union_tag_not_found":
                message = "is required: " + message
            problems.append(Problem(format_path(loc), message))
            continue
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "is not a known field"
        elif item["type"] == "missing":
            message = "is required"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(format_path(loc), message))
    return problems
