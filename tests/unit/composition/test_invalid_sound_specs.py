"""Invalid `duck` and `output.loudness`: each rejected with exactly the JSON paths that are
wrong (the style of test_invalid_specs.py)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import parse_job
from tests.unit.composition.spec_cases import assert_exact_paths

MUSIC: dict[str, Any] = {"type": "audio", "id": "music", "source": "https://example.com/m.wav",
                         "duration": 4}
VOICE: dict[str, Any] = {"type": "audio", "id": "voice", "source": "https://example.com/v.wav",
                         "duration": 2}
CLIP: dict[str, Any] = {"type": "video", "id": "clip", "source": "https://example.com/a.mp4",
                        "duration": 2}
IMAGE: dict[str, Any] = {"type": "image", "source": "https://example.com/a.png", "duration": 2}


def ducked(duck: Any, first: dict[str, Any] = MUSIC) -> dict[str, Any]:
    return {"elements": [{**first, "duck": duck}, VOICE]}


def loud(loudness: Any) -> dict[str, Any]:
    return {"output": {"loudness": loudness}, "elements": [MUSIC]}


CASES = [
    pytest.param(ducked({"under": ["narrator"]}), {"elements[0].duck.under[0]"},
                 "no element has the id 'narrator'", id="duck-under-unknown-id"),
    pytest.param(ducked({"under": ["voice", "music"]}), {"elements[0].duck.under[1]"},
                 "cannot duck under itself", id="duck-under-itself"),
    pytest.param(ducked({"under": ["clip"]}, CLIP), {"elements[0].duck.under[0]"},
                 "cannot duck under itself", id="video-ducks-under-itself"),
    pytest.param({"elements": [{**MUSIC, "duck": {"under": ["logo"]}}, {**IMAGE, "id": "logo"}]},
                 {"elements[0].duck.under[0]"}, "has no sound", id="duck-under-an-image"),
    pytest.param(ducked({"under": []}), {"elements[0].duck.under"}, "at least 1",
                 id="duck-under-empty"),
    pytest.param(ducked({"under": ["voice"], "amount_db": -80}), {"elements[0].duck.amount_db"},
                 "greater than or equal to -60", id="duck-amount-too-deep"),
    pytest.param(ducked({"under": ["voice"], "amount_db": 6}), {"elements[0].duck.amount_db"},
                 "less than or equal to -1", id="duck-amount-positive"),
    pytest.param(ducked({"under": ["voice"], "attack": -1}), {"elements[0].duck.attack"},
                 "greater than or equal to 0", id="duck-attack-negative"),
    pytest.param(ducked({"under": ["voice"], "release": "slow"}), {"elements[0].duck.release"},
                 "number", id="duck-release-text"),
    pytest.param(ducked({"under": ["voice"], "depth": 3}), {"elements[0].duck.depth"},
                 None, id="duck-unknown-field"),
    pytest.param({"elements": [{**IMAGE, "duck": {"under": ["x"]}}]}, {"elements[0].duck"},
                 None, id="image-has-no-duck"),
    pytest.param(loud({"target_lufs": -3}), {"output.loudness.target_lufs"},
                 "less than or equal to -5", id="loudness-target-too-loud"),
    pytest.param(loud({"target_lufs": -80}), {"output.loudness.target_lufs"},
                 "greater than or equal to -70", id="loudness-target-too-quiet"),
    pytest.param(loud({"true_peak": 2}), {"output.loudness.true_peak"},
                 "less than or equal to 0", id="loudness-true-peak-above-0"),
    pytest.param(loud({"target": -14}), {"output.loudness.target"}, None,
                 id="loudness-unknown-field"),
]


@pytest.mark.parametrize(("spec", "paths", "word"), CASES)
def test_invalid_sound_spec_reports_exact_paths(
    spec: dict[str, Any], paths: set[str], word: str | None
) -> None:
    assert_exact_paths(spec, paths, word)


def test_valid_sound_fields_round_trip() -> None:
    spec = {"output": {"loudness": {"target_lufs": -16}},
            "elements": [{**MUSIC, "duck": {"under": ["voice"], "amount_db": -9}}, VOICE]}
    job = parse_job(spec)
    dumped = job.model_dump(mode="json", exclude_none=True)
    assert dumped["output"]["loudness"] == {"target_lufs": -16.0, "true_peak": -1.0}
    assert dumped["elements"][0]["duck"] == {"under": ["voice"], "amount_db": -9.0,
                                             "attack": 0.2, "release": 0.5}
    assert parse_job(dumped) == job
