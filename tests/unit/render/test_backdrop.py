"""The compiler's shortcuts: an opaque full-canvas bottom layer is the canvas, and elements
that read one file in lockstep share its decoder. Both must draw exactly what the general
path draws (colour canvas + one overlay and one input per element)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from services.render.compiler import TimeRange, compile_plan
from shared.settings import engine_settings
from tests.unit.render.helpers import (
    BLUE,
    LIME,
    RED,
    decode_frames,
    ffmpeg,
    frame_at,
    plan_for,
    render_spec,
    rgb_near,
    stream_info,
)

LOSSLESS: dict[str, Any] = {"preset": "ultrafast", "crf": 0}


def _spec(source: str, **video: Any) -> dict[str, Any]:
    return {
        "output": {"width": 160, "height": 120, "duration": 2, "quality": LOSSLESS},
        "elements": [
            {"id": "bottom", "type": "video", "source": source, **video},
            {"id": "logo", "type": "image", "source": "red.png", "width": 20, "x": 4, "y": 4},
        ],
    }


def _render(spec: dict[str, Any], base: Path, out: Path, **options: Any) -> list[str]:
    command = compile_plan(plan_for(spec, base), out,
                           ffmpeg_exe=engine_settings().ffmpeg_exe(), **options)
    subprocess.run(command.args, check=True, capture_output=True, timeout=60)
    return command.args


def _differing(a: list[tuple[float, np.ndarray]], b: list[tuple[float, np.ndarray]]) -> list[int]:
    return [number for number, ((_, x), (_, y)) in enumerate(zip(a, b, strict=True))
            if float(np.abs(x.astype(int) - y.astype(int)).mean()) > 1.0]


def _assert_slice_matches(spec: dict[str, Any], base: Path, tmp_path: Path,
                          t0: float, t1: float) -> None:
    """The slice [t0, t1) renders exactly the full render's frames of that span (30 fps)."""
    full, part = tmp_path / "full.mkv", tmp_path / "part.mkv"
    _render(spec, base, full)
    _render(spec, base, part, time_range=TimeRange(t0, t1))
    whole, piece = decode_frames(full), decode_frames(part)
    first, last = round(t0 * 30), round(t1 * 30)
    assert len(piece) == last - first
    assert _differing(piece, whole[first:last]) == []


def test_a_full_canvas_video_is_the_canvas_and_draws_the_same_frames(
    media: Any, tmp_path: Path
) -> None:
    spec = _spec("pattern.mp4", trim_start=0.3, duration=2, past_end="freeze")
    fast, general = tmp_path / "fast.mkv", tmp_path / "general.mkv"
    fast_args = _render(spec, media.dir, fast)
    general_args = _render(spec, media.dir, general, backdrop=False)
    assert not any(arg.startswith("color=c=0x000000") for arg in fast_args)
    assert any(arg.startswith("color=c=0x000000") for arg in general_args)
    quick, slow = decode_frames(fast), decode_frames(general)
    assert len(quick) == len(slow) == 60
    assert _differing(quick, slow) == []
    # and the frames really move (testsrc2 differs frame to frame)
    assert float(np.abs(quick[10][1].astype(int) - quick[11][1].astype(int)).mean()) > 1.0


def test_with_the_shortcut_a_slice_is_still_exactly_those_frames_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    # 25 fps under a 30 fps canvas: frames fall between output times, and a slice seeks.
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=3", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", str(tmp_path / "p25.mp4"))
    _assert_slice_matches(_spec(str(tmp_path / "p25.mp4")), media.dir, tmp_path, 0.7, 1.4)


def test_elements_reading_one_file_in_step_share_one_decoder(
    media: Any, tmp_path: Path
) -> None:
    spec = {
        "output": {"width": 160, "height": 120, "duration": 3, "quality": LOSSLESS},
        "elements": [
            {"id": "full", "type": "video", "source": "seconds.mp4"},
            {"id": "pip", "type": "video", "source": "seconds.mp4", "width": 40, "x": 110,
             "y": 10, "muted": True},
            {"id": "late", "type": "video", "source": "seconds.mp4", "start": 1, "width": 40,
             "x": 10, "y": 70, "muted": True},
        ],
    }
    out = tmp_path / "out.mp4"
    args = _render(spec, media.dir, out)
    inputs = [args[number + 1] for number, arg in enumerate(args) if arg == "-i"]
    # `full` and `pip` start together: one input; `late` starts a second later: its own.
    assert sum(value.endswith("seconds.mp4") for value in inputs) == 2
    for t, colour, late in ((0.5, RED, None), (1.5, LIME, RED), (2.5, BLUE, LIME)):
        frame = frame_at(out, t)
        assert rgb_near(frame[60, 20], colour), (t, frame[60, 20])  # `full`
        assert rgb_near(frame[20, 130], colour), (t, frame[20, 130])  # `pip`, in step
        if late is not None:
            assert rgb_near(frame[90, 30], late), (t, frame[90, 30])  # `late`, a second behind


SLIDESHOW: dict[str, Any] = {
    "output": {"width": 160, "height": 120, "duration": 3, "quality": LOSSLESS},
    "elements": [
        {"id": "one", "type": "image", "source": "halves.png", "fit": "cover", "duration": 1,
         "fade_in": 0.3, "fade_out": 0.3},
        {"id": "two", "type": "video", "source": "pattern.mp4", "start": 1, "duration": 1.1,
         "fit": "fill", "fade_out": 0.4},
        {"id": "three", "type": "image", "source": "bands.png", "fit": "fill", "start": 2.1,
         "end": 3, "fade_in": 0.5},
        {"id": "caption", "type": "text", "text": "Hi", "font_size": 30, "track": 1},
    ],
}


def _mean_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def test_slides_one_after_another_are_joined_and_faded_to_the_background(
    media: Any, tmp_path: Path
) -> None:
    fast, general = tmp_path / "fast.mkv", tmp_path / "general.mkv"
    fast_args = _render(SLIDESHOW, media.dir, fast)
    _render(SLIDESHOW, media.dir, general, backdrop=False)
    graph = fast_args[fast_args.index("-filter_complex") + 1]
    assert "concat=" in graph and "overlay" in graph  # slides joined; the caption on top
    assert not any(arg.startswith("color=c=0x000000") for arg in fast_args)
    quick, slow = decode_frames(fast), decode_frames(general)
    assert len(quick) == len(slow) == 90
    # Fading a colour towards black and blending with alpha round differently by a level
    # or two; a frame shown at the wrong time or a wrong fade differs by far more.
    worst = max(_mean_diff(x, y) for (_, x), (_, y) in zip(quick, slow, strict=True))
    assert worst < 1.5, worst
    # the fades are really there: half-way through one's fade-in, darker than at full
    assert quick[4][1].mean() < 0.8 * quick[15][1].mean()


def test_a_slideshow_slice_is_exactly_those_frames_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    _assert_slice_matches(SLIDESHOW, media.dir, tmp_path, 0.9, 2.3)


def test_a_gap_between_slides_leaves_the_general_path(media: Any, tmp_path: Path) -> None:
    spec = {**SLIDESHOW, "elements": [
        {**element, "start": 2.2} if element["id"] == "three" else element
        for element in SLIDESHOW["elements"]
    ]}
    args = compile_plan(plan_for(spec, media.dir), tmp_path / "x.mp4",
                        ffmpeg_exe=engine_settings().ffmpeg_exe()).args
    assert any(arg.startswith("color=c=0x000000") for arg in args)


def test_a_full_canvas_jpeg_becomes_tv_range_yuv420p_with_its_colours_kept(
    tmp_path: Path
) -> None:
    """A JPEG decodes to full-range YUV; as the canvas it must still give a yuv420p output
    (not yuvj420p, which many players mishandle) whose colours are the picture's."""
    ffmpeg("-f", "lavfi", "-i", "color=c=0x3060c0:s=320x240", "-frames:v", "1",
           "-q:v", "1", str(tmp_path / "photo.jpg"))
    spec = {"output": {"width": 160, "height": 120, "duration": 1},
            "elements": [{"id": "photo", "type": "image", "source": "photo.jpg"}]}
    out = tmp_path / "out.mp4"
    render_spec(spec, tmp_path, out)
    info = stream_info(out)
    assert info.pix_fmt == "yuv420p"
    assert info.frames == 30
    assert rgb_near(frame_at(out, 0.5)[60, 80], (0x30, 0x60, 0xC0), tol=10)
