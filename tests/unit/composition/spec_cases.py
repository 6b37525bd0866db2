"""The check behind the invalid-spec tables: a spec is refused with exactly these paths."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import SpecError, parse_job

__all__ = ["assert_exact_paths"]


def assert_exact_paths(spec: dict[str, Any], paths: set[str], word: str | None) -> None:
    """parse_job refuses `spec` with problems at exactly `paths`; `word`, when given, is in
    their messages."""
    with pytest.raises(SpecError) as caught:
        parse_job(spec)
    found = {problem.path for problem in caught.value.problems}
    assert found == paths, caught.value.problems
    if word is not None:
        messages = " ".join(p.message for p in caught.value.problems if p.path in paths)
        assert word in messages, messages
