"""document_problems' fast path (json's encoder) says "nothing wrong" only of documents
the walk finds nothing wrong with, whatever they hold."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.composition import MAX_DEPTH, document_problems, walked_problems

_TEXT = st.text(alphabet=st.sampled_from(["a", "\x00", "\ud800", "[", "{", "\\", "u", "0", "é"]),
                max_size=6)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | _TEXT
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=40)


@settings(max_examples=500, deadline=None, database=None)
@given(_JSON)
def test_the_fast_path_agrees_with_the_walk(value: Any) -> None:
    assert document_problems(value) == walked_problems(value)


def test_nesting_past_the_limit_is_found_either_way() -> None:
    value: Any = "x"
    for _ in range(MAX_DEPTH):
        value = {"k": value}
    assert document_problems(value) == []
    deeper = [value]
    [problem] = document_problems(deeper)
    assert problem.path == "[0]" + ".k" * (MAX_DEPTH - 1)
    assert problem == walked_problems(deeper)[0]
