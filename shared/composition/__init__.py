"""The composition spec: models, validation with JSON-path errors, and normalisation."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from shared.composition.errors import Problem, SpecError, problems_from_validation
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
    try:
        return Job.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc) + raw_cross_problems(data)
        raise SpecError(list(dict.fromkeys(problems))) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a job, as `vidgen schema` prints it."""
    return Job.model_json_schema()
