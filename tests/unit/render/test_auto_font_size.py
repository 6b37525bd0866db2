"""`font_size: "auto"` on decoded pixels: the drawn text fills its box and stays inside it.

White text on a black 640x360 canvas, in a box at a known place; the text's bounding box is
where the decoded luma is bright. The size is the font's line box (ascent + descent, where
drawtext places lines), so a short line bound by the height shows glyphs shorter than the
box; the cases here are the ones a user sees filled: one letter and one line bound by the
width, a paragraph of 200 characters bound by the lines it wraps into.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.render.cli import local_locator
from services.render.engine import prepare
from shared.composition import SpecError
from shared.composition.templates import apply_template, check_template
from tests.unit.render.helpers import ENGINE, frame_at, plan_for, render_spec

W, H = 640, 360
ID = "3f1c2b9e-0a4d-4e5f-8a6b-7c8d9e0f1a2b"
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
         "exercitation ullamco laboris nisi, ut.")


def spec(element: dict[str, Any]) -> dict[str, Any]:
    return {
        "output": {"width": W, "height": H, "fps": 10, "duration": 1, "background": "black",
                   "quality": {"preset": "ultrafast", "crf": 10}},
        "elements": [{"type": "text", "color": "white", **element}],
    }


def ink_box(frame: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom), exclusive, of the bright pixels of a frame."""
    bright = frame.astype(int).mean(axis=2) > 96
    rows, cols = np.nonzero(bright.any(axis=1))[0], np.nonzero(bright.any(axis=0))[0]
    assert rows.size and cols.size, "no text was drawn"
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


@pytest.mark.parametrize(("text", "box"), [
    pytest.param("W", (40, 20, 200, 320), id="1-character"),
    pytest.param("Hello Ana!", (40, 80, 560, 200), id="10-characters"),
    pytest.param(LOREM, (40, 30, 560, 300), id="200-characters"),
])
def test_auto_font_size_fills_the_box_on_its_binding_side(
    media: Any, tmp_path: Path, text: str, box: tuple[int, int, int, int]
) -> None:
    assert text != LOREM or len(text) == 200
    x, y, width, height = box
    out = tmp_path / "auto.mp4"
    render_spec(spec({"text": text, "x": x, "y": y, "width": width, "height": height}),
                media.dir, out)
    left, top, right, bottom = ink_box(frame_at(out, 0.5))
    # inside the box (a pixel of antialiasing either way) ...
    assert (left, top) >= (x - 1, y - 1) and (right, bottom) <= (x + width + 1, y + height + 1)
    # ... and filling it on the side that stops it growing
    fill = max((right - left) / width, (bottom - top) / height)
    assert fill >= 0.9, (left, top, right, bottom, fill)


def test_a_larger_font_size_would_not_fit(media: Any) -> None:
    """The size chosen is the largest: one pixel more overflows the box."""
    element = {"type": "text", "text": LOREM, "width": 560, "height": 300}
    chosen = plan_for(spec(element), media.dir).layers[0].text
    assert chosen is not None
    size = chosen.layout.font_size
    bigger = plan_for(spec({**element, "font_size": size + 1}), media.dir).layers[0].text
    assert bigger is not None
    assert chosen.layout.block_height <= 300 < bigger.layout.block_height


def test_typewriter_types_the_full_texts_size(media: Any, tmp_path: Path) -> None:
    element = {"text": "Hello there, Ana", "x": 40, "y": 80, "width": 560, "height": 200}
    still, typed = tmp_path / "still.mp4", tmp_path / "typed.mp4"
    render_spec(spec(element), media.dir, still)
    render_spec(spec({**element, "enter": {"type": "typewriter", "duration": 0.5}}),
                media.dir, typed)
    whole = frame_at(still, 0.9)
    final = frame_at(typed, 0.9)
    assert ink_box(final) == pytest.approx(ink_box(whole), abs=1)
    # while typing, the first letters are already the full text's: same size, same place
    typing = frame_at(typed, 0.1)
    left, top, right, bottom = ink_box(typing)
    assert right - left < (ink_box(whole)[2] - ink_box(whole)[0]) / 2
    shown = typing[top:bottom, left:right].astype(int).mean(axis=2) > 96
    same = whole[top:bottom, left:right].astype(int).mean(axis=2) > 96
    assert np.mean(shown != same) < 0.02


def _size(media: Any, element: dict[str, Any]) -> int:
    style = plan_for(spec(element), media.dir).layers[0].text
    assert style is not None
    return style.layout.font_size


def test_a_box_without_font_size_is_auto_and_a_given_size_stays(media: Any) -> None:
    box = {"type": "text", "text": "Hi", "width": 300, "height": 100}
    assert _size(media, box) == _size(media, {**box, "font_size": "auto"}) > 60
    assert _size(media, {**box, "font_size": 20}) == 20
    assert _size(media, {"type": "text", "text": "Hi", "width": 300}) == round(0.06 * H)


def test_min_and_max_font_size_bound_the_fit(media: Any) -> None:
    box = {"type": "text", "text": "Hi", "width": 300, "height": 100}
    assert _size(media, {**box, "max_font_size": 20}) == 20
    assert _size(media, {**box, "max_font_size": "10%"}) == 36  # of the canvas height
    crowded = {**box, "text": LOREM}
    assert _size(media, crowded) < 20
    assert _size(media, {**crowded, "min_font_size": 20}) == 20  # overflows: the least wins


def test_the_merged_text_decides_a_templates_size(media: Any) -> None:
    template = check_template({"composition": spec(
        {"id": "title", "text": "{{name}}", "width": 560, "height": 200})})
    sizes = [_plan_size(media, apply_template(template, {"template": ID, "merge": {"name": name}}))
             for name in ("Al", "Alexandra Konstantinopoulou")]
    assert sizes[0] > sizes[1]
    changed = apply_template(template, {"template": ID, "merge": {"name": "Al"},
                                        "modifications": {"title.text": LOREM}})
    assert _plan_size(media, changed) < sizes[1]


def _plan_size(media: Any, job: Any) -> int:
    style = prepare(job, local_locator(media.dir), settings=ENGINE).layers[0].text
    assert style is not None
    return style.layout.font_size


@pytest.mark.parametrize(("fields", "path"), [
    ({"min_font_size": "10%", "max_font_size": 30}, "elements[0].min_font_size"),
    ({"min_font_size": 5000}, "elements[0].min_font_size"),
    ({"height": 0.5}, "elements[0].height"),
    ({"padding": 50}, "elements[0].padding"),
])
def test_sizes_known_only_on_the_canvas_are_problems_at_their_field(
    media: Any, fields: dict[str, Any], path: str
) -> None:
    element = {"type": "text", "text": "Hi", "width": 300, "height": 100, **fields}
    with pytest.raises(SpecError) as refused:
        plan_for(spec(element), media.dir)
    assert [problem.path for problem in refused.value.problems] == [path]
