"""Plan → ONE FFmpeg command (one filter graph, no intermediate files).

Every element becomes one input (or a lavfi source for text) and one chain of filters that
ends in an `overlay` on the running canvas, in stacking order. Audio chains end in one
`amix`. Each element chain works in *element-local* time (0 = the element's start), so
fades are computed the same way whether the whole timeline or only a slice
[t0, t1) is rendered; a slice is exactly those frames of the full render. A moving
element (services/render/motion.py) is overlaid at a position written as an expression of
the overlay's `t`, shifted back to element-local time.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import ffmpeg

from services.render.backdrop import backdrop_layers, backdrop_stream
from services.render.decor import composite, offset
from services.render.encoders import audio_output_options, video_output_options
from services.render.layers import visual_chain
from services.render.loudness import Measured, normalised
from services.render.motion import overlay_position
from services.render.preview_output import PreviewOutput, preview_output, preview_size
from services.render.soft_subtitles import SUBTITLE_CODECS, srt_text, subtitle_stream
from services.render.sound import audio_chain
from services.render.stills import STILL_OPTIONS, frame_at_time
from shared.composition.plan import Plan
from shared.media.probe import ALLOWED_DEMUXERS

__all__ = [
    "GLOBAL_OPTIONS",
    "CompiledCommand",
    "Composite",
    "Streams",
    "TimeRange",
    "audio_mix",
    "compile_plan",
    "composite_streams",
    "frame_grid",
    "graph_from_file",
    "input_options",
    "mix",
]

MAX_GRAPH_ARGUMENT = 64 * 1024
GLOBAL_OPTIONS = (
    "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats",
)
Streams = Literal["all", "video", "audio"]
"""What a command writes: the whole output, or (for split rendering) one kind of stream."""


@dataclass(frozen=True)
class TimeRange:
    """A slice [start, end) of the composition, on the output frame grid."""

    start: float
    end: float


@dataclass
class CompiledCommand:
    args: list[str]
    output: Path
    duration: float
    poster: Path | None = None
    # files the command reads that the engine writes just before it runs (path -> text)
    sidecars: dict[Path, str] = field(default_factory=dict)

    def shell(self) -> str:
        """The command as one copy-pasteable shell line."""
        import shlex

        return shlex.join(self.args)


def frame_grid(value: float, fps: Fraction) -> float:
    """Snap a time to the nearest output frame boundary."""
    return float(round(Fraction(value) * fps) / fps)


def input_options(extra: dict[str, Any], threads: int | None = None) -> dict[str, Any]:
    """Sources are local files only: no network protocols, no playlists or concat lists.
    A thread limit holds for each source's decoder too."""
    limit = {"threads": threads} if threads else {}
    return {"protocol_whitelist": "file", "format_whitelist": ALLOWED_DEMUXERS, **limit,
            **extra}


def _poster(base: Any, plan: Plan, poster: Path | None, t0: float,
            t1: float) -> tuple[Any, list[Any]]:
    """The poster still as a second output when asked for and its time is in the slice:
    (the stream to go on with, the poster's output or none)."""
    spec = plan.canvas.output.poster
    if poster is None or spec is None or not t0 <= spec.time < t1:
        return base, []
    split = base.split()
    # not `trim`: its first packet at a late time would hold back the run's progress
    still = frame_at_time(split[1], spec.time - t0)
    return split[0], [ffmpeg.output(still, str(poster), **STILL_OPTIONS, **{"q:v": 2})]


@dataclass
class Composite:
    """The composited picture and the mixed sound of [t0, t1), before any encoder."""

    video: Any
    audio_streams: list[Any]
    t0: float
    t1: float
    fps: Fraction
    moving: bool

    @property
    def length(self) -> float:
        return self.t1 - self.t0

    def for_encoder(self, video: Any) -> Any:
        """The picture as a 4:2:0 encoder takes it. A JPEG decodes to full range, and FFmpeg
        carries a range through the graph to the encoder (yuvj420p); from the moving
        canvas's 4:4:4 to the encoder's 4:2:0 in TV range is one conversion."""
        return video.filter("scale", out_range="tv") if self.moving else video


def composite_streams(plan: Plan, *, time_range: TimeRange | None = None,
                      backdrop: bool = True, threads: int | None = None) -> Composite:
    """Every layer drawn on the canvas, and every audio chain, for [t0, t1) (`threads`: a
    limit for each source's decoder too)."""
    canvas = plan.canvas
    fps = canvas.fps
    opener = functools.partial(input_options, threads=threads)
    t0, t1 = _bounds(time_range, canvas.duration, fps)
    if t1 <= t0:
        raise ValueError(f"empty time range [{t0}, {t1})")
    length = t1 - t0
    frames = max(1, math.ceil(length * fps - 1e-9))
    # Moving layers sit at whole pixels: overlay on 4:2:0 would round them to even ones.
    moving = any(layer.motion is not None for layer in plan.layers)
    canvas_format = "yuv444p" if moving else "yuv420p"
    bottom = backdrop_layers(plan) if backdrop else 0
    if bottom:
        base = backdrop_stream(plan.layers[:bottom], canvas, t0=t0, t1=t1,
                               input_options=opener)
        if moving:
            base = base.filter("format", canvas_format)
    else:
        base = ffmpeg.input(
            f"color=c={canvas.output.background.ffmpeg}:s={canvas.width}x{canvas.height}"
            f":r={fps}",
            f="lavfi",
            t=f"{float(frames / fps):.6f}",
        ).video.filter("format", canvas_format)
    layers = [layer for layer in plan.layers[bottom:] if layer.end > t0 and layer.start < t1]
    for layer in layers:
        chain = visual_chain(layer, fps=fps, t0=t0, t1=t1, input_options=opener)
        if chain is None:
            continue
        margin = offset(layer)  # a shadow grows the picture on every side
        position: tuple[Any, Any] = (layer.placement.x - margin, layer.placement.y - margin)
        if layer.motion is not None:
            position = overlay_position(layer, t0, fps)
        extra = {"format": "yuv444"} if moving else {}
        base = composite(base, chain, layer, position, (layer.start - t0, layer.end - t0),
                         (canvas.width, canvas.height), **extra)

    return Composite(base, _audio_chains(plan, t0, t1, opener), t0, t1, fps, moving)


def _audio_chains(plan: Plan, t0: float, t1: float,
                  opener: Callable[[dict[str, Any]], dict[str, Any]]) -> list[Any]:
    """The audio chain of every track that sounds within [t0, t1)."""
    return [
        stream
        for track in plan.audio
        if track.end > t0 and track.start < t1
        for stream in [audio_chain(track, t0=t0, t1=t1, input_options=opener)]
        if stream is not None
    ]


def compile_plan(
    plan: Plan,
    output: Path,
    *,
    ffmpeg_exe: str,
    time_range: TimeRange | None = None,
    poster: Path | None = None,
    threads: int | None = None,
    backdrop: bool = True,
    measured: Measured | None = None,
    preview: PreviewOutput | None = None,
    only: Streams = "all",
) -> CompiledCommand:
    """Build the FFmpeg argument list that renders `plan` (or a slice of it) into `output`.

    `measured` is the whole mix's loudness from a first pass (services/render/measure.py),
    for `output.loudness`. `backdrop=False` always draws every layer on a colour canvas,
    even where the bottom layers could be the canvas themselves (services/render/backdrop.py);
    the tests compare both ways frame by frame. `preview` writes a still or a small mp4 of
    the range instead of the job's output (services/render/preview_output.py; no poster, no
    subtitles). `only="video"` writes the picture only (a slice of a split render),
    `only="audio"` the sound only (a split render's audio unit).
    """
    canvas = plan.canvas
    drawn = composite_streams(plan, time_range=time_range, backdrop=backdrop,
                              threads=threads)
    t0, t1, length, fps = drawn.t0, drawn.t1, drawn.length, drawn.fps
    audio_streams = drawn.audio_streams
    if preview is not None:
        return _preview_command(drawn, plan, output, measured=measured,
                                ffmpeg_exe=ffmpeg_exe, preview=preview, threads=threads)
    fmt = canvas.output.format
    video_opts = video_output_options(canvas.output)
    base, outputs = _poster(drawn.video, plan, poster if only != "audio" else None, t0, t1)
    poster = poster if outputs else None
    base = drawn.for_encoder(base)
    streams: list[Any] = [base]
    if fmt == "gif":
        split = base.split()
        # stats_mode=diff counts only the colours a frame *replaces*, so the colours of the
        # last scene never reach the palette: count every frame.
        palette = split[1].filter("palettegen", stats_mode="full")
        streams = [ffmpeg.filter([split[0], palette], "paletteuse", dither="bayer")]
    else:
        streams.append(normalised(mix(audio_streams, length), canvas.output.loudness, measured))
    streams, opts = _selected(only, streams, video_opts, fmt, length)
    sidecars: dict[Path, str] = {}
    wants_subtitles = fmt in SUBTITLE_CODECS and only == "all"
    subtitles = srt_text(plan.subtitles, t0, t1) if wants_subtitles else ""
    if subtitles:
        srt_file = output.with_name(f".{output.stem}.subtitles.srt")
        sidecars[srt_file] = subtitles
        streams.append(subtitle_stream(srt_file))
        opts["c:s"] = SUBTITLE_CODECS[fmt]
    if threads:
        opts["threads"] = threads
    if only != "audio":
        opts["r"] = str(fps)
    outputs.insert(0, ffmpeg.output(*streams, str(output), **opts))
    graph = ffmpeg.merge_outputs(*outputs) if len(outputs) > 1 else outputs[0]
    # ffmpeg-python appends global options after the outputs, where FFmpeg may ignore them;
    # a thread limit holds for the filter graph too (a fair share of a machine's cores)
    limit = ["-filter_complex_threads", str(threads)] if threads else []
    args = graph_from_file([ffmpeg_exe, *GLOBAL_OPTIONS, *limit, *graph.compile(cmd=[])],
                           output, sidecars)
    return CompiledCommand(args=args, output=output, duration=length, poster=poster,
                           sidecars=sidecars)


def _bounds(time_range: TimeRange | None, duration: float, fps: Fraction) -> tuple[float, float]:
    """[t0, t1) on the frame grid; a range to the end ends where the full render does, even
    when the composition's duration is off the grid (the last slice of a split render)."""
    if time_range is None:
        return 0.0, duration
    end = duration if time_range.end >= duration else frame_grid(time_range.end, fps)
    return frame_grid(time_range.start, fps), end


def _selected(only: Streams, streams: list[Any], video_opts: dict[str, Any], fmt: str,
              length: float) -> tuple[list[Any], dict[str, Any]]:
    """The streams and output options of `only` (streams: the picture, then the sound)."""
    limit = {"t": f"{length:.6f}"}
    if only == "video":
        return streams[:1], {**video_opts, **limit}
    if only == "audio":
        return streams[1:], {**audio_output_options(fmt), **limit}
    return streams, {**video_opts, **audio_output_options(fmt), **limit}


def _preview_command(drawn: Composite, plan: Plan, output: Path, *,
                     measured: Measured | None, ffmpeg_exe: str, preview: PreviewOutput,
                     threads: int | None) -> CompiledCommand:
    """The command writing the composited picture as a preview (a still or a small mp4)."""
    canvas = plan.canvas
    node = preview_output(
        drawn.for_encoder(drawn.video),
        lambda: normalised(mix(drawn.audio_streams, drawn.length), canvas.output.loudness,
                           measured),
        output, size=preview_size(canvas.width, canvas.height, preview), fps=canvas.fps,
        length=drawn.length, preview=preview, threads=threads)
    no_sidecars: dict[Path, str] = {}
    args = graph_from_file([ffmpeg_exe, *GLOBAL_OPTIONS, *node.compile(cmd=[])], output,
                           no_sidecars)
    return CompiledCommand(args=args, output=output, duration=drawn.length,
                           sidecars=no_sidecars)


def graph_from_file(args: list[str], output: Path, sidecars: dict[Path, str]) -> list[str]:
    """A filter graph too long for one argument (Linux takes at most 128 KiB; captions
    with hundreds of cues reach that) is read from a file beside the output instead
    (`-/filter_complex`, FFmpeg 7 and later). Shorter graphs stay on the command line."""
    if "-filter_complex" not in args:
        return args
    at = args.index("-filter_complex")
    if len(args[at + 1]) <= MAX_GRAPH_ARGUMENT:
        return args
    graph_file = output.with_name(f".{output.stem}.graph.txt")
    sidecars[graph_file] = args[at + 1]
    return [*args[:at], "-/filter_complex", str(graph_file), *args[at + 2:]]


def mix(streams: list[Any], length: float) -> Any:
    """One stereo 48 kHz track exactly `length` seconds long: the sum of every audio chain.

    A silent bed of exactly that length is the first input of `amix` (duration=first), so
    the mix ends with it; no endless `apad` whose end FFmpeg must negotiate.
    """
    bed = ffmpeg.input(
        f"anullsrc=r=48000:cl=stereo:d={length:.6f}", f="lavfi"
    ).audio
    if not streams:
        return bed
    return ffmpeg.filter([bed, *streams], "amix", inputs=len(streams) + 1, normalize=0,
                         dropout_transition=0, duration="first")


def audio_mix(plan: Plan, t0: float, t1: float) -> Any:
    """The mix of every audio chain of [t0, t1), exactly `t1 - t0` seconds long."""
    return mix(_audio_chains(plan, t0, t1, input_options), t1 - t0)
