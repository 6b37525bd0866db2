"""The earlier version's time estimate, and which requests wait for their job."""

from __future__ import annotations

import pytest

from services.ingest.estimate import (
    IMMEDIATE_LIMIT_MS,
    estimate_job,
    estimate_ms,
    motion_ms,
    should_wait,
)
from shared.composition import parse_job


def test_reference_canvas_with_one_video() -> None:
    # 2000 base + 0 for 1280x720 + 2000 for the video
    assert estimate_ms(1280, 720, ["video"]) == 4000


def test_each_image_costs_half_a_second() -> None:
    assert estimate_ms(1280, 720, ["image", "image", "image"]) == 3500


def test_larger_canvas_costs_more_up_to_eight_seconds() -> None:
    # 1920x1080 is 2.25x the reference: (2.25 - 1) * 3000 = 3750
    assert estimate_ms(1920, 1080, ["video"]) == 2000 + 3750 + 2000
    # 7680x4320 would be (36 - 1) * 3000 = 105000: capped at 8000
    assert estimate_ms(7680, 4320, []) == 2000 + 8000


def test_smaller_canvas_lowers_the_base_but_never_below_zero() -> None:
    # 640x360 is a quarter: (0.25 - 1) * 3000 = -2250
    assert estimate_ms(640, 360, ["image"]) == 2000 - 2250 + 500
    assert estimate_ms(2, 2, []) == 0


def test_source_size_counts_60ms_per_mb_up_to_twelve_seconds() -> None:
    assert estimate_ms(1280, 720, ["video"], source_mb=10) == 4000 + 600
    assert estimate_ms(1280, 720, ["video"], source_mb=10_000) == 4000 + 12000


def test_estimate_of_a_parsed_job_uses_its_canvas_elements_and_stated_size() -> None:
    job = parse_job({
        "output": {"width": 1920, "height": 1080},
        "elements": [{"type": "video", "source": "https://example.com/a.mp4"},
                     {"type": "image", "source": "https://example.com/b.png"},
                     {"type": "text", "text": "hi"}],
        "metadata": {"source_mb": 5},
    })
    assert estimate_job(job) == 2000 + 3750 + 2000 + 500 + 0 + 300


def test_unusable_source_size_is_ignored() -> None:
    job = parse_job({"elements": [{"type": "video", "source": "https://example.com/a.mp4"}],
                     "metadata": {"source_mb": "lots"}})
    assert estimate_job(job) == 4000


@pytest.mark.parametrize(("response", "estimate", "waits"), [
    ("immediate", 10 * IMMEDIATE_LIMIT_MS, True),
    ("async", 0, False),
    ("auto", IMMEDIATE_LIMIT_MS, True),
    ("auto", IMMEDIATE_LIMIT_MS + 1, False),
])
def test_which_requests_wait(response: str, estimate: int, waits: bool) -> None:
    assert should_wait(response, estimate) is waits


def _slideshow(transition: bool = True, **extra: object) -> dict[str, object]:
    photo = {"type": "image", "source": "https://example.com/p.jpg", "duration": 4}
    second = {**photo, "start": 3, **extra}
    if transition:
        second["transition"] = {"type": "circle-open", "duration": 1}
    return {"output": {"width": 1920, "height": 1080, "duration": 7},
            "elements": [{**photo, **extra}, second]}


def test_a_v1_job_has_no_motion_cost() -> None:
    job = parse_job(_slideshow(transition=False))
    assert motion_ms(job) == 0
    assert estimate_job(job) == 2000 + 3750 + 2 * 500


def test_ken_burns_and_mask_transitions_cost_per_second_at_1080p() -> None:
    job = parse_job(_slideshow(motion={"type": "zoom-in"}))
    # two 4 s warps (1000 ms/s) and a 1 s masked transition (500 ms/s)
    assert motion_ms(job) == 2 * 4 * 1000 + 500
    assert estimate_job(job) == 2000 + 3750 + 2 * 500 + 8500


def test_motion_cost_scales_with_the_canvas_and_cheap_motion_costs_less() -> None:
    small = parse_job({**_slideshow(motion={"type": "zoom-in"}),
                       "output": {"width": 960, "height": 540, "duration": 7}})
    assert motion_ms(small) == round((2 * 4 * 1000 + 500) / 4)
    fading = _slideshow()
    fading["elements"][1]["transition"] = {"type": "fade", "duration": 1}  # type: ignore[index]
    assert motion_ms(parse_job(fading)) == 200
    moving = parse_job({"elements": [{"type": "text", "text": "hi", "duration": 5,
                                      "x": [{"time": 0, "value": 0}, {"time": 5, "value": 9}]}]})
    assert motion_ms(moving) == round(5 * 200 * 1280 * 720 / (1920 * 1080))


def test_a_long_heavy_slideshow_no_longer_waits() -> None:
    photos = [{"type": "image", "source": f"https://example.com/{n}.jpg", "start": 3 * n,
               "duration": 4, "motion": {"type": "zoom-in"},
               **({"transition": {"type": "dissolve", "duration": 1}} if n else {})}
              for n in range(10)]
    job = parse_job({"output": {"width": 1920, "height": 1080}, "elements": photos})
    assert estimate_ms(1920, 1080, ["image"] * 10) <= IMMEDIATE_LIMIT_MS  # v1 terms alone
    assert not should_wait("auto", estimate_job(job))
