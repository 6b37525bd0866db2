"""Delivery → ONE FFmpeg command with an output per file: decode and composite once, encode N.

The composited picture (`compiler.composite_streams`) is `split`: one branch per rendition
(scaled to its size, letterboxed if its aspect differs, then its own encoder), one per still
and one for the thumbnail sprite; the audio mix is `asplit` to every rendition that has
sound and encoded by each (each format has its own codec). HLS renditions are fMP4 segments
with a key frame forced at every segment boundary; the master playlist over them is written
after the run (services/render/hls.py), from the segments' real sizes.

Files are laid out under one folder, the same paths later used under the job's prefix in
S3 (`layout`): `<name>.<ext>`, `hls/master.m3u8`, `hls/<name>/index.m3u8` (+ init.mp4 and
segments), `stills/still-<i>.<ext>`, `thumbnails/sprite.<ext>` + `thumbnails/thumbnails.vtt`
(the sprite laid out after the run from one image per tile, services/render/stills.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from services.render.compiler import (
    GLOBAL_OPTIONS,
    CompiledCommand,
    composite_streams,
    graph_from_file,
    mix,
)
from services.render.encoders import audio_output_options, video_output_options
from services.render.loudness import Measured, normalised
from services.render.soft_subtitles import SUBTITLE_CODECS, srt_text, subtitle_stream
from services.render.stills import STILL_OPTIONS, THUMBNAIL_FRAMES, frame_at_time
from shared.composition import Job, Problem, SpecError
from shared.composition.delivery import (
    RenditionQuality,
    ResolvedRendition,
    Still,
    Thumbnails,
    resolve_renditions,
    still_size,
)
from shared.composition.plan import Plan
from shared.composition.spec import Output, Quality

__all__ = [
    "HLS_SEGMENT_SECONDS",
    "Delivery",
    "compile_delivery",
    "delivers",
    "delivery_of",
    "rendition_path",
    "tile_step",
    "tile_times",
]

HLS_SEGMENT_SECONDS = 4
SINGLE = "output"  # the rendition name of a job with `output`: its file stays output.<ext>


@dataclass(frozen=True)
class Delivery:
    """Every file one run writes, with the sizes worked out against the canvas."""

    renditions: list[ResolvedRendition]
    stills: list[Still] = field(default_factory=list)
    thumbnails: Thumbnails | None = None
    poster: float | None = None  # the poster's time, when the job asks for one

    @property
    def hls(self) -> list[ResolvedRendition]:
        return [rendition for rendition in self.renditions if rendition.format == "hls"]

    def main(self) -> str:
        """The path of the job's main output (outputs[0]; an HLS one's master playlist)."""
        return rendition_path(self.renditions[0], master=True)


def delivers(job: Job) -> bool:
    """Whether `job` asks for more than its one output (and its poster)."""
    return job.outputs is not None or bool(job.stills) or job.thumbnails is not None


def rendition_path(rendition: ResolvedRendition, *, master: bool = False) -> str:
    if rendition.format == "hls":
        return "hls/master.m3u8" if master else f"hls/{rendition.name}/index.m3u8"
    return f"{rendition.name}.{rendition.format}"


def delivery_of(job: Job, plan: Plan) -> Delivery:
    """The files `job` asks for; SpecError for a still past the end, now that the length
    is known (at intake only a spec that fixes it could be checked)."""
    canvas = (plan.canvas.width, plan.canvas.height)
    if job.outputs is not None:
        renditions = resolve_renditions(job.outputs, canvas)
    else:
        quality = RenditionQuality(crf=job.output.quality.crf, preset=job.output.quality.preset)
        renditions = [ResolvedRendition(0, SINGLE, job.output.format, *canvas, quality)]
    duration = plan.canvas.duration
    problems = [Problem(f"stills[{index}].time", f"{still.time:g} s is at or past the end of "
                        f"the video ({duration:g} s)")
                for index, still in enumerate(job.stills or ()) if still.time >= duration]
    if problems:
        raise SpecError(problems)
    poster = job.output.poster.time if job.output.poster is not None else None
    return Delivery(renditions, list(job.stills or ()), job.thumbnails, poster)


def tile_step(every: float, fps: Fraction) -> int:
    """Frames between two thumbnail tiles: `every` on the output frame grid."""
    return max(1, round(every * fps))


def tile_times(every: float, duration: float, fps: Fraction) -> list[float]:
    """The times of the thumbnail tiles: frame 0, then every `tile_step` frames (what
    `framestep` keeps), while in the video."""
    frames = math.ceil(duration * fps - 1e-9)
    step = tile_step(every, fps)
    return [float(Fraction(frame) / fps) for frame in range(0, frames, step)]


def _scaled(stream: Any, size: tuple[int, int], canvas: tuple[int, int]) -> Any:
    if size == canvas:
        return stream
    width, height = size
    stream = stream.filter("scale", width, height, force_original_aspect_ratio="decrease",
                           force_divisible_by=2)
    return stream.filter("pad", width, height, "(ow-iw)/2", "(oh-ih)/2").filter("setsar", 1)


def _video_options(rendition: ResolvedRendition, name: str, folder: Path) -> dict[str, Any]:
    quality = Quality(crf=rendition.quality.crf, preset=rendition.quality.preset)
    if rendition.format != "hls":
        return video_output_options(Output(format=rendition.format, width=rendition.width,
                                           height=rendition.height, quality=quality))
    options = video_output_options(Output(format="mov", width=rendition.width,
                                          height=rendition.height, quality=quality))
    variant = folder / "hls" / name
    return {
        **options, "f": "hls", "hls_time": HLS_SEGMENT_SECONDS, "hls_playlist_type": "vod",
        "hls_list_size": 0, "hls_segment_type": "fmp4", "hls_flags": "independent_segments",
        "hls_fmp4_init_filename": "init.mp4",
        "hls_segment_filename": str(variant / "segment-%05d.m4s"),
        "force_key_frames": f"expr:gte(t,n_forced*{HLS_SEGMENT_SECONDS})",
    }


def _image_options(fmt: str) -> dict[str, Any]:
    if fmt == "jpg":
        return {"q:v": 2}
    if fmt == "webp":
        return {"vcodec": "libwebp", "quality": 90}
    return {}


def compile_delivery(plan: Plan, delivery: Delivery, folder: Path, *, ffmpeg_exe: str,
                     threads: int | None = None,
                     measured: Measured | None = None) -> CompiledCommand:
    """The command that writes every file of `delivery` under `folder` in one run
    (`measured`: the mix's loudness from a first pass, for `output.loudness`)."""
    canvas = plan.canvas
    size = (canvas.width, canvas.height)
    drawn = composite_streams(plan)
    length, fps = drawn.length, drawn.fps
    pictures = (len(delivery.stills) + (delivery.thumbnails is not None)
                + (delivery.poster is not None))
    video = drawn.video
    raw: list[Any] = []
    if pictures:
        split = video.split()
        video, raw = split[0], [split[index + 1] for index in range(pictures)]
    video = drawn.for_encoder(video)
    renditions = delivery.renditions
    branches = [video]
    if len(renditions) > 1:
        split = video.split()
        branches = [split[index] for index in range(len(renditions))]
    sounding = [rendition for rendition in renditions if rendition.format != "gif"]
    audio = normalised(mix(drawn.audio_streams, length), canvas.output.loudness, measured)
    sounds: dict[int, Any] = {}
    if len(sounding) == 1:
        sounds[sounding[0].index] = audio
    elif sounding:
        asplit = audio.asplit()
        sounds = {rendition.index: asplit[number] for number, rendition in enumerate(sounding)}
    sidecars: dict[Path, str] = {}
    subtitles = srt_text(plan.subtitles, 0.0, length)
    if subtitles:
        sidecars[folder / ".subtitles.srt"] = subtitles
    outputs = [
        _rendition_output(rendition, branches[number], sounds.get(rendition.index), size,
                          folder, length, fps, threads, sidecars)
        for number, rendition in enumerate(renditions)
    ]
    outputs += _picture_outputs(raw, delivery, size, folder, length, fps)
    folders = {(folder / rendition_path(rendition)).parent for rendition in renditions}
    folders |= {folder / "stills"} if delivery.stills else set()
    if delivery.thumbnails is not None:
        folders |= {folder / "thumbnails", folder / THUMBNAIL_FRAMES}
    for sub in folders:
        sub.mkdir(parents=True, exist_ok=True)
    graph = ffmpeg.merge_outputs(*outputs) if len(outputs) > 1 else outputs[0]
    main = folder / delivery.main()
    args = graph_from_file([ffmpeg_exe, *GLOBAL_OPTIONS, *graph.compile(cmd=[])], main,
                           sidecars)
    return CompiledCommand(args=args, output=main, duration=length, sidecars=sidecars)


def _rendition_output(rendition: ResolvedRendition, video: Any, audio: Any,
                      canvas: tuple[int, int], folder: Path, length: float, fps: Fraction,
                      threads: int | None, sidecars: dict[Path, str]) -> Any:
    picture = _scaled(video, (rendition.width, rendition.height), canvas)
    streams: list[Any] = [picture]
    fmt = rendition.format
    if fmt == "gif":
        split = picture.split()
        palette = split[1].filter("palettegen", stats_mode="full")
        streams = [ffmpeg.filter([split[0], palette], "paletteuse", dither="bayer")]
    else:
        streams.append(audio)
    options: dict[str, Any] = {
        **_video_options(rendition, rendition.name, folder),
        **audio_output_options("mp4" if fmt == "hls" else fmt), "t": f"{length:.6f}",
    }
    srt = folder / ".subtitles.srt"
    if srt in sidecars and fmt in SUBTITLE_CODECS:
        streams.append(subtitle_stream(srt))
        options["c:s"] = SUBTITLE_CODECS[fmt]
    if threads:
        options["threads"] = threads
    return ffmpeg.output(*streams, str(folder / rendition_path(rendition)), r=str(fps),
                         **options)


def _picture_outputs(raw: list[Any], delivery: Delivery, canvas: tuple[int, int],
                     folder: Path, length: float, fps: Fraction) -> list[Any]:
    """Stills, the thumbnails and the poster, each from its own branch of the picture; each
    gets a packet from the first frame on (services/render/stills.py says why)."""
    outputs = []
    branches = iter(raw)
    for index, still in enumerate(delivery.stills):
        width, height = still_size(still.width, canvas)
        picture = frame_at_time(next(branches), still.time).filter("scale", width, height)
        outputs.append(ffmpeg.output(picture, str(folder / f"stills/still-{index}.{still.format}"),
                                     **STILL_OPTIONS, **_image_options(still.format)))
    if delivery.thumbnails is not None:
        thumbnails = delivery.thumbnails
        width, height = still_size(thumbnails.width, canvas)
        picture = next(branches).filter("framestep", tile_step(thumbnails.every, fps))
        picture = picture.filter("scale", width, height)
        # one lossless image per tile; deliver.describe lays them out on the sheet
        outputs.append(ffmpeg.output(picture, str(folder / THUMBNAIL_FRAMES / "%06d.png"),
                                     f="image2", start_number=0, fps_mode="passthrough"))
    if delivery.poster is not None:
        picture = frame_at_time(next(branches), delivery.poster)
        outputs.append(ffmpeg.output(picture, str(folder / "poster.jpg"),
                                     **STILL_OPTIONS, **{"q:v": 2}))
    return outputs
