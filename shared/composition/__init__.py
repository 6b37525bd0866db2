"""The composition spec: models, validation with JSON-path errors, and normalisation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from shared.composition.errors import Problem, SpecError, format_path, problems_from_validation
from shared.composition.rules import raw_cross_problems
from shared.composition.spec import Job

__all__ = ["Job", "Problem", "SpecError", "json_schema", "parse_job"]


def parse_job(data: Any) -> Job:
    """Validate a JSON document (decoded, or as text) as a Job.

    Raises SpecError listing every problem found, each with its JSON path.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, int digit limit
            raise SpecError([Problem("$", f"not valid JSON: {exc}")]) from None
    if not isinstance(data, dict):
        raise SpecError([Problem("$", "a job must be a JSON object")])
    unstorable = list(_unstorable_text(data, ()))
    if unstorable:
        raise SpecError(unstorable)
    try:
        return Job.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, model=Job) + raw_cross_problems(data)
        raise SpecError(list(dict.fromkeys(problems))) from None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain NUL characters (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode (a lone surrogate \\ud800-\\udfff is not)"
    return None


def _unstorable_text(value: Any, loc: tuple[str | int, ...]) -> Iterator[Problem]:
    """Strings (and keys) JSON allows but text cannot hold: NUL characters (Postgres refuses
    them) and lone UTF-16 surrogates (not encodable as UTF-8)."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            yield Problem(format_path(loc), problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            key_problem = _text_problem(str(key))
            if key_problem:  # the key cannot be part of a path that must be printable
                yield Problem(format_path(loc), f"a key {key_problem}")
                continue
            yield from _unstorable_text(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_text(item, (*loc, index))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a job, as `vidgen schema` prints it."""
    return Job.model_json_schema()
