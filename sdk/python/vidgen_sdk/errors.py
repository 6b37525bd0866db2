"""The SDK's exceptions: every failure of a call is a `VidgenError`; a refused job is an
`InvalidJobError` whose `problems` name each field at fault by its JSON path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["InvalidJobError", "JobNotFoundError", "Problem", "UnreachableError", "VidgenError",
           "problems_of"]


@dataclass(frozen=True)
class Problem:
    """One problem of a refused job: `path` is a JSON path into it (`elements[0].x`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class VidgenError(Exception):
    """The API answered with an error (`status_code`, decoded `body`), or could not be
    reached (`status_code` 0)."""

    def __init__(self, message: str, status_code: int = 0, body: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class InvalidJobError(VidgenError):
    """422: the job is invalid; `problems` lists every field at fault. Also raised before
    anything is sent (`status_code` 0) for a local source whose file does not exist."""

    def __init__(self, problems: list[Problem], body: Any, status_code: int = 422) -> None:
        lines = "; ".join(str(problem) for problem in problems[:5])
        super().__init__(f"invalid job: {lines}", status_code, body)
        self.problems = problems


class JobNotFoundError(VidgenError):
    """404: no such job (or not the caller's)."""


class UnreachableError(VidgenError):
    """Nothing answered at `url` (no platform runs there, or a firewall is in the way)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"no platform answers at {url} ({reason})")
        self.url = url
        self.reason = reason


def _problem(item: Any) -> Problem:
    if not isinstance(item, dict):
        return Problem("$", str(item))
    path = item.get("path")
    if path is None and isinstance(item.get("loc"), list):
        path = ".".join(str(part) for part in item["loc"])
    return Problem(str(path or "$"), str(item.get("message", item.get("msg", item))))


def problems_of(body: Any) -> list[Problem]:
    """The problems of a 422 answer: its `errors` (or `detail`) as {path, message} items,
    or FastAPI's {loc, msg}, possibly one level down under `detail`."""
    if isinstance(body, dict):
        for key in ("errors", "problems", "detail"):
            value = body.get(key)
            if isinstance(value, list):
                return [_problem(item) for item in value]
            if isinstance(value, dict):
                return problems_of(value)
            if isinstance(value, str):
                return [Problem("$", value)]
    return [Problem("$", str(body))]
