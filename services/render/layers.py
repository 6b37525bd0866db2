"""Filter chains for one element: its input, sizing, alpha, fades and timing.

Times: `t0`/`t1` bound the slice being rendered (composition seconds). Inside a chain,
timestamps are first made element-local (0 = element start) so fades and frame choice do
not depend on the slice, then shifted to slice time right before the overlay.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import ffmpeg

from services.render.captions import caption_frames
from services.render.decor import decorate, framed
from services.render.looks import apply_crop, apply_looks, on_frame_grid
from services.render.motion import (
    animate,
    ken_burns,
    ken_burns_opaque,
    opaque_ken_burns,
    shift_video,
    sub_pixel,
)
from services.render.reveal import typed_text
from shared.composition.plan import AudioTrack, VisualLayer

__all__ = [
    "InputOptions",
    "fit",
    "image_source",
    "moving_frames",
    "needs_alpha",
    "open_input",
    "salted",
    "secs",
    "shared_tag",
    "still_frames",
    "visual_chain",
]

InputOptions = Callable[[dict[str, Any]], dict[str, Any]]
_SEEK_MARGIN = 1.0  # seconds read before a slice's in-point so the frame shown at t0 exists
MAX_LOOP_PASSES = 200


def secs(value: float | Fraction) -> str:
    return f"{float(value):.6f}"


def _scaled(pts: str, speed: float) -> str:
    """`pts` of the source as element time at `speed` (exactly `pts` at speed 1).

    A source time in microseconds is rounded to the nearest one and setpts truncates: a
    frame due exactly on an output frame would land a microsecond after it (and show a
    frame late). One microsecond less first puts it just before, never after.
    """
    return pts if speed == 1 else f"({pts}-1)/{speed!r}"


def _grid_ceil(value: float, fps: Fraction) -> Fraction:
    return Fraction(math.ceil(Fraction(value) * fps - Fraction(1, 10**6))) / fps


def open_input(path: object, tag: str, options: dict[str, Any], input_options: InputOptions) -> Any:
    """An input node for one element's chain.

    ffmpeg-python merges nodes with equal arguments and tags into one FFmpeg input, whose
    decoded frames FFmpeg then hands to every chain that names it (one decoder, not one
    per element). Only inputs read in lockstep may be shared that way: the tag says which.
    """
    return salted(ffmpeg.input(str(path), **input_options(options)), tag)


def salted(stream: Any, tag: str) -> Any:
    """The stream, its node made distinct from equal-looking nodes of other tags."""
    node = stream.node
    node._KwargReprNode__hash = hash((hash(node), tag))
    return stream


def shared_tag(layer: VisualLayer | AudioTrack) -> str:
    """Elements that read one file from the same in-point at the same moment share a decoder.

    Their frames are consumed at the same pace, so sharing cannot make one chain wait for
    another (chains reading one decoder at different times could fill FFmpeg's queues).
    """
    return f"at{float(layer.start):.6f}"


def needs_alpha(layer: VisualLayer) -> bool:
    media_alpha = layer.media is not None and layer.media.has_alpha
    return (
        layer.opacity < 1
        or layer.fade_in > 0
        or layer.fade_out > 0
        or layer.placement.pads
        or media_alpha
        or layer.kind in ("text", "captions")
        or layer.motion is not None
        or (layer.looks is not None and layer.looks.keyed)
    )


def fit(stream: Any, layer: VisualLayer, *, opaque: bool = False) -> Any:
    """Scale, crop (cover) and transparent-pad (contain) the source into its box.

    `opaque`: the caller fades towards a colour instead, so no alpha channel is added.
    """
    p = layer.placement
    media = layer.media
    stream = apply_crop(stream, layer)
    crop = layer.looks.crop if layer.looks is not None else None
    size = (crop.width, crop.height) if crop else (media.width, media.height) if media else None
    if size != (p.scaled_w, p.scaled_h):
        stream = stream.filter("scale", p.scaled_w, p.scaled_h)
    stream = stream.filter("setsar", 1)
    if p.crops:
        stream = stream.filter("crop", p.width, p.height, p.crop_x, p.crop_y, exact=1)
    stream = apply_looks(stream, layer)
    if needs_alpha(layer) and not opaque:
        stream = stream.filter("format", "yuva420p")
    if p.pads:
        stream = stream.filter("pad", p.width, p.height, p.pad_x, p.pad_y, color="black@0")
    return stream


def _effects(stream: Any, layer: VisualLayer) -> Any:
    """Fades and opacity on the alpha channel, in element-local time."""
    if layer.fade_in > 0:
        stream = stream.filter("fade", type="in", start_time=0, duration=layer.fade_in, alpha=1)
    if layer.fade_out > 0:
        stream = stream.filter(
            "fade", type="out", start_time=secs(layer.duration - layer.fade_out),
            duration=layer.fade_out, alpha=1,
        )
    if layer.opacity < 1:
        stream = stream.filter("lut", a=f"val*{layer.opacity:.4f}")
    return stream


def still_frames(stream: Any, layer: VisualLayer, fps: Fraction, t0: float, t1: float) -> Any:
    """Repeat one prepared frame on the output frame grid for the element's visible span."""
    first = _grid_ceil(max(layer.start, t0), fps)
    last = min(layer.end, t1)
    count = max(1, math.ceil((Fraction(last) - first) * fps - Fraction(1, 10**6)))
    local_first = first - Fraction(layer.start)
    stream = stream.filter("loop", loop=count - 1, size=1, start=0)
    # A still's time base is coarse (1/25 for images, 1/fps for lavfi): in it, frame times
    # on the output grid and the element's start round to the wrong frame. Microseconds.
    stream = stream.filter("settb", "AVTB")
    return stream.filter("setpts", f"N/({fps})/TB+{float(local_first):.6f}/TB")


def moving_frames(
    layer: VisualLayer, fps: Fraction, t0: float, input_options: InputOptions
) -> Any:
    """Decode the source from the right in-point, in element-local time, honouring past_end."""
    local_offset = max(0.0, t0 - layer.start)
    left = layer.source_left or 0.0
    if layer.past_end == "loop" and left > 0:
        return _looped_frames(layer, fps, local_offset, left, input_options)
    position = min(local_offset, left)
    margin = min(_SEEK_MARGIN, position)
    speed = layer.speed  # source seconds per element second
    seek = layer.trim_start + (position - margin) * speed
    options: dict[str, Any] = {}
    if seek > 0:
        options["ss"] = secs(seek)
    options["t"] = secs((left - position + margin) * speed)
    # The same tag and options as the element's audio chain: picture and sound then come
    # from one input, as a hand-written command would (two inputs of one file read side
    # by side made FFmpeg 9 hang now and then).
    source = open_input(layer.source, shared_tag(layer), options, input_options).video
    # Shifts below must not round to a coarse base. From here on the chain is the
    # element's own, even where another element's chain reads the same input.
    source = salted(source.filter("settb", "AVTB"), f"e{layer.index}")
    stream = source.filter("setpts", f"{_scaled('PTS', speed)}+{secs(local_offset - margin)}/TB")
    stream = on_frame_grid(stream, layer, fps)
    visible = layer.duration
    if layer.past_end == "freeze" and visible > left:
        stream = stream.filter("tpad", stop_mode="clone", stop_duration=secs(visible - left + 1))
    return stream.filter("trim", end=secs(visible))


def _looped_frames(
    layer: VisualLayer, fps: Fraction, local_offset: float, left: float,
    input_options: InputOptions,
) -> Any:
    """Repeat [trim_start, source end) until the element ends.

    From the file's start, FFmpeg's own `-stream_loop` does it. With a trim_start, each
    pass is its own seeked input joined by `concat` (FFmpeg's loop would restart at 0); a
    slice starting inside a pass joins the rest of that pass to the file's own loop.
    """
    passes_before = math.floor(local_offset / left)
    position = local_offset - passes_before * left
    margin = min(_SEEK_MARGIN, position)
    pass_start = passes_before * left
    speed = layer.speed  # source seconds per element second
    if layer.trim_start == 0 and position - margin <= 0:
        options: dict[str, Any] = {"stream_loop": -1}
        source = open_input(layer.source, f"v{layer.index}", options, input_options).video
    elif layer.trim_start == 0:
        # A slice starting inside a pass: the rest of that pass, then the file looped from
        # its start (FFmpeg's own loop would go back to the seek point, not to 0).
        skip = position - margin
        first = open_input(layer.source, f"v{layer.index}.0",
                           {"ss": secs(skip * speed), "t": secs((left - skip) * speed)},
                           input_options).video.filter("setpts", "PTS-STARTPTS")
        rest = open_input(layer.source, f"v{layer.index}.loop", {"stream_loop": -1},
                          input_options).video.filter("setpts", "PTS-STARTPTS")
        source = ffmpeg.concat(first, rest, v=1, a=0)
    else:
        passes = math.ceil((layer.duration - pass_start) / left)
        if passes > MAX_LOOP_PASSES:
            raise ValueError(
                f"elements[{layer.index}].past_end: a loop with trim_start may repeat at most "
                f"{MAX_LOOP_PASSES} times in one render, this needs {passes}"
            )
        segments = []
        for number in range(passes):
            skip = position - margin if number == 0 else 0.0
            options = {"ss": secs(layer.trim_start + skip * speed),
                       "t": secs((left - skip) * speed)}
            segment = open_input(layer.source, f"v{layer.index}.{number}", options, input_options)
            segments.append(segment.video.filter("setpts", "PTS-STARTPTS"))
        source = ffmpeg.concat(*segments, v=1, a=0) if len(segments) > 1 else segments[0]
    source = source.filter("settb", "AVTB")  # shifts below must not round to a coarse base
    stream = source.filter(
        "setpts", f"{_scaled('(PTS-STARTPTS)', speed)}+{secs(pass_start + position - margin)}/TB"
    )
    stream = on_frame_grid(stream, layer, fps)
    return stream.filter("trim", end=secs(layer.duration))


def image_source(layer: VisualLayer, input_options: InputOptions) -> Any:
    """The decoded picture of an image layer (one frame)."""
    return open_input(layer.source, f"v{layer.index}", {}, input_options).video


def _text_frame(layer: VisualLayer, fps: Fraction) -> Any:
    """A transparent (or background-coloured) box with one drawtext per wrapped line."""
    assert layer.text is not None
    style = layer.text
    p = layer.placement
    layout = style.layout
    frame = ffmpeg.input(
        f"color=c={style.background}:s={p.width}x{p.height}:r={fps},format=rgba",
        f="lavfi",
        t=secs(1 / fps),
    ).video
    inner_h = p.height - 2 * style.padding
    top = style.padding + {
        "top": 0.0,
        "center": (inner_h - layout.block_height) / 2,
        "bottom": inner_h - layout.block_height,
    }[style.vertical_align]
    for number, line in enumerate(layout.lines):
        if not line.strip():
            continue
        # drawtext drops a value's edge spaces: the line is drawn without them, moved by
        # their measured width (lead before it; lead + trail share the centred width)
        lead, trail = layout.edge_widths[number] if layout.edge_widths else (0.0, 0.0)
        x = {
            "left": f"{style.padding + lead:.2f}",
            "center": f"(w-text_w-{lead + trail:.2f})/2+{lead:.2f}",
            "right": f"w-text_w-{style.padding + trail:.2f}",
        }[style.align]
        options: dict[str, Any] = {
            "fontfile": str(layout.font_file),
            "text": line.strip(),
            "expansion": "none",
            "fontsize": layout.font_size,
            "fontcolor": style.color,
            "x": x,
            "y": f"{top + number * layout.line_height:.2f}",
            "y_align": "font",
        }
        if style.stroke_color and style.stroke_width > 0:
            options["bordercolor"] = style.stroke_color
            options["borderw"] = style.stroke_width
        frame = frame.filter("drawtext", **options)
    return frame


def visual_chain(
    layer: VisualLayer,
    *,
    fps: Fraction,
    t0: float,
    t1: float,
    input_options: InputOptions,
) -> Any | None:
    """The stream to overlay for one layer, timed in slice time, or None if not visible."""
    # looks (decorate) go on a still's one frame before it is repeated, and around a Ken
    # Burns zoom, which then runs first
    zoomed = framed(layer) and layer.motion is not None and layer.motion.ken_burns is not None
    if layer.kind == "video":
        stream = fit(moving_frames(layer, fps, t0, input_options), layer)
        if zoomed:
            stream = ken_burns(stream, layer, fps, t0)
        stream = decorate(stream, layer, input_options)
    elif layer.kind == "image" and zoomed:
        stream = still_frames(fit(image_source(layer, input_options), layer), layer, fps, t0, t1)
        stream = decorate(ken_burns(stream, layer, fps, t0), layer, input_options)
    elif opaque_ken_burns(layer):  # not framed: a framed one is zoomed above
        picture = fit(image_source(layer, input_options), layer, opaque=True)
        picture = picture.filter("scale", out_range="tv").filter("format", "yuv420p")
        stream = ken_burns_opaque(still_frames(picture, layer, fps, t0, t1), layer, fps, t0)
        stream = stream.filter("format", "yuva420p")
    elif layer.kind == "image":
        picture = decorate(fit(image_source(layer, input_options), layer), layer, input_options)
        stream = still_frames(picture, layer, fps, t0, t1)
    elif layer.kind == "captions":
        stream = decorate(apply_looks(caption_frames(layer, fps, t0, t1), layer), layer,
                          input_options)
    elif layer.motion is not None and layer.motion.reveal is not None:
        stream = decorate(apply_looks(typed_text(layer, fps, t0, t1), layer), layer,
                          input_options)
    else:
        picture = decorate(apply_looks(_text_frame(layer, fps), layer), layer, input_options)
        stream = still_frames(picture, layer, fps, t0, t1)
        stream = stream.filter("format", "yuva420p")
    stream = _effects(stream, layer)
    if layer.motion is not None:
        stream = animate(stream, layer, fps, t0)
    stream = stream.filter("setpts", f"PTS+{secs(layer.start - t0)}/TB")
    if layer.kind == "video" and sub_pixel(layer, fps):
        stream = shift_video(stream, layer, fps, t0, t1)
    return stream
