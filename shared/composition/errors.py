"""Problems with a spec, each naming its field by JSON path (`elements[2].width`).

An unknown field or element type gets a "did you mean" when a known one is close: a typo
(`duraton`), another spelling (`colour`, `font-size`) or a common synonym (`framerate`). A
user who guessed a name learns the right one from the first error, not from the docs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

__all__ = ["Problem", "SpecError", "format_path", "problems_from_validation", "suggest"]

_ELEMENT_TAGS = ("video", "image", "audio", "text", "overlay", "captions", "shape")

# Names users bring from other tools, where spelling alone would not lead to ours. Each is
# suggested only where its target is a field.
SYNONYMS = {
    "framerate": "fps",
    "frame_rate": "fps",
    "frames_per_second": "fps",
    "colour": "color",
    "font_color": "color",
    "text_color": "color",
    "background_color": "background",
    "bg_color": "background",
    "bgcolor": "background",
    "src": "source",
    "url": "source",
    "file": "source",
    "path": "source",
    "length": "duration",
    "alpha": "opacity",
    "transparency": "opacity",
    "begin": "start",
    "start_time": "start",
    "end_time": "end",
    "z_index": "track",
    "zindex": "track",
    "layer": "track",
    "font_family": "font",
    "fontsize": "font_size",
    "size": "font_size",
    "seek": "trim_start",
    "gain": "volume",
    "repeat": "loop",
    "thumbnail": "poster",
    "container": "format",
}


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


def suggest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` most likely meant, or None: the same name in another case or
    with dashes, a synonym, else the closest spelling of either (difflib)."""
    names = list(known)
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    # a misspelt synonym (`lenght`) leads to its target too
    meaning = {known: known for known in names}
    meaning.update((synonym, target) for synonym, target in SYNONYMS.items() if target in names)
    close = [key] if key in meaning else difflib.get_close_matches(key, meaning, n=1, cutoff=0.7)
    return meaning[close[0]] if close and meaning[close[0]] != name else None


def _did_you_mean(name: object, known: Iterable[str]) -> str:
    guess = suggest(name, known) if isinstance(name, str) else None
    return f'; did you mean "{guess}"?' if guess else ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field holds: `Output`, `Poster | None`, `list[Element]` (a union)..."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def _tagged(models: list[type[BaseModel]], tag: str) -> type[BaseModel] | None:
    """The member of a tagged union whose `type` is `tag`."""
    for model in models:
        field = model.model_fields.get("type")
        if field is not None and tag in get_args(field.annotation):
            return model
    return None


def known_fields(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the object at pydantic's `loc` (list indexes and union tags
    included, as in its errors), walking down from `model`; [] when no model is there."""
    models = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        if len(models) > 1:
            member = _tagged(models, part)
            models = [member] if member else []
            continue
        if len(models) != 1 or part not in models[0].model_fields:
            return []
        models = _models_in(models[0].model_fields[part].annotation)
    return list(models[0].model_fields) if len(models) == 1 else []


def _join(path: str, field: str) -> str:
    """A field below `path`: `name`, `[1].time` (inside a list) or '' (the value itself)."""
    if path == "$":
        return field or path
    return f"{path}{field}" if not field or field.startswith("[") else f"{path}.{field}"


def _strip_union_tags(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Pydantic puts the union member's tag after the element's index; users never wrote
    it. Only there: a list of something else (`cues[0].text`) keeps its field names."""
    kept: list[str | int] = []
    for i, part in enumerate(loc):
        after_element = i > 1 and isinstance(loc[i - 1], int) and loc[i - 2] == "elements"
        if after_element and part in _ELEMENT_TAGS:
            continue
        kept.append(part)
    return tuple(kept)


def problems_from_validation(
    error: ValidationError, prefix: tuple[str | int, ...] = (),
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    """Flatten a pydantic ValidationError into Problems with user-facing paths and messages.

    With the `model` that was validated, an unknown field's message suggests a known one.
    """
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        raw_loc = tuple(item["loc"])
        loc = prefix + _strip_union_tags(raw_loc)
        ctx = item.get("ctx") or {}
        if item["type"] == "vidgen_fields":
            for field, message in ctx["fields"]:
                problems.append(Problem(_join(format_path(loc), field), message))
            continue
        if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "type")
            message = f"must be one of {', '.join(_ELEMENT_TAGS)}"
            if item["type"] == "union_tag_not_found":
                message = "is required: " + message
            else:
                message += _did_you_mean(ctx.get("tag"), _ELEMENT_TAGS)
            problems.append(Problem(format_path(loc), message))
            continue
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            known = known_fields(model, raw_loc[:-1]) if model is not None else []
            message = "is not a known field" + _did_you_mean(raw_loc[-1], known)
        elif item["type"] == "missing":
            message = "is required"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(format_path(loc), message))
    return problems
