"""stored_size's fast path (json's text) measures exactly what the walk measures, size_bound
is never below it, and json_text writes what json would, for any JSON value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.db.pool import json_text
from shared.outbox import size_bound, stored_size, walked_size

_SCALARS = (st.none() | st.booleans() | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False) | st.text())
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=30)


@settings(max_examples=400, deadline=None, database=None)
@given(_JSON)
def test_the_fast_path_agrees_with_the_walk(value: Any) -> None:
    assert stored_size(value) == walked_size(value)


@pytest.mark.parametrize("value", [
    {"v": 1e300}, {"v": 1.5e-5}, {"v": -2e16}, {"text": "#1e90ff"}, {"n": 10**40},
    {"deep": [[[[[[]]]]]]}, {"é": "ü\u2028"}, {1: "int key"}, {"x": 0.1, "y": -0.0},
])
def test_numbers_with_exponents_and_odd_values(value: Any) -> None:
    assert stored_size(value) == walked_size(value)


def test_a_value_too_deep_for_the_encoder_is_walked() -> None:
    value: list[Any] = []
    for _ in range(100_000):
        value = [value]
    assert stored_size(value) == 2 + 2 * 100_000


@settings(max_examples=200, deadline=None, database=None)
@given(_JSON)
def test_json_text_decodes_to_what_json_does(value: Any) -> None:
    """(Non-finite floats are not JSON values: intake refuses them before any write.)"""
    assert json.loads(json_text(value)) == json.loads(json.dumps(value))


@settings(max_examples=400, deadline=None, database=None)
@given(_JSON)
def test_the_bound_is_never_below_the_stored_size(value: Any) -> None:
    bound = size_bound(value)
    if bound is not None:
        assert bound >= stored_size(value)


@pytest.mark.parametrize("value", [
    {"v": 1e300}, {"v": -2e16}, {"text": "#1e90ff"}, {"n": 10**40}, {1: "int key"}, "\ud800",
])
def test_no_bound_where_the_compact_text_says_too_little(value: Any) -> None:
    """Exponents (written out in full by Postgres) and what orjson refuses: no bound, so
    the exact measure is taken."""
    assert size_bound(value) is None


def test_a_spec_sized_value_is_bounded_within_twice_its_size() -> None:
    value = {"elements": [{"id": f"e{n}", "x": n * 1.5, "text": "é" * n} for n in range(50)]}
    bound = size_bound(value)
    assert bound is not None
    assert stored_size(value) <= bound <= 2 * stored_size(value)
