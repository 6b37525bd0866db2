"""Text and sources that used to crash the engine, or draw text off its measured place.

Every Unicode line boundary breaks a line; spaces at a line's edges keep their width
(drawtext's option parsing drops them); a file named like a font that is not one, a font
size FreeType refuses, and an SVG source are each a spec problem at their field, never a
traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shared.composition import SpecError
from shared.composition.text import bundled_font
from shared.media import probe as probe_module
from shared.media.probe import ProbeError, probe
from tests.unit.render.helpers import frame_at, plan_for, render_spec

BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
          "\u2029"]
LINE = 30  # rows of the first line (24 px text, 1.2 line spacing)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" ' \
      b'height="20" fill="red"/></svg>'


def _text_job(text: str, **fields: Any) -> dict[str, Any]:
    return {"output": {"width": 200, "height": 80, "duration": 0.2, "fps": 5,
                       "background": "black"},
            "elements": [{"type": "text", "text": text, "font_size": 24, "x": 0, "y": 0,
                          "color": "white", **fields}]}


@pytest.mark.parametrize("separator", BREAKS, ids=[f"U+{ord(c[-1]):04X}" for c in BREAKS])
def test_every_line_boundary_breaks_the_line(tmp_path: Path, separator: str) -> None:
    for fields in ({}, {"width": 190}):
        plan = plan_for(_text_job(f"AB{separator}CD", **fields), tmp_path)
        [layer] = plan.layers
        assert layer.text is not None
        assert layer.text.layout.lines == ("AB", "CD"), fields


def _white_columns(path: Path) -> np.ndarray:
    frame = frame_at(path, 0.0)
    return np.flatnonzero((frame.min(axis=2) > 128).any(axis=0))


def _spaces(count: int) -> float:
    from PIL import ImageFont

    return float(ImageFont.truetype(str(bundled_font()), 24).getlength(" " * count))


def test_leading_spaces_keep_their_width(tmp_path: Path) -> None:
    plain = render_spec(_text_job("X", align="left"), tmp_path, tmp_path / "plain.mp4")
    spaced = render_spec(_text_job("X\n    X", align="left"), tmp_path, tmp_path / "lead.mp4")
    first = _white_columns(plain.output)[0]
    frame = frame_at(spaced.output, 0.0)
    lower = frame[LINE:]
    columns = np.flatnonzero((lower.min(axis=2) > 128).any(axis=0))
    assert columns[0] - first == pytest.approx(_spaces(4), abs=2)


def test_trailing_spaces_keep_their_width_when_aligned_right(tmp_path: Path) -> None:
    job = _text_job("X    \nX", align="right", width=200, wrap=False)
    frame = frame_at(render_spec(job, tmp_path, tmp_path / "trail.mp4").output, 0.0)

    def right_edge(rows: np.ndarray) -> int:
        return int(np.flatnonzero((rows.min(axis=2) > 128).any(axis=0))[-1])

    assert right_edge(frame[LINE:]) - right_edge(frame[:LINE]) == pytest.approx(
        _spaces(4), abs=2)


def test_a_file_named_like_a_font_that_is_not_one_is_a_problem_at_font(tmp_path: Path) -> None:
    (tmp_path / "fake.ttf").write_bytes(b"\x00\x01\x00\x00" + bytes(range(256)) * 8)
    with pytest.raises(SpecError) as refused:
        plan_for(_text_job("hi", font="fake.ttf"), tmp_path)
    [problem] = refused.value.problems
    assert problem.path == "elements[0].font"
    assert "not a font file" in problem.message


def test_a_font_size_freetype_refuses_is_a_problem_at_font_size(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as refused:
        plan_for(_text_job("hi", font_size=100_000), tmp_path)
    assert [p.path for p in refused.value.problems] == ["elements[0].font_size"]


def test_an_svg_source_is_refused_as_a_format_not_accepted(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_bytes(SVG)
    with pytest.raises(SpecError) as refused:
        plan_for({"output": {"width": 64, "height": 36, "duration": 0.2},
                  "elements": [{"type": "image", "source": "logo.svg"}]}, tmp_path)
    [problem] = refused.value.problems
    assert problem.path == "elements[0].source"
    accepted = problem.message.split("(", 1)[1].split(";", 3)[2]  # "images: ..." of the list
    assert "accepted format" in problem.message and "png" in accepted and "svg" not in accepted


def test_a_stream_without_a_decoder_is_a_probe_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "logo.svg").write_bytes(SVG)  # demuxed, but the probe has no SVG decoder
    options = {**probe_module._OPEN_OPTIONS,
               "format_whitelist": probe_module.ALLOWED_DEMUXERS + ",svg_pipe"}
    monkeypatch.setattr(probe_module, "_OPEN_OPTIONS", options)
    with pytest.raises(ProbeError, match="no decoder for its video stream"):
        probe(tmp_path / "logo.svg")
