"""`vidgen render`'s defaults a new user meets: without `-o` the video lands in the current
directory (and the summary says where), and a late element is rendered with a warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.unit.render.helpers import stream_info

ROOT = Path(__file__).resolve().parents[3]


def vidgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args], capture_output=True, text=True, cwd=cwd,
        timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})


def spec_in(folder: Path, media: Any, **output: Any) -> Path:
    folder.mkdir()
    spec = folder / "teaser.json"
    spec.write_text(json.dumps({
        "output": {"width": 64, "height": 48, "duration": 0.5,
                   "quality": {"preset": "ultrafast"}, **output},
        "elements": [{"type": "image", "source": str(media.dir / "red.png")},
                     {"type": "text", "text": "too late", "start": 0.5}],
    }), encoding="utf-8")
    return spec


def test_without_o_the_video_goes_to_the_current_directory(media: Any, tmp_path: Path):
    spec = spec_in(tmp_path / "specs", media, poster={"time": 0.1})
    work = tmp_path / "work"
    work.mkdir()
    done = vidgen(work, "render", str(spec), "--quiet")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["teaser.jpg", "teaser.mp4"]
    assert [p.name for p in spec.parent.iterdir()] == ["teaser.json"]
    assert stream_info(work / "teaser.mp4").frames == 15
    # the summary names the file by its full path
    assert done.stdout.startswith(f"{work / 'teaser.mp4'} (")
    assert f"poster {work / 'teaser.jpg'}" in done.stdout


def test_an_element_after_the_end_is_rendered_with_a_warning(media: Any, tmp_path: Path):
    spec = spec_in(tmp_path / "specs", media)
    done = vidgen(tmp_path, "render", str(spec), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "warning: elements[1].start: starts at 0.5 s, at or after the end of the output "
        "(0.5 s): it will not be in the video"]
