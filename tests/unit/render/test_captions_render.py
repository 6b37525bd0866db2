"""Captions rendered for real: cue windows, wrapping to max_lines, the highlighted word,
slices, and soft subtitle streams read back with PyAV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from services.render.engine import TimeRange
from tests.unit.render.helpers import decode_frames, plan_for, render_spec

W, H = 192, 108
LOSSLESS = {"preset": "ultrafast", "crf": 0}


def spec(*elements: dict[str, Any], duration: float = 2.0, **output: Any) -> dict[str, Any]:
    return {
        "output": {"width": W, "height": H, "fps": 10, "duration": duration,
                   "background": "#000000", "quality": LOSSLESS, **output},
        "elements": list(elements),
    }


def white(frame: np.ndarray) -> np.ndarray:
    return np.all(frame > 170, axis=2)


def lime(frame: np.ndarray) -> np.ndarray:
    r, g, b = (frame[:, :, i].astype(int) for i in range(3))
    return (g > 150) & (r < 110) & (b < 110)


def row_bands(mask: np.ndarray) -> int:
    """How many separate runs of rows hold any marked pixel (lines of text)."""
    rows = mask.any(axis=1).astype(int)
    return int(np.count_nonzero(np.diff(np.concatenate([[0], rows])) == 1))


def test_a_cue_is_visible_exactly_during_its_window(tmp_path: Path) -> None:
    # element from 0.3 s; the cue [0.5, 1.2) of it is [0.8, 1.5) on the timeline
    document = spec({"type": "captions", "start": 0.3, "font_size": 20,
                     "cues": [{"start": 0.5, "end": 1.2, "text": "HELLO"}]})
    out = tmp_path / "window.mp4"
    render_spec(document, tmp_path, out)
    frames = decode_frames(out)
    assert len(frames) == 20
    for time, frame in frames:
        shown = int(white(frame).sum())
        if 0.8 - 1e-6 <= time < 1.5 - 1e-6:
            assert shown > 40, (time, shown)
            assert white(frame)[: H // 2].sum() == 0  # the default box is near the bottom
        else:
            assert shown == 0, (time, shown)


def test_a_long_cue_wraps_to_max_lines_and_pages_through_its_window(tmp_path: Path) -> None:
    text = "ALPHA BETA GAMMA DELTA EPSILON ZETA"
    document = spec({"type": "captions", "width": 80, "height": 80, "y": 10, "max_lines": 2,
                     "font_size": 14, "line_spacing": 1.4, "vertical_align": "top",
                     "cues": [{"start": 0, "end": 2, "text": text}]})
    plan = plan_for(document, tmp_path)
    captions = plan.layers[0].captions
    assert captions is not None
    pages = captions.pages
    counts = [len(page.layout.lines) for page in pages]
    assert len(counts) >= 3 and max(counts) == 2 and counts[:-1] == [2] * (len(counts) - 1)
    assert " ".join(line for page in pages for line in page.layout.lines) == text
    assert max(width for page in pages for width in page.layout.line_widths) <= 80
    out = tmp_path / "wrap.mp4"
    render_spec(document, tmp_path, out)
    bands = {}
    for time, frame in decode_frames(out):
        number = next(n for n, page in enumerate(pages) if page.start <= time + 1e-6 < page.end)
        bands.setdefault(number, set()).add(row_bands(white(frame)))
    # every frame shows its page's lines, never more than max_lines
    assert bands == {number: {count} for number, count in enumerate(counts)}


def test_the_spoken_word_is_highlighted_only_during_its_window(tmp_path: Path) -> None:
    words = [{"start": 0.2, "end": 0.6, "text": "ONE"}, {"start": 0.6, "end": 1.0, "text": "TWO"},
             {"start": 1.3, "end": 1.8, "text": "SIX"}]
    document = spec({"type": "captions", "font_size": 22, "highlight_color": "#00ff00",
                     "cues": [{"start": 0, "end": 2, "text": "ONE TWO SIX", "words": words}]})
    out = tmp_path / "karaoke.mp4"
    render_spec(document, tmp_path, out)
    centres = {}
    for time, frame in decode_frames(out):
        greens = lime(frame)
        spoken = [n for n, w in enumerate(words) if w["start"] <= time + 1e-6 < w["end"]]
        assert white(frame).sum() > 40, time  # the cue itself is on screen throughout
        if not spoken:
            assert greens.sum() == 0, time
            continue
        assert greens.sum() > 20, time
        centres.setdefault(spoken[0], []).append(float(np.nonzero(greens)[1].mean()))
    # the highlight sits on the first, second and third word, left to right
    first, second, third = (float(np.mean(centres[n])) for n in range(3))
    assert first < second < third
    assert max(np.ptp(values) for values in centres.values()) < 1  # it does not wander


def test_a_slice_draws_the_same_captions_as_the_full_render(tmp_path: Path) -> None:
    words = [{"start": 0.3, "end": 0.9, "text": "RED"}, {"start": 0.9, "end": 1.4, "text": "SKY"}]
    document = spec(
        {"type": "captions", "font_size": 18, "highlight_color": "#00ff00", "start": 0.2,
         "background": "#2040a0@0.7", "padding": 4, "stroke_color": "black", "stroke_width": 1,
         "cues": [{"start": 0.1, "end": 1.5, "text": "RED SKY", "words": words},
                  {"start": 1.5, "end": 1.8, "text": "NEXT"}]})
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    render_spec(document, tmp_path, full)
    render_spec(document, tmp_path, part, time_range=TimeRange(0.7, 1.9))
    whole, piece = decode_frames(full), decode_frames(part)
    assert len(piece) == 12
    for number, (_, frame) in enumerate(piece):
        difference = np.abs(frame.astype(int) - whole[7 + number][1].astype(int)).max()
        assert difference <= 2, (number, difference)


def _subtitles(path: Path) -> tuple[str, list[tuple[float, float, str]]]:
    with av.open(str(path)) as container:
        stream = container.streams.subtitles[0]
        codec = stream.codec_context.name
        cues = []
        for packet in container.demux(stream):
            if not packet.size or packet.pts is None or packet.duration is None:
                continue
            payload = bytes(packet)
            if codec == "mov_text":  # a 16-bit length, then the text
                payload = payload[2:2 + int.from_bytes(payload[:2], "big")]
            if payload:
                cues.append((round(float(packet.pts * packet.time_base), 3),
                             round(float(packet.duration * packet.time_base), 3),
                             payload.decode()))
    return codec, cues


def test_soft_subtitles_are_a_stream_with_the_cue_texts(tmp_path: Path) -> None:
    (tmp_path / "talk.srt").write_text(
        "1\n00:00:00,200 --> 00:00:00,900\nFirst <b>line</b>\n\n"
        "2\n00:00:01,000 --> 00:00:01,600\nSecond\nline\n")
    for fmt, codec in (("mp4", "mov_text"), ("webm", "webvtt")):
        document = spec({"type": "captions", "source": "talk.srt", "start": 0.5,
                         "font_size": 20},
                        duration=2.5, format=fmt, subtitles="soft",
                        quality={"preset": "ultrafast"})
        out = tmp_path / f"soft.{fmt}"
        render_spec(document, tmp_path, out)
        assert _subtitles(out) == (codec, [(0.7, 0.7, "First line"),
                                           (1.5, 0.6, "Second\nline")]), fmt
        frames = decode_frames(out)  # burnt in as well
        assert white(next(f for t, f in frames if abs(t - 1.0) < 1e-6)).sum() > 40
    assert not list(tmp_path.glob(".*.srt"))  # the sidecar is gone


def test_burn_false_writes_only_the_subtitle_stream(tmp_path: Path) -> None:
    document = spec({"type": "captions", "burn": False,
                     "cues": [{"start": 0.5, "end": 1.5, "text": "Only soft"}]},
                    subtitles="soft")
    out = tmp_path / "soft-only.mp4"
    render_spec(document, tmp_path, out)
    assert _subtitles(out) == ("mov_text", [(0.5, 1.0, "Only soft")])
    assert all(white(frame).sum() == 0 for _, frame in decode_frames(out))
    part = tmp_path / "soft-part.mp4"
    render_spec(document, tmp_path, part, time_range=TimeRange(1.0, 2.0))
    assert _subtitles(part) == ("mov_text", [(0.0, 0.5, "Only soft")])


def test_many_cues_drawn_in_groups_are_the_same_frames(tmp_path: Path,
                                                       monkeypatch: Any) -> None:
    cues = [{"start": n * 0.2, "end": n * 0.2 + 0.15, "text": f"CUE {n}",
             "words": [{"start": n * 0.2, "end": n * 0.2 + 0.1, "text": "CUE"},
                       {"start": n * 0.2 + 0.1, "end": n * 0.2 + 0.15, "text": str(n)}]}
            for n in range(12)]
    document = spec({"type": "captions", "font_size": 16, "highlight_color": "#00ff00",
                     "background": "black@0.5", "padding": 3, "start": 0.1, "cues": cues},
                    duration=2.6)
    whole = tmp_path / "one-chain.mp4"
    render_spec(document, tmp_path, whole)
    monkeypatch.setattr("services.render.captions.CHUNK_FILTERS", 5)  # a group per cue
    grouped, part = tmp_path / "grouped.mp4", tmp_path / "grouped-part.mp4"
    render_spec(document, tmp_path, grouped)
    render_spec(document, tmp_path, part, time_range=TimeRange(0.9, 2.1))
    reference, frames, piece = decode_frames(whole), decode_frames(grouped), decode_frames(part)
    assert len(frames) == len(reference) == 26 and len(piece) == 12
    for (time, frame), (_, expected) in zip(frames, reference, strict=True):
        assert np.array_equal(frame, expected), time
    for number, (_, frame) in enumerate(piece):
        difference = np.abs(frame.astype(int) - reference[9 + number][1].astype(int)).max()
        assert difference <= 2, (number, difference)
    shown = [t for t, frame in reference if white(frame).sum() > 20]
    assert shown and min(shown) == pytest.approx(0.1) and max(shown) == pytest.approx(2.4)


def test_a_long_filter_graph_is_read_from_a_file(tmp_path: Path, monkeypatch: Any) -> None:
    document = spec({"type": "captions", "font_size": 20,
                     "cues": [{"start": 0.5, "end": 1.2, "text": "HELLO"}]})
    monkeypatch.setattr("services.render.compiler.MAX_GRAPH_ARGUMENT", 100)
    result = render_spec(document, tmp_path, tmp_path / "from-file.mp4")
    assert "-/filter_complex" in result.command and "-filter_complex" not in result.command
    assert not list(tmp_path.glob(".*.txt"))  # the graph file is gone
    shown = [t for t, frame in decode_frames(result.output) if white(frame).sum() > 40]
    assert shown == pytest.approx([0.5 + n / 10 for n in range(7)])
