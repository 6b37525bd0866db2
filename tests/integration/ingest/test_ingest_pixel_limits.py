"""Intake refuses the boxes a spec fixes past the decoded-pixel bounds, at their field.

(Sources past the bounds are refused when the render plans the job: tests/unit/render/
test_pixel_budget.py.)
"""

from __future__ import annotations

import pytest

from tests.integration.ingest.access_helpers import small_spec
from tests.integration.ingest.harness import Ingest

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


async def test_elements_past_the_pixel_bounds_are_422_at_their_field(ingest: Ingest) -> None:
    huge = [{"type": "image", "source": "https://example.com/a.png", "width": 16000,
             "height": 16000, "id": f"i{n}"} for n in range(4)]
    answer = await ingest.client.post("/v1/jobs", json={
        **small_spec(), "output": {"width": 64, "height": 36, "duration": 0.4},
        "elements": huge})
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [error["path"] for error in errors] == [f"elements[{n}].width" for n in range(4)]
    assert all("VIDGEN_MAX_ELEMENT_PIXELS" in error["message"] for error in errors)
    sane = [{**element, "width": 64, "height": 36} for element in huge]
    accepted = await ingest.client.post("/v1/jobs", json={
        **small_spec(), "output": {"width": 64, "height": 36, "duration": 0.4},
        "elements": sane})
    assert accepted.status_code == 202, accepted.text
