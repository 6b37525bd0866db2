"""`vidgen render` of a spec with outputs, stills and thumbnails: every file into one
folder (named by -o without its suffix, or after the spec), one line per file."""

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


def write_spec(folder: Path, media: Any) -> Path:
    spec = folder / "promo.json"
    spec.write_text(json.dumps({
        "outputs": [{"name": "big", "width": 128, "height": 72, "duration": 1,
                     "quality": {"preset": "ultrafast"}},
                    {"name": "stream", "format": "hls", "width": 64}],
        "stills": [{"time": 0.5, "width": 32}],
        "thumbnails": {"every": 0.5, "width": 16},
        "elements": [{"type": "image", "source": str(media.dir / "red.png")}],
    }), encoding="utf-8")
    return spec


def test_o_names_the_folder_of_every_file(media: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, media)
    done = vidgen(tmp_path, "render", str(spec), "-o", str(tmp_path / "out.mp4"), "--quiet")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "out"
    for path in ("big.mp4", "hls/master.m3u8", "hls/stream/index.m3u8", "stills/still-0.jpg",
                 "thumbnails/sprite.jpg", "thumbnails/thumbnails.vtt"):
        assert (folder / path).is_file(), path
        assert str(folder / path) in done.stdout or path.startswith("hls/stream/init")
    info = stream_info(folder / "big.mp4")
    assert (info.width, info.height) == (128, 72)


def test_without_o_the_folder_is_named_after_the_spec(media: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, media)
    work = tmp_path / "work"
    work.mkdir()
    done = vidgen(work, "render", str(spec), "--quiet")
    assert done.returncode == 0, done.stderr
    assert (work / "promo" / "big.mp4").is_file()


def test_a_slice_of_a_delivery_is_refused(media: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, media)
    done = vidgen(tmp_path, "render", str(spec), "--from", "0", "--to", "0.5", "--quiet")
    assert done.returncode == 2
    assert "a slice renders one output" in done.stderr
