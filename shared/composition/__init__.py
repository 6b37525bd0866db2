"""The composition spec: models, validation with JSON-path errors, and normalisation."""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import ValidationError

from shared.composition.errors import Problem, SpecError, format_path, problems_from_validation
from shared.composition.rules import raw_cross_problems
from shared.composition.spec import Job

__all__ = ["MAX_DEPTH", "Job", "Problem", "SpecError", "document_problems", "json_schema",
           "parse_job", "walked_problems"]

# levels of objects and arrays in a job document (the spec itself needs 4; metadata the rest)
MAX_DEPTH = 32
_MAX_REPORTED = 100  # problems of one document, so an answer stays small


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
    unusable = document_problems(data)
    if unusable:
        raise SpecError(unusable[:_MAX_REPORTED])
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


def _value_problem(value: Any, depth: int) -> str | None:
    if isinstance(value, str):
        return _text_problem(value)
    if isinstance(value, float) and not math.isfinite(value):
        return (f"must be a finite number, got {value!r} (NaN, Infinity and numbers beyond "
                "±1.8e308 have no JSON value every step can store)")
    if isinstance(value, dict | list) and depth > MAX_DEPTH:
        return f"nested too deep: at most {MAX_DEPTH} levels of objects and arrays"
    return None


def document_problems(data: Any) -> list[Problem]:
    """What JSON allows but no later step can hold, anywhere in the document: nesting past
    MAX_DEPTH (the services' event parsers stop near 200 levels, with the event's own),
    non-finite numbers (Postgres refuses them), NUL characters and lone UTF-16 surrogates.
    Iterative, so a document of any depth is answered, not a RecursionError.

    Most documents have none of these, which json's encoder (in C) shows at a fraction of
    the walk's cost: it refuses non-finite numbers, writes NUL as `\u0000`, leaves lone
    surrogates that UTF-8 then refuses, and a document with at most MAX_DEPTH objects and
    arrays cannot nest deeper. Anything else (also a `\u0000` or a bracket inside a
    string) is walked, which names the problems."""
    return [] if _plainly_fine(data) else walked_problems(data)


def walked_problems(data: Any) -> list[Problem]:
    """document_problems, value by value: every problem, named by its path."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        problem = _value_problem(value, len(loc) + 1)
        if problem:
            problems.append(Problem(format_path(loc), problem))
            continue
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                key_problem = _text_problem(str(key))
                if key_problem:  # the key cannot be part of a path that must be printable
                    problems.append(Problem(format_path(loc), f"a key {key_problem}"))
                    continue
                stack.append((item, (*loc, str(key))))
        elif isinstance(value, list):
            stack.extend((item, (*loc, index)) for index, item in reversed(list(enumerate(value))))
    return problems


def _plainly_fine(data: Any) -> bool:
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return False
    return "\\u0000" not in text and text.count("[") + text.count("{") <= MAX_DEPTH


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a job, as `vidgen schema` prints it."""
    return Job.model_json_schema()
