"""Invalid animated values, entrances, transitions and motion presets: each rejected with
exactly the JSON paths that are wrong (the style of test_invalid_specs.py)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import parse_job
from tests.unit.composition.spec_cases import assert_exact_paths

IMAGE: dict[str, Any] = {"type": "image", "source": "https://example.com/a.png", "duration": 2}
TEXT: dict[str, Any] = {"type": "text", "text": "Hello", "duration": 2}
AUDIO: dict[str, Any] = {"type": "audio", "source": "https://example.com/a.wav", "duration": 2}
VIDEO: dict[str, Any] = {"type": "video", "source": "https://example.com/a.mp4", "duration": 2}


def el(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"elements": [{**base, **changes}]}


def two(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {"elements": [{**IMAGE, **a}, {**IMAGE, **b}]}


def kf(time: Any, value: Any, **more: Any) -> dict[str, Any]:
    return {"time": time, "value": value, **more}


CASES = [
    # --- keyframe lists --------------------------------------------------------------------
    pytest.param(el(IMAGE, x=[kf(0, 0), kf(1.5, 10), kf(1, 5)]), {"elements[0].x[2].time"},
                 "increase", id="keyframes-unsorted"),
    pytest.param(el(IMAGE, y=[kf(0, 0), kf(0, 10)]), {"elements[0].y[1].time"}, "duplicate",
                 id="keyframes-duplicate-time"),
    pytest.param(el(IMAGE, opacity=[kf(0, 0), kf(3, 1)]), {"elements[0].opacity[1].time"},
                 "past the element's end", id="keyframe-after-the-end"),
    pytest.param(el(IMAGE, x=[kf(0, 0), kf("120%", 10)]), {"elements[0].x[1].time"}, "100%",
                 id="keyframe-percentage-over-100"),
    pytest.param(el(IMAGE, x=[kf(-1, 0)]), {"elements[0].x[0].time"}, "zero or more",
                 id="keyframe-negative-time"),
    pytest.param(el(IMAGE, x=[kf("soon", 0)]), {"elements[0].x[0].time"}, "percentage",
                 id="keyframe-time-text"),
    pytest.param(el(IMAGE, opacity=[kf(0, "half")]), {"elements[0].opacity[0].value"},
                 "number", id="opacity-keyframe-text"),
    pytest.param(el(IMAGE, opacity=[kf(0, 0), kf(1, 1.5)]), {"elements[0].opacity[1].value"},
                 "or equal to 1", id="opacity-keyframe-above-1"),
    pytest.param(el(IMAGE, width=[kf(0, -5)]), {"elements[0].width[0].value"},
                 "greater than zero", id="width-keyframe-negative"),
    pytest.param(el(IMAGE, x=[kf(0, True)]), {"elements[0].x[0].value"}, "boolean",
                 id="position-keyframe-boolean"),
    pytest.param(el(IMAGE, x=[kf(0, 0), kf(1, 5, easing="bounce")]),
                 {"elements[0].x[1].easing"}, "unknown easing", id="easing-unknown"),
    pytest.param(el(IMAGE, x=[kf(0, 0), kf(1, 5, easing="cubic-bezier(0.1,0.2,0.3)")]),
                 {"elements[0].x[1].easing"}, "malformed", id="cubic-bezier-three-numbers"),
    pytest.param(el(IMAGE, x=[kf(0, 0), kf(1, 5, easing="cubic-bezier(1.5,0,0.5,1)")]),
                 {"elements[0].x[1].easing"}, "between 0 and 1", id="cubic-bezier-x-out-of-range"),
    pytest.param(el(IMAGE, scale=[kf(0, 1), kf(1, 2, easing=3)]),
                 {"elements[0].scale[1].easing"}, "easing must be", id="easing-not-text"),
    pytest.param(el(IMAGE, x=[{"time": 0}]), {"elements[0].x[0].value"}, "required",
                 id="keyframe-without-value"),
    pytest.param(el(IMAGE, x=[{"value": 0}]), {"elements[0].x[0].time"}, "required",
                 id="keyframe-without-time"),
    pytest.param(el(IMAGE, x=[kf(0, 0, speed=2)]), {"elements[0].x[0].speed"},
                 "not a known field", id="keyframe-unknown-field"),
    pytest.param(el(IMAGE, x=[kf(0, 0), 5]), {"elements[0].x[1]"}, "object",
                 id="keyframe-not-an-object"),
    pytest.param(el(IMAGE, x=[]), {"elements[0].x"}, "keyframes", id="keyframes-empty"),
    pytest.param(el(IMAGE, x=[kf(0, "nowhere"), kf("50%", 1, easing="wobble"), kf(9, 2)]),
                 {"elements[0].x[0].value", "elements[0].x[1].easing", "elements[0].x[2].time"},
                 None, id="keyframes-several-problems-at-once"),
    pytest.param(el(IMAGE, opacity=[kf(0, "half")], rotation=[kf(0, 0), kf(5, 90)]),
                 {"elements[0].opacity[0].value", "elements[0].rotation[1].time"}, None,
                 id="late-keyframe-beside-another-fields-problem"),
    # --- volume envelopes ------------------------------------------------------------------
    pytest.param(el(AUDIO, volume=[kf(0, 0), kf(1, -0.5)]), {"elements[0].volume[1].value"},
                 "greater than or equal to 0", id="volume-keyframe-negative"),
    pytest.param(el(VIDEO, volume=[kf(0, 1), kf(1, 11)]), {"elements[0].volume[1].value"},
                 "or equal to 10", id="volume-keyframe-above-10"),
    pytest.param(el(AUDIO, volume=[kf(0, "loud")]), {"elements[0].volume[0].value"}, "number",
                 id="volume-keyframe-text"),
    pytest.param(el(VIDEO, volume=[kf(0, True)]), {"elements[0].volume[0].value"}, "number",
                 id="volume-keyframe-boolean"),
    pytest.param(el(AUDIO, volume=[kf(0, 0), kf(3, 1)]), {"elements[0].volume[1].time"},
                 "past the element's end", id="volume-keyframe-after-the-end"),
    pytest.param(el(VIDEO, volume=[kf(0, 0), kf("50%", 1, easing="loudly")]),
                 {"elements[0].volume[1].easing"}, "unknown easing", id="volume-easing-unknown"),
    pytest.param(el(AUDIO, volume=[kf(1, 0), kf(0.5, 1)]), {"elements[0].volume[1].time"},
                 "increase", id="volume-keyframes-unsorted"),
    pytest.param(el(AUDIO, volume={"from": 0, "to": 1}), {"elements[0].volume"}, "keyframes",
                 id="volume-object"),
    pytest.param(el(IMAGE, volume=[kf(0, 1)]), {"elements[0].volume"}, "not a known field",
                 id="image-has-no-volume-envelope"),
    # --- constants -------------------------------------------------------------------------
    pytest.param(el(IMAGE, rotation="a lot"), {"elements[0].rotation"}, "number",
                 id="rotation-text"),
    pytest.param(el(IMAGE, scale=-1), {"elements[0].scale"}, "greater than or equal to 0",
                 id="scale-negative"),
    pytest.param(el(IMAGE, flip="diagonal"), {"elements[0].flip"}, "horizontal",
                 id="flip-unknown"),
    # --- entrances and exits ---------------------------------------------------------------
    pytest.param(el(IMAGE, enter={"type": "spin"}), {"elements[0].enter.type"}, "slide-left",
                 id="enter-unknown-type"),
    pytest.param(el(IMAGE, enter={"type": "typewriter"}), {"elements[0].enter.type"},
                 "text elements only", id="typewriter-on-an-image"),
    pytest.param(el(IMAGE, enter={"type": "fade", "duration": 1.5},
                    exit={"type": "fade", "duration": 1}), {"elements[0].exit.duration"},
                 "longer than the element", id="enter-and-exit-too-long"),
    pytest.param(el(TEXT, exit={"type": "fade", "easing": "ease-sideways"}),
                 {"elements[0].exit.easing"}, "unknown easing", id="exit-easing-unknown"),
    pytest.param(el(IMAGE, enter={"type": "fade", "duration": 0}),
                 {"elements[0].enter.duration"}, None, id="enter-duration-zero"),
    # --- transitions -----------------------------------------------------------------------
    pytest.param(el(IMAGE, transition={"type": "fade"}), {"elements[0].transition"},
                 "no element before", id="transition-without-a-previous-element"),
    pytest.param(two({"track": 1}, {"start": 1, "transition": {"type": "fade"}}),
                 {"elements[1].transition"}, "track 0", id="transition-previous-on-another-track"),
    pytest.param(two({"duration": 1.5}, {"start": 1, "transition": {"type": "fade"}}),
                 {"elements[1].transition.duration"}, "0.5 s too early",
                 id="transition-previous-ends-too-early"),
    pytest.param(two({"duration": 5}, {"start": 1, "duration": 1,
                                       "transition": {"type": "fade", "duration": 1.5}}),
                 {"elements[1].transition.duration"}, "longer than this element",
                 id="transition-longer-than-the-element"),
    pytest.param(two({}, {"start": 1, "transition": {"type": "swirl"}}),
                 {"elements[1].transition.type"}, "circle-open", id="transition-unknown-type"),
    # --- motion presets --------------------------------------------------------------------
    pytest.param(el(TEXT, motion={"type": "zoom-in"}), {"elements[0].motion"}, "text",
                 id="motion-on-text"),
    pytest.param(el(IMAGE, motion={"type": "spin"}), {"elements[0].motion.type"}, "ken-burns",
                 id="motion-unknown-type"),
    pytest.param(el(IMAGE, motion={"type": "ken-burns", "to": {"zoom": 0.5}}),
                 {"elements[0].motion.to.zoom"}, "greater than or equal to 1",
                 id="ken-burns-zoom-below-1"),
    pytest.param(el(IMAGE, motion={"type": "ken-burns", "from": {"focus": ["50%"]}}),
                 {"elements[0].motion.from.focus[1]"}, "required", id="ken-burns-focus-one-value"),
]


@pytest.mark.parametrize(("spec", "paths", "word"), CASES)
def test_invalid_motion_spec_reports_exact_paths(
    spec: dict[str, Any], paths: set[str], word: str | None
) -> None:
    assert_exact_paths(spec, paths, word)


def test_valid_motion_round_trips_through_the_normalised_spec() -> None:
    spec = el(IMAGE, x=[kf(0, "0%"), kf("50%", 40, easing="ease-in")], rotation=30,
              scale=[kf(0, 1), kf(2, 1.5, easing="cubic-bezier(0.1,0.7,0.3,1.4)")],
              flip="both", enter={"type": "slide-left", "duration": 0.4},
              motion={"type": "ken-burns", "from": {"zoom": 1.2, "focus": ["30%", "40%"]}})
    job = parse_job(spec)
    dumped = job.model_dump(mode="json", exclude_none=True)
    element = dumped["elements"][0]
    assert element["x"] == [{"time": 0.0, "value": "0%"},
                            {"time": "50%", "value": "40px", "easing": "ease-in"}]
    assert element["motion"]["from"]["zoom"] == 1.2
    assert parse_job(dumped) == job


def test_volume_keyframes_round_trip_and_a_constant_volume_stays_a_number() -> None:
    envelope = [kf(0, 0), kf("25%", 1, easing="ease-out"), kf(2, 0.5)]
    job = parse_job(el(AUDIO, volume=envelope))
    dumped = job.model_dump(mode="json", exclude_none=True)
    assert dumped["elements"][0]["volume"] == [
        {"time": 0.0, "value": 0.0}, {"time": "25%", "value": 1.0, "easing": "ease-out"},
        {"time": 2.0, "value": 0.5}]
    assert parse_job(dumped) == job
    constant = parse_job(el(VIDEO, volume=0.5)).model_dump(mode="json")
    assert constant["elements"][0]["volume"] == 0.5


def test_a_v1_element_dumps_without_any_v2_field() -> None:
    dumped = parse_job(el(IMAGE, x=10)).model_dump(mode="json", exclude_none=True)
    element = dumped["elements"][0]
    for name in ("rotation", "scale", "flip", "enter", "exit", "transition", "motion"):
        assert name not in element
    assert element["x"] == "10px" and element["opacity"] == 1.0
