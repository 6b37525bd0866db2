"""An element's looks as filters: crop, speed, chroma key, colour filters, 3D LUT.

Order in a picture's chain: crop → speed (setpts, in `layers.moving_frames`) → fit →
chroma key → filters → LUT → fades, opacity, motion. Crop and setpts commute (one is
spatial, the other temporal), so the crop is applied where the fit starts. Speed of the
sound is an `atempo` chain, which keeps the pitch.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import ffmpeg

from shared.composition.looks import Filters
from shared.composition.plan import VisualLayer

__all__ = [
    "ATEMPO_MAX", "ATEMPO_MIN", "apply_crop", "apply_looks", "atempo", "on_frame_grid",
    "tempo_steps",
]

ATEMPO_MIN = 0.5  # the range one atempo instance is asked to cover
ATEMPO_MAX = 2.0
_SEPIA = ((0.393, 0.769, 0.189), (0.349, 0.686, 0.168), (0.272, 0.534, 0.131))


def apply_crop(stream: Any, layer: VisualLayer) -> Any:
    """The element's crop of the source, exact to the pixel (also on 4:2:0 sources)."""
    crop = layer.looks.crop if layer.looks is not None else None
    if crop is None:
        return stream
    return stream.filter("crop", crop.width, crop.height, crop.x, crop.y, exact=1)


def apply_looks(stream: Any, layer: VisualLayer) -> Any:
    """Chroma key, filters and LUT of a fitted picture (before any transparent padding)."""
    looks = layer.looks
    if looks is None:
        return stream
    if looks.chroma_key is not None:
        key = looks.chroma_key
        stream = stream.filter("chromakey", color=f"0x{key.color.r:02x}{key.color.g:02x}"
                               f"{key.color.b:02x}", similarity=key.similarity, blend=key.blend)
    if looks.filters is not None:
        has_alpha = (looks.keyed or layer.kind in ("text", "captions")
                     or (layer.media is not None and layer.media.has_alpha))
        stream = _filters(stream, looks.filters, has_alpha)
    if looks.lut is not None:
        stream = stream.filter("lut3d", file=str(looks.lut), interp="tetrahedral")
    return stream


def _filters(stream: Any, filters: Filters, has_alpha: bool) -> Any:
    eq = {name: value for name in ("brightness", "contrast", "saturation", "gamma")
          if (value := getattr(filters, name)) is not None}
    if eq:
        stream = stream.filter("eq", **{name: f"{value:.4f}" for name, value in eq.items()})
    if filters.hue:
        stream = stream.filter("hue", h=f"{filters.hue:.4f}")
    if filters.grayscale:
        stream = stream.filter("hue", s=f"{1 - filters.grayscale:.4f}")
    if filters.sepia:
        stream = stream.filter("colorchannelmixer", **_sepia_mix(filters.sepia))
    if filters.blur:
        stream = stream.filter("gblur", sigma=f"{filters.blur:.4f}")
    if filters.sharpen:
        stream = stream.filter("unsharp", luma_msize_x=5, luma_msize_y=5,
                               luma_amount=f"{filters.sharpen:.4f}")
    if filters.vignette:
        stream = _vignette(stream, filters.vignette, has_alpha)
    return stream


def _sepia_mix(strength: float) -> dict[str, str]:
    """The sepia matrix blended with the identity by `strength`."""
    options = {}
    for row, out in enumerate("rgb"):
        for col, source in enumerate("rgb"):
            identity = 1.0 if row == col else 0.0
            value = identity + strength * (_SEPIA[row][col] - identity)
            options[f"{out}{source}"] = f"{value:.4f}"
    return options


def _vignette(stream: Any, strength: float, has_alpha: bool) -> Any:
    """Darkened corners; `vignette` drops an alpha channel, so a transparent picture has its
    colour vignetted and its alpha merged back."""
    angle = f"{strength * 1.5707963:.6f}"  # 1 is the filter's widest angle, pi/2
    if not has_alpha:
        return stream.filter("vignette", angle=angle)
    split = stream.filter("format", "yuva420p").split()
    colour = split[0].filter("vignette", angle=angle)
    return ffmpeg.filter([colour, split[1].filter("alphaextract")], "alphamerge")


def on_frame_grid(stream: Any, layer: VisualLayer, fps: Fraction) -> Any:
    """A sped-up or slowed-down picture resampled to the output's frames, element-local.

    `overlay` rounds a frame's time to the nearest output frame and, of two frames that
    round to one output frame, may show the first: a frame due just after an output time
    would be shown at it. Here each output frame gets the last source frame due at or
    before it, as an unchanged speed shows it. The output grid, in element-local time,
    starts `phase` after 0 when the element does not start on a frame boundary.
    """
    if layer.speed == 1:
        return stream
    phase = Fraction(math.ceil(Fraction(layer.start) * fps - Fraction(1, 10**6))) / fps
    phase_s = f"{float(phase - Fraction(layer.start)):.6f}"
    stream = stream.filter("setpts", f"PTS-{phase_s}/TB")
    # half a microsecond early, then rounded up: a frame exactly on an output time stays on it
    stream = stream.filter("settb", "1/2000000").filter("setpts", "PTS-1")
    stream = stream.filter("fps", fps=str(fps), round="up")
    return stream.filter("settb", "AVTB").filter("setpts", f"PTS+{phase_s}/TB")


def tempo_steps(speed: float) -> list[float]:
    """Factors within atempo's range whose product is `speed`."""
    steps = []
    while speed > ATEMPO_MAX:
        steps.append(ATEMPO_MAX)
        speed /= ATEMPO_MAX
    while speed < ATEMPO_MIN:
        steps.append(ATEMPO_MIN)
        speed /= ATEMPO_MIN
    if speed != 1.0:
        steps.append(speed)
    return steps


def atempo(stream: Any, speed: float) -> Any:
    """Sound played `speed` times as fast at the same pitch."""
    for step in tempo_steps(speed):
        stream = stream.filter("atempo", f"{step:.6f}")
    return stream
