"""The measured figures behind test_looks_render.py's assertions, printed:
`python3 -m tests.unit.render.looks_figures` (a few seconds)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from tests.unit.render.conftest import _make_media
from tests.unit.render.helpers import render_spec
from tests.unit.render.looks_media import DARK, LIGHT, make_looks_media
from tests.unit.render.test_looks_render import (
    _counter,
    _dominant_hz,
    _halves,
    _spread,
    full,
    spec,
    still,
)


def main() -> None:
    root = Path(tempfile.mkdtemp())
    media, looks, work = root / "media", root / "looks", root / "work"
    for folder in (media, looks, work):
        folder.mkdir()
    _make_media(media)
    make_looks_media(looks)
    bands = str(media / "bands.png")

    def two_tone(**more: object) -> np.ndarray:
        return still(looks, work, full("two_tone.png", **more))

    plain, graded = still(looks, work, full(bands)), still(looks, work, full(bands,
                                                                          lut="identity.cube"))
    print("identity LUT max |diff|:", int(np.abs(plain - graded).max()))
    grey = two_tone(filters={"grayscale": 1})[10:110, 10:150]
    print("grayscale max |R-G|, |G-B|:", int(np.abs(grey[..., 0] - grey[..., 1]).max()),
          int(np.abs(grey[..., 1] - grey[..., 2]).max()))
    dark, _ = _halves(two_tone(filters={"brightness": 0.2}))
    print("brightness 0.2, gain per channel:", np.round(dark - np.asarray(DARK), 1))
    dark, light = _halves(two_tone(filters={"contrast": 2}))
    gap = float(np.mean(np.asarray(LIGHT) - np.asarray(DARK)))
    print("contrast 2, gap ratio:", round(float(np.mean(light - dark)) / gap, 2))
    dull, _ = _halves(two_tone(filters={"saturation": 0}))
    vivid, _ = _halves(two_tone(filters={"saturation": 2}))
    print("saturation 0, spread:", round(_spread(dull), 1), "| saturation 2, spread ratio:",
          round(_spread(vivid) / _spread(np.asarray(DARK, dtype=float)), 2))
    inverted, _ = _halves(two_tone(lut="invert.cube"))
    print("invert LUT, dark half:", np.round(inverted, 1), "expected",
          [255 - value for value in DARK])
    for speed in (2.0, 0.4, 5.0):
        out = work / "speed.mp4"
        render_spec(spec(_counter(speed), duration=None, size=(64, 64)), looks, out)
        hz, length = _dominant_hz(out, 0.05, min(2 / speed, 1.5) - 0.05)
        print(f"speed {speed}: pitch {hz:.1f} Hz (source 440), sound {length:.3f} s "
              f"(expected {2 / speed:.3f})")


if __name__ == "__main__":
    main()
