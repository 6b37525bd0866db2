"""Invalid looks (crop, speed, chroma key, filters, LUT): each rejected with exactly the JSON
paths that are wrong (the style of test_invalid_specs.py). Problems that need the source
(a crop past its edge, a malformed .cube) are in tests/unit/render/test_looks_invalid.py."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import parse_job
from tests.unit.composition.spec_cases import assert_exact_paths

VIDEO: dict[str, Any] = {"type": "video", "source": "https://example.com/a.mp4"}
IMAGE: dict[str, Any] = {"type": "image", "source": "https://example.com/a.png", "duration": 2}
TEXT: dict[str, Any] = {"type": "text", "text": "Hello", "duration": 2}
AUDIO: dict[str, Any] = {"type": "audio", "source": "https://example.com/a.wav"}
CAPTIONS: dict[str, Any] = {"type": "captions", "cues": [{"start": 0, "end": 1, "text": "Hi"}]}
SHAPE: dict[str, Any] = {"type": "shape", "shape": "rectangle", "width": 40, "duration": 2}


def el(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"elements": [{**base, **changes}]}


def crop(**fields: Any) -> dict[str, Any]:
    return {"x": 0, "y": 0, "width": 10, "height": 10, **fields}


CASES = [
    # --- crop --------------------------------------------------------------------------------
    pytest.param(el(IMAGE, crop=crop(x=-1)), {"elements[0].crop.x"}, "zero or more",
                 id="crop-negative-x"),
    pytest.param(el(IMAGE, crop=crop(y="-5%")), {"elements[0].crop.y"}, "zero or more",
                 id="crop-negative-y-percent"),
    pytest.param(el(IMAGE, crop=crop(width=0)), {"elements[0].crop.width"}, "greater than zero",
                 id="crop-zero-width"),
    pytest.param(el(IMAGE, crop=crop(height=-20)), {"elements[0].crop.height"},
                 "greater than zero", id="crop-negative-height"),
    pytest.param(el(IMAGE, crop={"x": 0, "width": 10}), {"elements[0].crop.height"}, "required",
                 id="crop-without-height"),
    pytest.param(el(IMAGE, crop=crop(x="left")), {"elements[0].crop.x"}, "source pixels",
                 id="crop-keyword"),
    pytest.param(el(IMAGE, crop=crop(depth=3)), {"elements[0].crop.depth"}, "not a known field",
                 id="crop-unknown-field"),
    pytest.param(el(IMAGE, crop=crop(x=-1, width=0)),
                 {"elements[0].crop.x", "elements[0].crop.width"}, None, id="crop-two-problems"),
    # --- speed -------------------------------------------------------------------------------
    pytest.param(el(VIDEO, speed=0), {"elements[0].speed"}, "0.1", id="speed-zero"),
    pytest.param(el(VIDEO, speed=11), {"elements[0].speed"}, "10", id="speed-eleven"),
    pytest.param(el(VIDEO, speed=-2), {"elements[0].speed"}, "0.1", id="speed-negative"),
    pytest.param(el(VIDEO, speed="fast"), {"elements[0].speed"}, "number", id="speed-text"),
    pytest.param(el(TEXT, speed=2), {"elements[0].speed"}, "not a known field",
                 id="speed-on-text"),
    pytest.param(el(AUDIO, speed=2), {"elements[0].speed"}, "not a known field",
                 id="speed-on-audio"),
    # --- chroma key --------------------------------------------------------------------------
    pytest.param(el(VIDEO, chroma_key={"similarity": 0.2}), {"elements[0].chroma_key.color"},
                 "required", id="chroma-key-without-color"),
    pytest.param(el(VIDEO, chroma_key={"color": "greenish"}), {"elements[0].chroma_key.color"},
                 None, id="chroma-key-bad-color"),
    pytest.param(el(VIDEO, chroma_key={"color": "#00ff00", "similarity": 0}),
                 {"elements[0].chroma_key.similarity"}, "0.01", id="chroma-key-similarity-0"),
    pytest.param(el(VIDEO, chroma_key={"color": "#00ff00", "blend": 2}),
                 {"elements[0].chroma_key.blend"}, "1", id="chroma-key-blend-2"),
    # --- filters -----------------------------------------------------------------------------
    pytest.param(el(IMAGE, filters={"glow": 1}), {"elements[0].filters.glow"},
                 "not a known field", id="filter-unknown"),
    pytest.param(el(IMAGE, filters={"brightness": 2}), {"elements[0].filters.brightness"},
                 "1", id="brightness-over-1"),
    pytest.param(el(IMAGE, filters={"contrast": -1}), {"elements[0].filters.contrast"},
                 "0", id="contrast-negative"),
    pytest.param(el(IMAGE, filters={"saturation": 4}), {"elements[0].filters.saturation"},
                 "3", id="saturation-over-3"),
    pytest.param(el(IMAGE, filters={"gamma": 0}), {"elements[0].filters.gamma"}, "0.1",
                 id="gamma-zero"),
    pytest.param(el(IMAGE, filters={"hue": 200}), {"elements[0].filters.hue"}, "180",
                 id="hue-over-180"),
    pytest.param(el(IMAGE, filters={"blur": "lots"}), {"elements[0].filters.blur"}, "number",
                 id="blur-text"),
    pytest.param(el(IMAGE, filters={"sharpen": 6}), {"elements[0].filters.sharpen"}, "5",
                 id="sharpen-over-5"),
    pytest.param(el(IMAGE, filters={"grayscale": 1.5, "sepia": -0.1}),
                 {"elements[0].filters.grayscale", "elements[0].filters.sepia"}, None,
                 id="grayscale-and-sepia-out-of-range"),
    pytest.param(el(IMAGE, filters={"vignette": float("nan")}),
                 {"elements[0].filters.vignette"}, None, id="vignette-nan"),
    # --- text, captions and shapes: filters and a LUT only -----------------------------------
    pytest.param(el(TEXT, crop=crop()), {"elements[0].crop"}, "not a known field",
                 id="crop-on-text"),
    pytest.param(el(TEXT, chroma_key={"color": "#00ff00"}), {"elements[0].chroma_key"},
                 "not a known field", id="chroma-key-on-text"),
    pytest.param(el(CAPTIONS, speed=2), {"elements[0].speed"}, "not a known field",
                 id="speed-on-captions"),
    pytest.param(el(SHAPE, crop=crop()), {"elements[0].crop"}, "not a known field",
                 id="crop-on-a-shape"),
    pytest.param(el(TEXT, filters={"brightness": 2}), {"elements[0].filters.brightness"},
                 "1", id="text-brightness-over-1"),
    pytest.param(el(TEXT, filters={"glow": 1}), {"elements[0].filters.glow"},
                 "not a known field", id="text-unknown-filter"),
    pytest.param(el(CAPTIONS, filters={"sepia": 2}), {"elements[0].filters.sepia"}, "1",
                 id="captions-sepia-over-1"),
    pytest.param(el(SHAPE, filters={"blur": -1}), {"elements[0].filters.blur"}, "0",
                 id="shape-negative-blur"),
    pytest.param(el(SHAPE, lut=""), {"elements[0].lut"}, None, id="shape-lut-empty"),
    pytest.param(el(TEXT, lut=3), {"elements[0].lut"}, "string", id="text-lut-not-text"),
    # --- lut ---------------------------------------------------------------------------------
    pytest.param(el(IMAGE, lut=""), {"elements[0].lut"}, None, id="lut-empty"),
    pytest.param(el(IMAGE, lut=7), {"elements[0].lut"}, "string", id="lut-not-text"),
    pytest.param({"elements": [IMAGE, {**VIDEO, "speed": 20, "filters": {"hue": -999}}]},
                 {"elements[1].speed", "elements[1].filters.hue"}, None,
                 id="second-element-two-problems"),
]


@pytest.mark.parametrize(("spec", "paths", "word"), CASES)
def test_invalid_looks_spec_reports_exact_paths(
    spec: dict[str, Any], paths: set[str], word: str | None
) -> None:
    assert_exact_paths(spec, paths, word)


def test_valid_looks_round_trip_through_the_normalised_spec() -> None:
    spec = el(VIDEO, crop={"x": "10%", "y": 4, "width": "50%", "height": 100}, speed=2.5,
              chroma_key={"color": "#00ff00", "similarity": 0.3, "blend": 0.1},
              filters={"brightness": -0.2, "hue": 45, "sepia": 0.5}, lut="grade.cube")
    job = parse_job(spec)
    element = job.model_dump(mode="json", exclude_none=True)["elements"][0]
    assert element["crop"] == {"x": "10%", "y": "4px", "width": "50%", "height": "100px"}
    assert element["filters"] == {"brightness": -0.2, "hue": 45.0, "sepia": 0.5}
    assert element["speed"] == 2.5 and element["lut"] == "grade.cube"
    assert parse_job(job.model_dump(mode="json", exclude_none=True)) == job


def test_an_element_without_looks_dumps_without_them() -> None:
    element = parse_job(el(VIDEO)).model_dump(mode="json", exclude_none=True)["elements"][0]
    for name in ("crop", "speed", "chroma_key", "filters", "lut"):
        assert name not in element
