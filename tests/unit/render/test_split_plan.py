"""Cutting a job into units: frame-grid slices that add up to the unsplit render's frames,
which jobs are split at all, and the stitch's concat list."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from services.render.compiler import compile_plan, frame_grid
from services.render.split import plan_units, split_ranges
from services.render.stitch import concat_list, stitch_command
from tests.unit.render.helpers import plan_for


def _text_job(duration: float, fmt: str = "mp4", fps: float = 25, **output: Any) -> dict[str, Any]:
    return {"output": {"format": fmt, "width": 64, "height": 36, "fps": fps,
                       "duration": duration, **output},
            "elements": [{"type": "text", "text": "x", "font_size": 10}]}


def _frames(start: float, end: float, fps: Fraction) -> int:
    return round((Fraction(frame_grid(end, fps)) - Fraction(frame_grid(start, fps))) * fps)


@pytest.mark.parametrize(("duration", "fps", "slice_seconds", "count"), [
    (120.0, Fraction(25), 20.0, 6),
    (100.0, Fraction(30000, 1001), 30.0, 3),  # 29.97: boundaries between whole seconds
    (61.0, Fraction(24), 30.0, 2),  # a last second too short for a slice of its own
    (10.0, Fraction(10), 3.05, 3),  # 3.05 s is 30.5 frames: 30 per slice, 40 in the last
])
def test_slices_cover_every_frame_once_on_the_grid(duration: float, fps: Fraction,
                                                   slice_seconds: float, count: int) -> None:
    ranges = split_ranges(duration, fps, slice_seconds)
    assert len(ranges) == count
    assert ranges[0].start == 0 and ranges[-1].end == duration
    assert all(a.end == b.start for a, b in itertools.pairwise(ranges))
    for r in ranges[:-1]:
        assert Fraction(r.end) * fps == pytest.approx(round(Fraction(r.end) * fps), abs=1e-6)
    per_slice = [_frames(r.start, r.end, fps) for r in ranges[:-1]]
    assert len(set(per_slice)) == 1, per_slice


def test_an_off_grid_duration_keeps_the_unsplit_frame_count(tmp_path: Path) -> None:
    plan = plan_for(_text_job(10.05, fps=10), tmp_path)
    whole = compile_plan(plan, tmp_path / "w.mp4", ffmpeg_exe="ffmpeg")
    units = plan_units(plan, min_seconds=1, slice_seconds=3)
    parts = [compile_plan(plan, tmp_path / f"{u.name}.mp4", ffmpeg_exe="ffmpeg",
                          time_range=u.range, only="video")
             for u in units if u.kind == "video"]
    assert sum(part.duration for part in parts) == pytest.approx(whole.duration)
    assert parts[-1].duration == pytest.approx(10.05 - 6.0)  # 1.05 s joined the last slice


@pytest.mark.parametrize(("job", "split"), [
    (_text_job(130), True),
    (_text_job(130, "webm"), True),
    (_text_job(130, "mov"), True),
    (_text_job(119), False),  # shorter than the threshold
    (_text_job(130, "gif"), False),  # one palette over every frame
    (_text_job(130, "avi"), False),
])
def test_which_jobs_are_split(tmp_path: Path, job: dict[str, Any], split: bool) -> None:
    units = plan_units(plan_for(job, tmp_path), min_seconds=120, slice_seconds=30)
    assert bool(units) is split
    if split:
        # 30 s slices; the last 10 s join the fourth (shorter than half a slice)
        assert [u.kind for u in units] == ["video"] * 4 + ["audio"]
        assert units[3].end - units[3].start == 40
        assert (units[-1].start, units[-1].end) == (0.0, 130.0)


def test_a_unit_writes_only_its_own_stream(tmp_path: Path) -> None:
    plan = plan_for(_text_job(130), tmp_path)
    video, audio = (compile_plan(plan, tmp_path / "u.mp4", ffmpeg_exe="ffmpeg", only=only,
                                 threads=1).args for only in ("video", "audio"))
    assert "-vcodec" in video and "-acodec" not in video and "-movflags" in video
    assert "-acodec" in audio and "-vcodec" not in audio and "-r" not in audio
    assert video[video.index("-filter_complex_threads") + 1] == "1"


def test_the_concat_list_names_slices_in_their_folder(tmp_path: Path) -> None:
    slices = [tmp_path / "slice-0000.mp4", tmp_path / "slice-0001.mp4"]
    assert concat_list(slices) == "file 'slice-0000.mp4'\nfile 'slice-0001.mp4'\n"
    with pytest.raises(ValueError, match="one folder"):
        concat_list([tmp_path / "a.mp4", tmp_path / "x" / "b.mp4"])
    with pytest.raises(ValueError, match="file name"):
        concat_list([tmp_path / "it's.mp4"])
    args = stitch_command("ffmpeg", tmp_path / "list.txt", tmp_path / "audio.mp4",
                          tmp_path / "out.mp4", "mp4")
    assert args[args.index("-c") + 1] == "copy"
    assert args[args.index("-safe"):args.index("-safe") + 2] == ["-safe", "1"]
