"""Containers and codecs, posters, time-range slices and the `vidgen render` command."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from services.render.engine import TimeRange, render_sync
from tests.unit.render.helpers import (
    ENGINE,
    LIME,
    RED,
    RENDER_TIMEOUT,
    audio_rms,
    decode_frames,
    frame_at,
    plan_for,
    render_spec,
    rgb_near,
    stream_info,
)

ROOT = Path(__file__).resolve().parents[3]


def clip_spec(fmt: str, **output: Any) -> dict[str, Any]:
    """seconds.mp4 from 0.5 s for 1 s: red until 0.5 s, then lime; with its 440 Hz sound."""
    return {
        "output": {"format": fmt, "width": 160, "height": 120, "duration": 1,
                   "quality": {"preset": "ultrafast"}, **output},
        "elements": [{"type": "video", "source": "seconds.mp4", "trim_start": 0.5}],
    }


# --- containers and codecs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "container", "video_codec", "audio_codec"),
    [
        ("mp4", "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac"),
        ("mov", "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac"),
        ("webm", "matroska,webm", "vp9", "opus"),
        ("avi", "avi", "mpeg4", "mp3"),
    ],
)
def test_format_codecs_size_fps_duration_and_sound(
    media: Any, tmp_path: Path, fmt: str, container: str, video_codec: str, audio_codec: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    render_spec(clip_spec(fmt), media.dir, out)
    info = stream_info(out)
    assert info.format_name == container
    assert info.video_codec == video_codec
    # mp3 decodes as "mp3float" in PyAV: compare the codec family
    assert info.audio_codec is not None and info.audio_codec.startswith(audio_codec)
    assert info.pix_fmt == "yuv420p"
    assert (info.width, info.height) == (160, 120)
    assert info.fps == Fraction(30)
    assert info.frames == 30
    assert info.duration is not None and abs(info.duration - 1.0) <= 1 / 30 + 1e-6
    assert info.sample_rate == 48000
    assert audio_rms(out, 0.1, 0.9) > 0.03
    assert rgb_near(frame_at(out, 0.2)[60, 80], RED)
    assert rgb_near(frame_at(out, 0.7)[60, 80], LIME)


def test_mp4_is_faststart(media: Any, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    render_spec(clip_spec("mp4"), media.dir, out)
    data = out.read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat"), "the moov atom must precede mdat"


def test_gif_has_no_sound_and_the_right_frames(media: Any, tmp_path: Path) -> None:
    out = tmp_path / "out.gif"
    render_spec(clip_spec("gif"), media.dir, out)
    info = stream_info(out)
    assert info.video_codec == "gif"
    assert info.audio_codec is None
    assert (info.width, info.height) == (160, 120)
    assert info.frames == 30  # GIF delays are centiseconds: 30 fps alternates 3 and 4 cs
    assert info.duration is not None and abs(info.duration - 1.0) <= 1 / 30 + 1e-6
    # Both scenes keep their colours: the palette is built from every frame, the last too.
    assert rgb_near(frame_at(out, 0.2)[60, 80], RED)
    assert rgb_near(frame_at(out, 0.7)[60, 80], LIME)


def test_gif_keeps_the_colours_of_its_last_scene(media: Any, tmp_path: Path) -> None:
    document = {
        "output": {"format": "gif", "width": 64, "height": 64, "fps": 10},
        "elements": [
            {"type": "image", "source": "red.png", "duration": 0.5},
            {"type": "image", "source": "blue.png", "start": 0.5, "duration": 0.5},
        ],
    }
    out = tmp_path / "out.gif"
    render_spec(document, media.dir, out)
    assert rgb_near(frame_at(out, 0.25)[32, 32], RED)
    assert rgb_near(frame_at(out, 0.75)[32, 32], (0, 0, 255))


def test_gif_allows_odd_sizes(media: Any, tmp_path: Path) -> None:
    document = clip_spec("gif", width=101, height=75)
    out = tmp_path / "out.gif"
    render_spec(document, media.dir, out)
    info = stream_info(out)
    assert (info.width, info.height) == (101, 75)


def test_fps_is_honoured(media: Any, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    render_spec(clip_spec("mp4", fps=24), media.dir, out)
    info = stream_info(out)
    assert info.fps == Fraction(24)
    assert info.frames == 24


# --- poster ---------------------------------------------------------------------------------


def test_poster_is_a_jpeg_of_the_frame_at_its_time(media: Any, tmp_path: Path) -> None:
    out, poster = tmp_path / "out.mp4", tmp_path / "poster.jpg"
    result = render_spec(clip_spec("mp4", poster={"time": 0.75}), media.dir, out, poster=poster)
    assert result.poster == poster
    with Image.open(poster) as image:
        assert image.format == "JPEG"
        assert image.size == (160, 120)
        assert rgb_near(image.convert("RGB").getpixel((80, 60)), LIME)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4", "poster.jpg"]


def test_poster_at_time_zero(media: Any, tmp_path: Path) -> None:
    out, poster = tmp_path / "out.mp4", tmp_path / "poster.jpg"
    render_spec(clip_spec("mp4", poster={"time": 0}), media.dir, out, poster=poster)
    with Image.open(poster) as image:
        assert rgb_near(image.convert("RGB").getpixel((80, 60)), RED)


def test_no_poster_when_the_slice_does_not_contain_its_time(media: Any, tmp_path: Path) -> None:
    out, poster = tmp_path / "out.mp4", tmp_path / "poster.jpg"
    result = render_spec(
        clip_spec("mp4", poster={"time": 0.9}), media.dir, out,
        time_range=TimeRange(0.0, 0.5), poster=poster,
    )
    assert result.poster is None
    assert not poster.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]


# --- time ranges ----------------------------------------------------------------------------


SLICE_SPEC: dict[str, Any] = {
    "output": {"width": 160, "height": 120, "duration": 2,
               "quality": {"preset": "ultrafast", "crf": 0}},
    "elements": [
        # testsrc2: every frame differs, so an off-by-one frame is visible
        {"type": "video", "source": "pattern.mp4", "start": 0.1, "trim_start": 0.3},
        # fades in over [0.4, 1.2): t0 = 0.7 falls inside the fade
        {"type": "image", "source": "red.png", "start": 0.4, "duration": 1.2, "fade_in": 0.8,
         "width": 60, "x": 0, "y": 0},
        # fades out over [1.1, 1.7): t1 = 1.4 falls inside the fade
        {"type": "text", "text": "Hi", "font_size": 40, "color": "yellow", "start": 0.5,
         "duration": 1.2, "fade_out": 0.6, "x": "right", "y": "bottom"},
        # loops with a trim: the slice starts inside its second pass
        {"type": "video", "source": "seconds.mp4", "trim_start": 2.4, "past_end": "loop",
         "duration": 2, "width": 40, "x": "right", "y": 0, "muted": True},
    ],
}


def test_a_time_range_is_exactly_those_frames_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    plan = plan_for(SLICE_SPEC, media.dir)
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    render_sync(plan, full, timeout=RENDER_TIMEOUT, settings=ENGINE)
    render_sync(plan, part, time_range=TimeRange(0.7, 1.4), timeout=RENDER_TIMEOUT,
                settings=ENGINE)
    whole = decode_frames(full)
    piece = decode_frames(part)
    assert len(whole) == 60
    assert len(piece) == 21  # frames 21..41
    info = stream_info(part)
    assert info.duration is not None and abs(info.duration - 0.7) <= 1 / 30 + 1e-6
    for number, (_, image) in enumerate(piece):
        expected = whole[21 + number][1]
        diff = float(np.abs(image.astype(int) - expected.astype(int)).mean())
        assert diff < 1.0, f"slice frame {number} differs from full frame {21 + number}: {diff}"
    # and the slice is not trivially equal to neighbouring frames
    shifted = float(np.abs(piece[0][1].astype(int) - whole[22][1].astype(int)).mean())
    assert shifted > 1.0


def test_a_time_range_carries_the_same_sound(media: Any, tmp_path: Path) -> None:
    document = {
        "output": {"width": 64, "height": 64, "duration": 2, "quality": {"preset": "ultrafast"}},
        "elements": [{"type": "audio", "source": "tone.wav", "start": 1}],
    }
    plan = plan_for(document, media.dir)
    part = tmp_path / "part.mp4"
    render_sync(plan, part, time_range=TimeRange(0.5, 1.5), timeout=RENDER_TIMEOUT,
                settings=ENGINE)
    assert audio_rms(part, 0.0, 0.45) < 1e-3  # composition 0.5..0.95: before the sound
    assert audio_rms(part, 0.55, 0.95) > 0.03  # composition 1.05..1.45: the sound plays


# --- the command line -------------------------------------------------------------------------


def vidgen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={**os.environ, **(env or {})},
    )


def write_spec(folder: Path, document: dict[str, Any]) -> Path:
    spec = folder / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def small_spec(media: Any) -> dict[str, Any]:
    return {
        "output": {"width": 64, "height": 48, "duration": 0.5, "quality": {"preset": "ultrafast"}},
        "elements": [{"type": "image", "source": str(media.dir / "red.png")}],
    }


def test_cli_renders_and_exits_0(media: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, small_spec(media))
    out = tmp_path / "out.mp4"
    done = vidgen("render", str(spec), "-o", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert stream_info(out).frames == 15
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4", "spec.json"]


def test_cli_renders_a_slice(media: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, small_spec(media))
    out = tmp_path / "out.mp4"
    done = vidgen("render", str(spec), "-o", str(out), "--from", "0.1", "--to", "0.3")
    assert done.returncode == 0, done.stderr
    assert stream_info(out).frames == 6


OPTIONS_WITHOUT_VALUE = {"-hide_banner", "-nostdin", "-y", "-nostats"}


def test_dry_run_of_a_normalised_mix_says_a_render_meters_it_first(
    media: Any, tmp_path: Path
) -> None:
    document = small_spec(media)
    document["output"]["loudness"] = {"target_lufs": -16}
    document["elements"].append({"type": "audio", "source": str(media.dir / "tone.wav")})
    done = vidgen("render", str(write_spec(tmp_path, document)), "-o",
                  str(tmp_path / "out.mp4"), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1
    assert "loudnorm=" in done.stdout
    assert "meters the mix's loudness first" in done.stderr


def test_dry_run_prints_one_command_with_one_output(media: Any, tmp_path: Path) -> None:
    document = small_spec(media)
    document["elements"].append({"type": "video", "source": str(media.dir / "seconds.mp4"),
                                 "width": 32, "x": 0, "y": 0})
    document["elements"].append({"type": "audio", "source": str(media.dir / "tone.wav")})
    spec = write_spec(tmp_path, document)
    out = tmp_path / "out.mp4"
    done = vidgen("render", str(spec), "-o", str(out), "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    args = shlex.split(lines[0])
    assert Path(args[0]).name.startswith("ffmpeg")
    # one filter graph for the whole composition, picture and sound
    assert args.count("-filter_complex") == 1
    inputs, positional = [], []
    index = 1
    while index < len(args):
        arg = args[index]
        if arg in OPTIONS_WITHOUT_VALUE:
            index += 1
        elif arg.startswith("-"):
            if arg == "-i":
                inputs.append(args[index + 1])
            index += 2
        else:
            positional.append(arg)
            index += 1
    assert positional == [str(out)], "exactly one output file, and no intermediate files"
    assert str(media.dir / "seconds.mp4") in inputs
    assert str(media.dir / "tone.wav") in inputs
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_cli_invalid_spec_exits_2_with_every_problem_as_path_message(
    media: Any, tmp_path: Path
) -> None:
    document = {
        "output": {"width": 321, "format": "mp4"},
        "elements": [{"type": "image"}, {"type": "video", "source": "x.mp4", "opacity": 2}],
    }
    spec = write_spec(tmp_path, document)
    done = vidgen("render", str(spec), "-o", str(tmp_path / "out.mp4"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    paths = {line.split(": ", 1)[0] for line in lines}
    assert {"output.width", "elements[0].source", "elements[1].opacity"} <= paths, lines
    assert all(": " in line for line in lines), lines
    assert not (tmp_path / "out.mp4").exists()


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        pytest.param("missing.png", "not found", id="missing-file"),
        pytest.param("notes.txt", "", id="not-media"),
    ],
)
def test_cli_unusable_source_exits_2(
    media: Any, tmp_path: Path, source: str, fragment: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a picture", encoding="utf-8")
    document = small_spec(media)
    document["elements"].append({"type": "image", "source": source})
    spec = write_spec(tmp_path, document)
    done = vidgen("render", str(spec), "-o", str(tmp_path / "out.mp4"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("elements[1].source: ")
    assert fragment in lines[0]


def test_cli_ffmpeg_failure_exits_1_with_its_error(media: Any, tmp_path: Path) -> None:
    fake = tmp_path / "fake-ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Conversion failed: out of unicorns' >&2\nexit 1\n")
    fake.chmod(0o755)
    out_dir = tmp_path / "out"
    spec = write_spec(tmp_path, small_spec(media))
    done = vidgen("render", str(spec), "-o", str(out_dir / "out.mp4"),
                  env={"VIDGEN_FFMPEG": str(fake)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "out of unicorns" in done.stderr
    assert list(out_dir.iterdir()) == [], "no partial or temp files are left"


def test_cli_unwritable_output_exits_1(media: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    spec = write_spec(tmp_path, small_spec(media))
    done = vidgen("render", str(spec), "-o", str(blocker / "out.mp4"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("render failed:")


@pytest.mark.parametrize("dry_run", [False, True])
def test_cli_empty_time_range_exits_1_and_leaves_nothing(
    media: Any, tmp_path: Path, dry_run: bool
) -> None:
    spec = write_spec(tmp_path, small_spec(media))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = ["render", str(spec), "-o", str(out_dir / "out.mp4"), "--from", "0.4", "--to", "0.2"]
    done = vidgen(*args, *(["--dry-run"] if dry_run else []))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "empty time range" in done.stderr
    assert list(out_dir.iterdir()) == []
