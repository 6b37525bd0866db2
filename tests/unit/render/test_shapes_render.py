"""Shapes and element looks (rounded corners, border, shadow, blend modes) on decoded
pixels of real renders.

Renders are lossless (crf 0) on a 200x120 canvas at 10 fps; a shape's coverage is compared
with the analytic shape (IoU), colours with what the spec asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.render.compiler import TimeRange
from shared.composition import SpecError
from tests.unit.render.helpers import (
    RED,
    decode_frames,
    frame_at,
    plan_for,
    render_spec,
    rgb_near,
)

W, H = 200, 120
GREY = (128, 128, 128)


def spec(*elements: dict[str, Any], background: str = "#000000",
         duration: float = 1.0) -> dict[str, Any]:
    return {
        "output": {"width": W, "height": H, "fps": 10, "duration": duration,
                   "background": background,
                   "quality": {"preset": "ultrafast", "crf": 0}},
        "elements": list(elements),
    }


def first_frame(document: dict[str, Any], base: Path, out: Path) -> np.ndarray:
    render_spec(document, base, out)
    return frame_at(out, 0.0).astype(int)


def iou(drawn: np.ndarray, expected: np.ndarray) -> float:
    return float((drawn & expected).sum() / (drawn | expected).sum())


def grid() -> tuple[np.ndarray, np.ndarray]:
    """Canvas pixel centres."""
    ys, xs = np.mgrid[0:H, 0:W]
    return xs + 0.5, ys + 0.5


def _rounded_box(x0: float, y0: float, w: float, h: float, r: float) -> np.ndarray:
    xs, ys = grid()
    inside = (xs >= x0) & (xs < x0 + w) & (ys >= y0) & (ys < y0 + h)
    cx = np.clip(xs, x0 + r, x0 + w - r)
    cy = np.clip(ys, y0 + r, y0 + h - r)
    return inside & ((xs - cx) ** 2 + (ys - cy) ** 2 <= r * r)


def _ellipse(x0: float, y0: float, w: float, h: float) -> np.ndarray:
    xs, ys = grid()
    return ((xs - x0 - w / 2) / (w / 2)) ** 2 + ((ys - y0 - h / 2) / (h / 2)) ** 2 <= 1


def _triangle(a: tuple[float, float], b: tuple[float, float],
              c: tuple[float, float]) -> np.ndarray:
    xs, ys = grid()

    def side(p: tuple[float, float], q: tuple[float, float]) -> np.ndarray:
        return (q[0] - p[0]) * (ys - p[1]) - (q[1] - p[1]) * (xs - p[0])

    s1, s2, s3 = side(a, b), side(b, c), side(c, a)
    return ((s1 >= 0) & (s2 >= 0) & (s3 >= 0)) | ((s1 <= 0) & (s2 <= 0) & (s3 <= 0))


SHAPES = [
    pytest.param({"shape": "rectangle", "width": 90, "height": 50},
                 _rounded_box(30, 40, 90, 50, 0), id="rectangle"),
    pytest.param({"shape": "ellipse", "width": 90, "height": 50},
                 _ellipse(30, 40, 90, 50), id="ellipse"),
    pytest.param({"shape": "polygon", "width": 90, "height": 50,
                  "points": [[0, 0], ["100%", 10], [20, "100%"]]},
                 _triangle((30, 40), (120, 50), (50, 90)), id="polygon"),
    pytest.param({"shape": "rectangle", "width": 90, "height": 50, "border_radius": 20},
                 _rounded_box(30, 40, 90, 50, 20), id="rounded-rectangle"),
]


@pytest.mark.parametrize(("fields", "expected"), SHAPES)
def test_a_shape_covers_the_pixels_of_its_analytic_outline(
    fields: dict[str, Any], expected: np.ndarray, media: Any, tmp_path: Path
) -> None:
    shape = {"type": "shape", "x": 30, "y": 40, "fill": "white", **fields}
    frame = first_frame(spec(shape), media.dir, tmp_path / "out.mp4")
    drawn = frame[:, :, 1] > 127
    assert iou(drawn, expected) >= 0.95, iou(drawn, expected)
    if fields["shape"] != "rectangle" or "border_radius" in fields:
        # antialiased: curved and slanted edges have pixels between fill and background
        assert ((frame[:, :, 1] > 40) & (frame[:, :, 1] < 215)).any()


def test_a_stroke_is_drawn_inside_the_edge_over_the_fill(media: Any, tmp_path: Path) -> None:
    shape = {"type": "shape", "shape": "ellipse", "width": 100, "height": 80, "x": 50,
             "y": 20, "fill": "red", "stroke_color": "#0000ff", "stroke_width": 8}
    frame = first_frame(spec(shape), media.dir, tmp_path / "out.mp4")
    assert rgb_near(frame[60, 100], RED)  # centre
    assert rgb_near(frame[60, 54], (0, 0, 255))  # 4 px inside the left end
    assert rgb_near(frame[60, 45], (0, 0, 0))  # outside


def test_a_line_is_its_stroke(media: Any, tmp_path: Path) -> None:
    line = {"type": "shape", "shape": "line", "width": 100, "height": 40, "x": 50, "y": 40,
            "stroke_color": "white", "stroke_width": 6}
    frame = first_frame(spec(line), media.dir, tmp_path / "out.mp4")
    assert (frame[58:62, 100, 1] > 200).all()  # about the middle row, 6 px thick
    assert frame[53, 100, 1] < 30 and frame[67, 100, 1] < 30


def test_rounded_corners_show_the_layer_below_and_the_centre_is_the_element(
    media: Any, tmp_path: Path
) -> None:
    image = {"type": "image", "source": "red.png", "width": 80, "height": 80, "x": 60, "y": 20,
             "border_radius": 24}
    frame = first_frame(spec(image, background="#808080"), media.dir, tmp_path / "out.mp4")
    assert rgb_near(frame[21, 61], GREY)  # the corner: cut away
    assert rgb_near(frame[60, 100], RED)
    assert rgb_near(frame[60, 61], RED)  # the middle of a side: not cut
    assert rgb_near(frame[21, 100], RED)


def test_a_border_has_its_colour_at_the_edge(media: Any, tmp_path: Path) -> None:
    image = {"type": "image", "source": "red.png", "width": 80, "height": 80, "x": 60, "y": 20,
             "border_radius": 10, "border": {"width": 6, "color": "#ffff00"}}
    frame = first_frame(spec(image, background="#808080"), media.dir, tmp_path / "out.mp4")
    for y, x in ((22, 100), (97, 100), (60, 62), (60, 137)):  # 2 px inside each side
        assert rgb_near(frame[y, x], (255, 255, 0)), (y, x, frame[y, x])
    assert rgb_near(frame[60, 100], RED)
    assert rgb_near(frame[60, 68], RED)  # inside the border's width
    assert rgb_near(frame[20, 60], GREY)  # the rounded corner stays clear


def test_a_shadow_darkens_the_offset_region_under_the_element(
    media: Any, tmp_path: Path
) -> None:
    image = {"type": "image", "source": "red.png", "width": 60, "height": 60, "x": 40, "y": 20,
             "shadow": {"color": "black@0.8", "blur": 2, "x": 12, "y": 10}}
    frame = first_frame(spec(image, background="#c0c0c0"), media.dir, tmp_path / "out.mp4")
    assert rgb_near(frame[50, 70], RED)  # the element (rows 20-79) stays where it was
    below = frame[85, 60:100]  # below the element, inside its offset copy (rows 30-89)
    assert (below.max(axis=1) < 90).all(), below
    beside = frame[40:70, 105]  # right of it (columns 40-99), inside the copy (52-111)
    assert (beside.max(axis=1) < 90).all(), beside
    assert rgb_near(frame[24, 106], (192, 192, 192))  # right of it, above the offset copy
    assert rgb_near(frame[100, 150], (192, 192, 192))  # far away


def test_a_shape_with_animated_x_moves(media: Any, tmp_path: Path) -> None:
    shape = {"type": "shape", "shape": "ellipse", "width": 40, "height": 40, "y": 40,
             "fill": "white", "x": [{"time": 0, "value": 10}, {"time": 0.9, "value": 130}]}
    out = tmp_path / "out.mp4"
    render_spec(spec(shape), media.dir, out)
    frames = decode_frames(out)

    def centre_x(frame: np.ndarray) -> float:
        _, xs = np.nonzero(frame[:, :, 1] > 127)
        return float(xs.mean()) + 0.5

    assert centre_x(frames[0][1]) == pytest.approx(30, abs=1)
    assert centre_x(frames[9][1]) == pytest.approx(150, abs=1)
    assert centre_x(frames[3][1]) < centre_x(frames[6][1])


@pytest.mark.parametrize(("mode", "expected"), [
    ("multiply", lambda a, b: a * b / 255),
    ("screen", lambda a, b: 255 - (255 - a) * (255 - b) / 255),
    ("add", lambda a, b: np.minimum(255, a + b)),
    ("darken", np.minimum),
    ("lighten", np.maximum),
    # the layer below decides: multiply where it is dark, screen where it is light
    ("overlay", lambda a, b: np.where(b < 128, 2 * a * b / 255,
                                      255 - 2 * (255 - a) * (255 - b) / 255)),
])
def test_a_blend_mode_mixes_the_element_with_the_layers_below(
    mode: str, expected: Any, media: Any, tmp_path: Path
) -> None:
    below, colour = np.array([200, 100, 60]), np.array([128, 220, 64])
    shape = {"type": "shape", "shape": "rectangle", "width": 80, "height": 60, "x": 60,
             "y": 30, "fill": "#80dc40", "blend_mode": mode}
    frame = first_frame(spec(shape, background="#c8643c"), media.dir, tmp_path / "out.mp4")
    assert np.abs(frame[10, 10] - below).max() <= 3  # outside: the layer below unchanged
    # the mix of the two layers as drawn: the element's picture and the canvas pass through
    # 8-bit YUV on the way, each round trip a few levels off
    want = expected(colour.astype(float), frame[10, 10].astype(float))
    assert np.abs(frame[60, 100] - want).max() <= 6, (frame[60, 100], want)


def test_a_half_transparent_blended_element_mixes_half_way(media: Any, tmp_path: Path) -> None:
    shape = {"type": "shape", "shape": "rectangle", "width": 80, "height": 60, "x": 60,
             "y": 30, "fill": "#000000", "opacity": 0.5, "blend_mode": "multiply"}
    frame = first_frame(spec(shape, background="#c8c8c8"), media.dir, tmp_path / "out.mp4")
    assert np.abs(frame[60, 100] - 100).max() <= 4, frame[60, 100]


def test_a_slice_with_looks_and_motion_is_those_frames_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    moving = {"type": "image", "source": "red.png", "width": 50, "height": 50, "y": 30,
              "x": [{"time": 0, "value": 10}, {"time": 1.9, "value": 130}],
              "rotation": [{"time": 0, "value": 0}, {"time": 1.9, "value": 90}],
              "border_radius": 12, "border": {"width": 3, "color": "white"},
              "shadow": {"blur": 4, "x": 5, "y": 5}}
    blended = {"type": "shape", "shape": "ellipse", "width": 70, "height": 70, "x": 100,
               "y": 20, "fill": "#4080ff", "blend_mode": "screen", "start": 0.5, "track": 1}
    document = spec(moving, blended, background="#606060", duration=2.0)
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    render_spec(document, media.dir, full)
    render_spec(document, media.dir, part, time_range=TimeRange(0.3, 1.4))
    whole, piece = decode_frames(full), decode_frames(part)
    assert len(piece) == 11
    for number, (_, frame) in enumerate(piece):
        difference = np.abs(frame.astype(int) - whole[3 + number][1].astype(int)).max()
        assert difference <= 2, (number, difference)


def test_a_radius_too_large_for_a_box_known_only_from_the_canvas(
    media: Any, tmp_path: Path
) -> None:
    image = {"type": "image", "source": "red.png", "width": "20%", "height": "20%",
             "border_radius": 30}
    with pytest.raises(SpecError) as caught:
        plan_for(spec(image), media.dir)
    assert [p.path for p in caught.value.problems] == ["elements[0].border_radius"]
    assert "at most half the shorter side (12 px)" in caught.value.problems[0].message


def test_rounded_corners_on_an_odd_sized_cropped_picture(media: Any, tmp_path: Path) -> None:
    # cover crops a 4:2:0 picture, which FFmpeg rounds to even sizes: the mask still fits
    image = {"type": "image", "source": "seconds.mp4", "width": 93, "height": 61, "x": 51,
             "y": 31, "fit": "cover", "border_radius": 15, "shadow": {"blur": 0, "x": 3, "y": 3}}
    frame = first_frame(spec(image, background="#808080"), media.dir, tmp_path / "out.mp4")
    assert rgb_near(frame[32, 52], GREY)
    assert rgb_near(frame[61, 97], RED)
    assert rgb_near(frame[61, 140], RED)  # near the right edge of the odd-width box


@pytest.mark.parametrize("source", ["halves.png", "pattern.mp4"])
def test_a_ken_burns_zoom_stays_inside_the_rounded_frame_and_slices_match(
    source: str, media: Any, tmp_path: Path
) -> None:
    zooming = {"type": "image" if source.endswith(".png") else "video", "source": source,
               "width": 120, "height": 80, "x": 40, "y": 20, "fit": "cover",
               "border_radius": 20, "border": {"width": 4, "color": "white"},
               "shadow": {"blur": 0, "x": 8, "y": 8, "color": "black"},
               "motion": {"type": "zoom-in", "amount": 0.5}}
    document = spec(zooming, background="#808080", duration=1.5)
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    render_spec(document, media.dir, full)
    whole = decode_frames(full)
    for _, frame in (whole[0], whole[-1]):
        assert rgb_near(frame[21, 41], GREY)  # the corner: cut away before and after zooming
        assert rgb_near(frame[60, 42], (255, 255, 255))  # the border, not zoomed
        assert rgb_near(frame[104, 100], (0, 0, 0))  # the shadow below, not zoomed
    render_spec(document, media.dir, part, time_range=TimeRange(0.5, 1.2))
    piece = decode_frames(part)
    assert len(piece) == 7
    for number, (_, frame) in enumerate(piece):
        difference = np.abs(frame.astype(int) - whole[5 + number][1].astype(int)).max()
        assert difference <= 2, (number, difference)


def test_a_blended_element_partly_off_the_canvas_mixes_only_where_it_is(
    media: Any, tmp_path: Path
) -> None:
    shape = {"type": "shape", "shape": "rectangle", "width": 80, "height": 60, "x": -31,
             "y": 77, "fill": "#808080", "blend_mode": "multiply",
             "shadow": {"blur": 0, "x": 4, "y": 4, "color": "black@0"}}
    frame = first_frame(spec(shape, background="#c8c8c8"), media.dir, tmp_path / "out.mp4")
    assert np.abs(frame[100, 20] - 100).max() <= 4, frame[100, 20]  # 200 × 128 / 255
    assert np.abs(frame[100, 60] - 200).max() <= 3  # right of it
    assert np.abs(frame[60, 20] - 200).max() <= 3  # above it


def test_a_shape_grows_with_animated_width_and_turns_with_rotation(
    media: Any, tmp_path: Path
) -> None:
    shape = {"type": "shape", "shape": "rectangle", "height": 20, "x": "50%", "y": "50%",
             "fill": "white", "width": [{"time": 0, "value": 40}, {"time": 0.9, "value": 100}],
             "rotation": [{"time": 0, "value": 0}, {"time": 0.9, "value": 90}]}
    out = tmp_path / "out.mp4"
    render_spec(spec(shape), media.dir, out)
    frames = decode_frames(out)
    first, last = (frames[i][1][:, :, 1] > 127 for i in (0, 9))
    ys, xs = np.nonzero(first)
    assert xs.max() - xs.min() + 1 == pytest.approx(40, abs=2)
    assert ys.max() - ys.min() + 1 == pytest.approx(20, abs=2)
    ys, xs = np.nonzero(last)  # 100 wide, turned a quarter: now 100 tall
    assert xs.max() - xs.min() + 1 == pytest.approx(20, abs=2)
    assert ys.max() - ys.min() + 1 == pytest.approx(100, abs=2)


def test_a_text_box_gets_rounded_corners(media: Any, tmp_path: Path) -> None:
    text = {"type": "text", "text": "Hi", "width": 100, "height": 50, "x": 50, "y": 30,
            "background": "#0000ff", "border_radius": 16, "font_size": 20}
    frame = first_frame(spec(text, background="#808080"), media.dir, tmp_path / "out.mp4")
    assert rgb_near(frame[31, 51], GREY)
    assert rgb_near(frame[55, 54], (0, 0, 255))
