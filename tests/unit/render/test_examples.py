"""The bundled examples (what `vidgen demo` and `vidgen render-examples` render): every one
is a valid job whose files exist and probe, and the looks-and-sound example renders through
the CLI and slices to the full render's frames."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.render.engine import TimeRange
from tests.unit.render.helpers import decode_frames, plan_for, render_spec, stream_info
from tests.unit.render.loudness import loudness

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
LOOKS = EXAMPLES / "green-screen-looks.json"


def _spec(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
def test_every_example_is_a_job_whose_files_exist_and_probe(path: Path) -> None:
    plan = plan_for(_spec(path), EXAMPLES)
    assert plan.layers


def test_the_looks_example_uses_every_part_of_the_issue() -> None:
    elements = _spec(LOOKS)["elements"]
    kinds = {key for element in elements for key in element}
    assert {"crop", "speed", "chroma_key", "filters", "lut", "border_radius", "shadow",
            "duck"} <= kinds
    assert any(element["type"] == "shape" for element in elements)
    assert _spec(LOOKS)["output"]["loudness"]


def test_the_looks_example_renders_with_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "looks.mp4"
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli", "render", str(LOOKS), "-o", str(out), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    info = stream_info(out)
    assert (info.width, info.height) == (854, 480)
    assert info.duration == pytest.approx(6, abs=0.05)
    target = _spec(LOOKS)["output"]["loudness"]
    integrated, peak = loudness(out)
    assert abs(integrated - target["target_lufs"]) <= 1, integrated
    assert peak <= target["true_peak"], peak


def test_a_slice_of_the_looks_example_draws_the_full_renders_frames(tmp_path: Path) -> None:
    spec = _spec(LOOKS)
    spec["output"]["quality"] = {"preset": "ultrafast", "crf": 0}  # the encoder's own choices
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"  # differ at a slice's start
    render_spec(spec, EXAMPLES, full)
    render_spec(spec, EXAMPLES, part, time_range=TimeRange(1.2, 2.2))
    whole = dict(decode_frames(full))
    sliced = decode_frames(part)
    assert len(sliced) == 30
    worst = 0
    for n, (_, frame) in enumerate(sliced):
        twin = whole[min(whole, key=lambda t: abs(t - (1.2 + n / 30)))]
        worst = max(worst, int(np.abs(frame.astype(int) - twin.astype(int)).max()))
    assert worst <= 3, worst
