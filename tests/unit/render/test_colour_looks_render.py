"""Filters and LUTs on text, captions and shapes (elements without a source picture), on
decoded pixels of lossless renders: the graded colours change as asked and what is around
the glyphs or the outline stays the layer below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.unit.render.helpers import BLUE, frame_at, render_spec, rgb_near
from tests.unit.render.looks_media import write_cube
from tests.unit.render.test_shapes_render import _ellipse, iou

W, H = 200, 120
ORANGE = (255, 128, 0)


def spec(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"output": {"width": W, "height": H, "fps": 10, "duration": 1, "background": "blue",
                       "quality": {"preset": "ultrafast", "crf": 0}},
            "elements": list(elements)}


def text(**fields: Any) -> dict[str, Any]:
    return {"type": "text", "text": "HH", "font_size": 80, "font_weight": "bold",
            "color": "#ff8000", "x": 20, "y": 10, **fields}


def circle(**fields: Any) -> dict[str, Any]:
    return {"type": "shape", "shape": "ellipse", "width": 80, "x": 100, "y": 20,
            "fill": "#ff0000", **fields}


def render(tmp_path: Path, *elements: dict[str, Any]) -> np.ndarray:
    out = tmp_path / "out.mp4"
    render_spec(spec(*elements), tmp_path, out)
    return frame_at(out, 0.5).astype(int)


def glyphs(frame: np.ndarray) -> np.ndarray:
    """Pixels well away from the blue canvas (the glyphs, without most of their edge)."""
    return np.abs(frame - np.array(BLUE)).max(axis=2) > 128


def coverage(frame: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Where the glyphs cover at least half a pixel, from how far the blue channel moved
    from the canvas's towards the glyphs' own (the median of `inside`)."""
    fill = float(np.median(frame[inside][:, 2]))
    return (254 - frame[..., 2]) / (254 - fill) >= 0.5


def test_grayscale_text_has_equal_channels_and_keeps_its_shape(tmp_path: Path) -> None:
    plain = render(tmp_path, text())
    grey = render(tmp_path, text(filters={"grayscale": 1}))
    inside = glyphs(plain) & (np.abs(plain - np.array(ORANGE)).max(axis=2) < 20)
    assert inside.sum() > 500
    pixels = grey[inside]
    assert int(np.abs(pixels[:, 0] - pixels[:, 2]).max()) <= 3
    assert int(np.abs(pixels[:, 1] - pixels[:, 2]).max()) <= 3
    assert rgb_near(grey[5, 5], BLUE, 8) and rgb_near(grey[100, 190], BLUE, 8)
    assert iou(coverage(grey, inside), coverage(plain, inside)) >= 0.95  # the text's alpha


def test_brightness_on_text_lightens_only_the_glyphs(tmp_path: Path) -> None:
    plain = render(tmp_path, text(color="#806040"))
    bright = render(tmp_path, text(color="#806040", filters={"brightness": 0.3}))
    inside = glyphs(plain) & (np.abs(plain - np.array((0x80, 0x60, 0x40))).max(axis=2) < 20)
    gain = (bright[inside] - plain[inside]).mean(axis=0)
    assert all(50 < value < 110 for value in gain), gain  # about 0.3 of the full range
    assert rgb_near(bright[5, 5], BLUE, 8)


def test_a_hue_turn_on_a_shape_recolours_its_fill_inside_the_outline(tmp_path: Path) -> None:
    frame = render(tmp_path, circle(filters={"hue": 120}))
    red, green, blue = frame[60, 140]
    assert green > 120 and red < 40 and blue < 40, frame[60, 140]  # red turned to green
    drawn = frame[..., 2] < 128
    assert iou(drawn, _ellipse(100, 20, 80, 80)) >= 0.95


def test_an_inverting_lut_on_a_shape_inverts_only_the_shape(tmp_path: Path) -> None:
    write_cube(tmp_path / "invert.cube", 2, invert=True)
    frame = render(tmp_path, circle(fill="#30c0e0", lut="invert.cube"))
    assert rgb_near(frame[60, 140], (0xcf, 0x3f, 0x1f), 10), frame[60, 140]
    assert rgb_near(frame[5, 5], BLUE, 8)


def test_a_lut_file_without_the_cube_extension_is_read_as_one(tmp_path: Path) -> None:
    """As a worker stores an uploaded LUT: named by its hash, without an extension."""
    write_cube(tmp_path / "invert.cube", 2, invert=True)
    (tmp_path / "invert.cube").rename(tmp_path / "0a1b2c3d")
    frame = render(tmp_path, circle(fill="#30c0e0", lut="0a1b2c3d"))
    assert rgb_near(frame[60, 140], (0xcf, 0x3f, 0x1f), 10), frame[60, 140]


def test_a_vignette_on_captions_keeps_the_lines_transparent_around_them(
    tmp_path: Path,
) -> None:
    captions = {"type": "captions", "cues": [{"start": 0, "end": 1, "text": "HHHH"}],
                "font_size": 40, "color": "white", "filters": {"vignette": 1}}
    frame = render(tmp_path, captions)
    assert rgb_near(frame[5, 5], BLUE, 8) and rgb_near(frame[H // 2, W // 2], BLUE, 8)
    lines = frame[70:, :][(frame[70:, :, 0] > 100)]
    assert lines.size, "the captions are drawn"


@pytest.mark.parametrize("element", [text(filters={"sepia": 1}), circle(filters={"blur": 2})],
                         ids=["text-sepia", "shape-blur"])
def test_filtered_text_and_shapes_are_drawn_over_the_canvas(
    tmp_path: Path, element: dict[str, Any]
) -> None:
    frame = render(tmp_path, element)
    assert glyphs(frame).sum() > 500
    assert rgb_near(frame[115, 5], BLUE, 8)
