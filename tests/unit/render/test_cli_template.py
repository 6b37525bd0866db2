"""`vidgen render T.json --merge --set --data`: a template filled in locally renders the
values given (decoded pixels), and a wrong value is exit 2 with the request's paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.unit.render.helpers import frame_at, rgb_near

ROOT = Path(__file__).resolve().parents[3]


def vidgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args], capture_output=True, text=True, cwd=cwd,
        timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})


def template_in(folder: Path, media: Any) -> Path:
    """Left half: an image whose opacity is a merge field; right half: a box whose colour
    is a merge field with a default."""
    path = folder / "card.json"
    path.write_text(json.dumps({
        "composition": {
            "output": {"width": 64, "height": 32, "duration": 0.4, "background": "black",
                       "quality": {"preset": "ultrafast"}},
            "elements": [
                {"id": "photo", "type": "image", "source": str(media.path("red.png")),
                 "width": 32, "height": 32, "x": 0, "y": 0, "fit": "fill",
                 "opacity": "{{opacity}}"},
                {"id": "box", "type": "text", "text": "{{label}}", "width": 32, "height": 32,
                 "x": 32, "y": 0, "color": "{{ink}}", "background": "{{ink}}",
                 "font_size": 4},
            ],
        },
        "merge_fields": {"ink": {"default": "#0000ff"}, "label": {"default": "x"}},
    }), encoding="utf-8")
    return path


def test_merge_and_set_values_are_rendered(media: Any, tmp_path: Path) -> None:
    template = template_in(tmp_path, media)
    out = tmp_path / "out.mp4"
    done = vidgen(media.path("lime.png").parent, "render", str(template), "--quiet", "-o",
                  str(out), "--merge", "opacity=1", "--set", "photo.source=lime.png")
    assert done.returncode == 0, done.stderr
    frame = frame_at(out, 0.2)
    assert rgb_near(frame[16, 8], (0, 255, 0))  # --set replaced the source (relative to cwd)
    assert rgb_near(frame[16, 56], (0, 0, 255))  # the default of `ink`


def test_data_file_values_and_the_command_line_winning(media: Any, tmp_path: Path) -> None:
    template = template_in(tmp_path, media)
    row = tmp_path / "row.json"
    row.write_text(json.dumps({"opacity": 1, "ink": "#00ff00", "photo.opacity": 1,
                               "photo.source": str(media.path("blue.png"))}))
    out = tmp_path / "row.mp4"
    done = vidgen(tmp_path, "render", str(template), "--quiet", "-o", str(out),
                  "--data", str(row), "--merge", "ink=#ff0000")
    assert done.returncode == 0, done.stderr
    frame = frame_at(out, 0.2)
    assert rgb_near(frame[16, 8], (0, 0, 255))  # --data's modification
    assert rgb_near(frame[16, 56], (255, 0, 0))  # --merge over --data


def test_wrong_values_are_exit_2_with_the_requests_paths(media: Any, tmp_path: Path) -> None:
    template = template_in(tmp_path, media)
    done = vidgen(tmp_path, "render", str(template), "--dry-run", "--merge", "opacity=lots",
                  "--merge", "inks=red", "--set", "box.colr=red", "--set", "frame.x=3")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        'merge.inks: is not a merge field of this template (fields: opacity, label, ink); '
        'did you mean "ink"?',
        'modifications["box.colr"]: the text element "box" has no property "colr"; '
        'did you mean "color"?',
        'modifications["frame.x"]: no element has the id "frame" (ids: "photo", "box")']
    done = vidgen(tmp_path, "render", str(template), "--dry-run", "--merge", "opacity=lots",
                  "--set", "box.font_size=huge")
    assert done.returncode == 2
    lines = sorted(done.stderr.splitlines())
    assert lines[0].startswith("merge.opacity: opacity must be a number, got 'lots'")
    assert lines[0].endswith("(template elements[0].opacity)")
    assert lines[1].startswith('modifications["box.font_size"]: expected a size')
    done = vidgen(tmp_path, "render", str(template), "--dry-run")
    assert (done.returncode, done.stderr.strip()) == (
        2, "merge.opacity: is required (used at template elements[0].opacity)")


def test_a_plain_spec_takes_set_too(media: Any, tmp_path: Path) -> None:
    spec = tmp_path / "plain.json"
    spec.write_text(json.dumps({
        "output": {"width": 32, "height": 32, "duration": 0.2,
                   "quality": {"preset": "ultrafast"}},
        "elements": [{"id": "bg", "type": "image", "source": str(media.path("red.png"))}]}))
    out = tmp_path / "plain.mp4"
    done = vidgen(tmp_path, "render", str(spec), "--quiet", "-o", str(out),
                  "--set", f"bg.source={media.path('blue.png')}")
    assert done.returncode == 0, done.stderr
    assert rgb_near(frame_at(out, 0.1)[16, 16], (0, 0, 255))
