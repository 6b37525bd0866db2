"""Where sources land on the canvas, checked on decoded pixels of real renders.

Canvas 320x180 on a grey background (so transparent padding, which shows the background,
is told apart from black). Sources: halves.png (400x200, red | blue) and bands.png (400x200,
four 100 px bands red | lime | blue | white). Regions are sampled a few pixels inside their
edges: 4:2:0 chroma blurs colour edges by a pixel or two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.unit.render.helpers import BLUE, GRAY, LIME, RED, WHITE, frame_at, render_spec

W, H = 320, 180
Color = tuple[int, int, int]


def render_frame(media: Any, tmp_path: Path, *elements: dict[str, Any]) -> np.ndarray:
    spec = {
        "output": {"width": W, "height": H, "duration": 0.5, "background": "#808080",
                   "quality": {"preset": "ultrafast"}},
        "elements": list(elements),
    }
    out = tmp_path / "out.mp4"
    render_spec(spec, media.dir, out)
    return frame_at(out, 0.25)


def assert_region(
    frame: np.ndarray, box: tuple[int, int, int, int], color: Color, *, inset: int = 3,
    tol: int = 30,
) -> None:
    """Every pixel of [left, right) x [top, bottom), minus `inset` at each edge, is `color`."""
    left, top, right, bottom = box
    area = frame[max(0, top + inset):min(H, bottom - inset),
                 max(0, left + inset):min(W, right - inset)].astype(int)
    assert area.size, f"empty region {box}"
    worst = np.abs(area - np.asarray(color)).max(axis=2)
    bad = np.argwhere(worst > tol)
    assert not bad.size, (
        f"region {box} should be {color}; {len(bad)} pixels are not, e.g. at "
        f"(x={bad[0][1] + left + inset}, y={bad[0][0] + top + inset}): "
        f"{tuple(area[bad[0][0], bad[0][1]])}"
    )


def assert_halves(frame: np.ndarray, left: int, top: int, width: int, height: int) -> None:
    """halves.png is drawn exactly into this box: red left half, blue right half."""
    middle = left + width // 2
    assert_region(frame, (left, top, middle, top + height), RED)
    assert_region(frame, (middle, top, left + width, top + height), BLUE)


def image(source: str, **fields: Any) -> dict[str, Any]:
    return {"type": "image", "source": source, **fields}


# --- fit modes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size",
    [
        pytest.param({"width": 160, "height": 160}, id="both-sides"),
        pytest.param({"width": "50%"}, id="width-only"),
        pytest.param({"height": 80}, id="height-only"),
    ],
)
def test_auto_shrinks_the_box_to_the_source_aspect(
    media: Any, tmp_path: Path, size: dict[str, Any]
) -> None:
    frame = render_frame(media, tmp_path, image("halves.png", **size))
    # 400x200 into 160 wide: a 160x80 box, centred at (80, 50); nothing is padded.
    assert_halves(frame, 80, 50, 160, 80)
    assert_region(frame, (80, 0, 240, 50), GRAY)
    assert_region(frame, (80, 130, 240, 180), GRAY)
    assert_region(frame, (0, 0, 80, H), GRAY)
    assert_region(frame, (240, 0, W, H), GRAY)


def test_auto_box_is_positioned_by_its_shrunk_size(media: Any, tmp_path: Path) -> None:
    # The 160x160 request becomes a 160x80 box, so y=100% puts it at the canvas bottom.
    frame = render_frame(
        media, tmp_path, image("halves.png", width=160, height=160, x="0%", y="100%")
    )
    assert_halves(frame, 0, 100, 160, 80)
    assert_region(frame, (0, 0, 160, 100), GRAY)


def test_auto_without_a_size_fits_the_canvas(media: Any, tmp_path: Path) -> None:
    frame = render_frame(media, tmp_path, image("halves.png"))
    # 2:1 into 320x180: 320x160, centred vertically (y = 10).
    assert_halves(frame, 0, 10, 320, 160)
    assert_region(frame, (0, 0, W, 10), GRAY, inset=1)
    assert_region(frame, (0, 170, W, H), GRAY, inset=1)


@pytest.mark.parametrize(
    ("box", "content"),
    [
        # 160x160 box at (80, 10): the 160x80 picture sits at y 50..130, pads above/below.
        pytest.param((160, 160), (80, 50, 160, 80), id="tall-box"),
        # 300x100 box at (10, 40): the 200x100 picture sits at x 60..260, pads left/right.
        pytest.param((300, 100), (60, 40, 200, 100), id="wide-box"),
    ],
)
def test_contain_pads_transparently_and_centres(
    media: Any, tmp_path: Path, box: tuple[int, int], content: tuple[int, int, int, int]
) -> None:
    width, height = box
    frame = render_frame(
        media, tmp_path, image("halves.png", width=width, height=height, fit="contain")
    )
    left, top, cw, ch = content
    assert_halves(frame, left, top, cw, ch)
    box_left, box_top = (W - width) // 2, (H - height) // 2
    # The padding inside the box shows the grey background: it is transparent, not black.
    if ch < height:
        assert_region(frame, (box_left, box_top, box_left + width, top), GRAY)
        assert_region(frame, (box_left, top + ch, box_left + width, box_top + height), GRAY)
    else:
        assert_region(frame, (box_left, box_top, left, box_top + height), GRAY)
        assert_region(frame, (left + cw, box_top, box_left + width, box_top + height), GRAY)


def test_contain_keeps_the_requested_box_for_positioning(media: Any, tmp_path: Path) -> None:
    # Unlike auto, the box stays 160x160: at y=0% the picture is 40 px down inside it.
    frame = render_frame(
        media, tmp_path, image("halves.png", width=160, height=160, fit="contain", x=0, y=0)
    )
    assert_halves(frame, 0, 40, 160, 80)
    assert_region(frame, (0, 0, 160, 40), GRAY)
    assert_region(frame, (0, 120, 160, 160), GRAY)


def test_contain_pads_a_video_transparently(media: Any, tmp_path: Path) -> None:
    # seconds.mp4 (160x120, red in its first second) into the whole 320x180 canvas:
    # 240x180 centred, 40 px of transparent padding each side.
    frame = render_frame(
        media, tmp_path,
        {"type": "video", "source": "seconds.mp4", "width": W, "height": H, "fit": "contain"},
    )
    assert_region(frame, (40, 0, 280, H), RED)
    assert_region(frame, (0, 0, 40, H), GRAY)
    assert_region(frame, (280, 0, W, H), GRAY)


def test_cover_fills_the_box_and_crops_the_centre(media: Any, tmp_path: Path) -> None:
    # bands.png into a 160x160 box at (80, 10): scaled to 320x160, 80 px cut on each side,
    # so only the middle bands (lime, blue) remain, each 80 px wide, over the whole box.
    frame = render_frame(media, tmp_path, image("bands.png", width=160, height=160, fit="cover"))
    assert_region(frame, (80, 10, 160, 170), LIME)
    assert_region(frame, (160, 10, 240, 170), BLUE)
    assert_region(frame, (0, 0, 80, H), GRAY)
    assert_region(frame, (240, 0, W, H), GRAY)
    assert_region(frame, (80, 0, 240, 10), GRAY, inset=1)
    assert_region(frame, (80, 170, 240, H), GRAY, inset=1)


def test_cover_crops_vertically_into_a_wide_box(media: Any, tmp_path: Path) -> None:
    # halves.png into 320x60: scaled to 320x160 and cut to the middle 60 rows (y 60..120).
    frame = render_frame(media, tmp_path, image("halves.png", width=W, height=60, fit="cover"))
    assert_halves(frame, 0, 60, W, 60)
    assert_region(frame, (0, 0, W, 60), GRAY)
    assert_region(frame, (0, 120, W, H), GRAY)


@pytest.mark.parametrize("fit", ["fill", "stretch"])
def test_fill_and_stretch_ignore_the_aspect(media: Any, tmp_path: Path, fit: str) -> None:
    frame = render_frame(
        media, tmp_path,
        image("bands.png", width=160, height=160, fit=fit),
        image("halves.png", width=60, height=20, fit=fit, x=0, y=0),
    )
    # All four bands squeezed into the 160x160 box at (80, 10): 40 px each, full height.
    for number, color in enumerate((RED, LIME, BLUE, WHITE)):
        left = 80 + 40 * number
        assert_region(frame, (left, 10, left + 40, 170), color)
    # 2:1 stretched to 3:1: red still occupies exactly the left half of the box.
    assert_halves(frame, 0, 0, 60, 20)
    assert_region(frame, (0, 20, 80, H), GRAY)


# --- positions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "left", "top"),
    [
        pytest.param("0%", "0%", 0, 0, id="zero-percent"),
        pytest.param("100%", "100%", 240, 140, id="hundred-percent"),
        # a share of the free space: (320 - 80) * 25% = 60, (180 - 40) * 50% = 70
        pytest.param("25%", "50%", 60, 70, id="percent-of-free-space"),
        pytest.param(10, "20px", 10, 20, id="pixels"),
        pytest.param("left", "top", 0, 0, id="left-top"),
        pytest.param("right", "bottom", 240, 140, id="right-bottom"),
        pytest.param("center", "center", 120, 70, id="center"),
        pytest.param("right", 30, 240, 30, id="keyword-and-pixels"),
    ],
)
def test_position(
    media: Any, tmp_path: Path, x: object, y: object, left: int, top: int
) -> None:
    frame = render_frame(media, tmp_path, image("halves.png", width="25%", x=x, y=y))
    assert_halves(frame, left, top, 80, 40)
    if left >= 8:
        assert_region(frame, (left - 8, top, left, top + 40), GRAY, inset=1)
    if left + 88 <= W:
        assert_region(frame, (left + 80, top, left + 88, top + 40), GRAY, inset=1)
    if top >= 8:
        assert_region(frame, (left, top - 8, left + 80, top), GRAY, inset=1)
    if top + 48 <= H:
        assert_region(frame, (left, top + 40, left + 80, top + 48), GRAY, inset=1)


def test_negative_pixels_put_the_element_partly_off_canvas(media: Any, tmp_path: Path) -> None:
    frame = render_frame(media, tmp_path, image("halves.png", width=80, x=-20, y="-10px"))
    # The box spans x -20..60, y -10..30: red is x 0..20 on canvas, blue 20..60.
    assert_region(frame, (0, 0, 20, 30), RED, inset=2)
    assert_region(frame, (20, 0, 60, 30), BLUE, inset=2)
    assert_region(frame, (60, 0, 100, 30), GRAY, inset=2)
    assert_region(frame, (0, 30, 60, 60), GRAY, inset=2)


# --- stacking -----------------------------------------------------------------------------

LEFT_BOX = {"width": 200, "height": H, "fit": "fill", "x": 0, "y": 0}
RIGHT_BOX = {"width": 200, "height": H, "fit": "fill", "x": 120, "y": 0}


def stacked(frame: np.ndarray) -> tuple[Color, Color, Color]:
    """The colours of the left-only part, the overlap, and the right-only part."""
    def mean(x0: int, x1: int) -> Color:
        r, g, b = frame[20:160, x0:x1].reshape(-1, 3).mean(axis=0)
        return round(r), round(g), round(b)

    return mean(10, 110), mean(130, 190), mean(210, 310)


def near(color: Color, expected: Color, tol: int = 30) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(color, expected, strict=True))


@pytest.mark.parametrize(
    ("red", "blue", "top"),
    [
        pytest.param({"track": 2}, {"track": 1}, RED, id="higher-track-on-top-though-first"),
        pytest.param({"track": -1}, {"track": 0}, BLUE, id="negative-track-below"),
        pytest.param({"track": 3}, {"track": 3}, BLUE, id="tie-later-in-array-on-top"),
        pytest.param({}, {}, BLUE, id="default-tracks-array-order"),
    ],
)
def test_track_order(
    media: Any, tmp_path: Path, red: dict[str, Any], blue: dict[str, Any], top: Color
) -> None:
    frame = render_frame(
        media, tmp_path,
        image("red.png", **LEFT_BOX, **red),
        image("blue.png", **RIGHT_BOX, **blue),
    )
    left_only, overlap, right_only = stacked(frame)
    assert near(left_only, RED), left_only
    assert near(right_only, BLUE), right_only
    assert near(overlap, top), overlap


def test_array_order_wins_ties_whichever_comes_first(media: Any, tmp_path: Path) -> None:
    frame = render_frame(
        media, tmp_path,
        image("blue.png", **RIGHT_BOX, track=5),
        image("red.png", **LEFT_BOX, track=5),
    )
    assert near(stacked(frame)[1], RED)


def test_overlay_is_above_every_track(media: Any, tmp_path: Path) -> None:
    frame = render_frame(
        media, tmp_path,
        {"type": "overlay", "source": "red.png", **LEFT_BOX, "track": -100},
        image("blue.png", **RIGHT_BOX, track=100),
    )
    left_only, overlap, right_only = stacked(frame)
    assert near(left_only, RED), left_only
    assert near(right_only, BLUE), right_only
    assert near(overlap, RED), overlap


def test_overlay_alpha_shows_what_is_below(media: Any, tmp_path: Path) -> None:
    # alpha.png: left half opaque lime, right half fully transparent; over a blue image.
    frame = render_frame(
        media, tmp_path,
        {"type": "overlay", "source": "alpha.png", "width": W, "height": H, "fit": "fill"},
        image("blue.png", width=W, height=H, fit="fill", track=10),
    )
    assert_region(frame, (0, 0, 160, H), LIME)
    assert_region(frame, (160, 0, W, H), BLUE)


def test_image_alpha_shows_the_background(media: Any, tmp_path: Path) -> None:
    frame = render_frame(
        media, tmp_path, image("alpha.png", width=W, height=H, fit="fill"),
    )
    assert_region(frame, (0, 0, 160, H), LIME)
    assert_region(frame, (160, 0, W, H), GRAY)
