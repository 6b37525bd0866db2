"""Render a Delivery: one FFmpeg run into a private folder, then the files that need the run's
results (the HLS master playlist, the thumbnail sprite sheet and its WebVTT index), then
every file described (size, duration, dimensions) and moved into place.

Like `engine.render`, nothing half-written is ever in the destination: the run writes into a
temp folder beside it, removed on any failure or cancel; the files move only once all exist.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from services.render.hls import master_playlist, read_variant
from services.render.renditions import (
    Delivery,
    compile_delivery,
    rendition_path,
    tile_times,
)
from services.render.stills import THUMBNAIL_FRAMES, assemble_sprite, thumbnails_vtt
from shared.composition.delivery import ResolvedRendition, sheet_layout, still_size
from shared.composition.plan import Plan
from shared.media.probe import probe
from shared.settings import EngineSettings

if TYPE_CHECKING:
    from services.render.runner import ProgressCallback

__all__ = ["CONTENT_TYPES", "DeliveredFile", "DeliveryResult", "render_delivery"]

log = logging.getLogger(__name__)
STALL_RETRIES = 2

CONTENT_TYPES = {
    "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
    "avi": "video/x-msvideo", "gif": "image/gif", "jpg": "image/jpeg", "png": "image/png",
    "webp": "image/webp", "m3u8": "application/vnd.apple.mpegurl", "m4s": "video/iso.segment",
    "vtt": "text/vtt",
}


@dataclass(frozen=True)
class DeliveredFile:
    """One file of a job's result, by its path under the job's folder (and S3 prefix)."""

    path: str
    kind: str  # rendition | hls | hls-variant | hls-init | hls-segment | still | ...
    size: int
    content_type: str
    name: str | None = None  # the rendition's name
    duration: float | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class DeliveryResult:
    folder: Path
    files: list[DeliveredFile]
    main: DeliveredFile
    duration: float
    seconds: float
    command: list[str]


def _file(folder: Path, path: str, kind: str, **fields: object) -> DeliveredFile:
    suffix = path.rsplit(".", 1)[-1]
    return DeliveredFile(path=path, kind=kind, size=(folder / path).stat().st_size,
                         content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
                         **fields)  # type: ignore[arg-type]


def _hls_files(folder: Path, renditions: list[ResolvedRendition], fps: float
               ) -> list[DeliveredFile]:
    variants = [read_variant(rendition, folder / rendition_path(rendition), fps)
                for rendition in renditions]
    (folder / "hls/master.m3u8").write_text(master_playlist(variants, folder / "hls"),
                                            encoding="utf-8")
    duration = max(variant.duration for variant in variants)
    files = [_file(folder, "hls/master.m3u8", "hls", name=renditions[0].name,
                   duration=duration, width=renditions[0].width, height=renditions[0].height)]
    for variant in variants:
        rendition = variant.rendition
        size = {"name": rendition.name, "width": rendition.width, "height": rendition.height}
        files.append(_file(folder, rendition_path(rendition), "hls-variant",
                           duration=variant.duration, **size))
        if variant.init is not None:
            files.append(_file(folder, variant.init.relative_to(folder).as_posix(), "hls-init",
                               **size))
        files += [_file(folder, segment.path.relative_to(folder).as_posix(), "hls-segment",
                        duration=segment.duration, **size) for segment in variant.segments]
    return files


def describe(folder: Path, delivery: Delivery, plan: Plan, length: float) -> list[DeliveredFile]:
    """Write the playlists and index the run's results need, and list every file, the main
    output first."""
    canvas = (plan.canvas.width, plan.canvas.height)
    files: list[DeliveredFile] = []
    for rendition in delivery.renditions:
        if rendition.format == "hls":
            continue
        path = rendition_path(rendition)
        info = probe(folder / path)
        files.append(_file(folder, path, "rendition", name=rendition.name,
                           duration=info.duration, width=info.width, height=info.height))
    if delivery.hls:
        hls = _hls_files(folder, delivery.hls, float(plan.canvas.fps))
        at = 0 if delivery.renditions[0].format == "hls" else len(files)
        files[at:at] = hls
    for index, still in enumerate(delivery.stills):
        width, height = still_size(still.width, canvas)
        files.append(_file(folder, f"stills/still-{index}.{still.format}", "still",
                           duration=still.time, width=width, height=height))
    thumbnails = delivery.thumbnails
    if thumbnails is not None:
        times = tile_times(thumbnails.every, length, plan.canvas.fps)
        tile = still_size(thumbnails.width, canvas)
        sprite = f"sprite.{thumbnails.format}"
        assemble_sprite(folder / THUMBNAIL_FRAMES, folder / "thumbnails" / sprite, tile,
                        len(times))
        (folder / "thumbnails/thumbnails.vtt").write_text(
            thumbnails_vtt(times, length, sprite, tile), encoding="utf-8")
        columns, rows = sheet_layout(len(times))
        files.append(_file(folder, f"thumbnails/{sprite}", "thumbnails",
                           width=tile[0] * columns, height=tile[1] * rows))
        files.append(_file(folder, "thumbnails/thumbnails.vtt", "thumbnails-index",
                           duration=length))
    if delivery.poster is not None:
        files.append(_file(folder, "poster.jpg", "poster", duration=delivery.poster,
                           width=canvas[0], height=canvas[1]))
    return files


async def render_delivery(plan: Plan, delivery: Delivery, folder: Path, *,
                          on_progress: ProgressCallback | None = None,
                          timeout: float | None = None,
                          settings: EngineSettings) -> DeliveryResult:
    """Render every file of `delivery` into `folder` (created; its files are replaced).
    Cancel the task to kill FFmpeg."""
    from services.render.measure import measure_loudness
    from services.render.runner import FFmpegStalled, run_ffmpeg

    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    work = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix=".vidgen-", dir=folder.parent))
    started = time.monotonic()
    limit = timeout if timeout is not None else settings.render_timeout
    sources = {layer.source: layer.element_id for layer in plan.layers if layer.source}
    sources.update({track.source: track.element_id for track in plan.audio})
    try:
        measured = None
        if plan.canvas.output.loudness is not None:
            measured = await measure_loudness(plan, work, ffmpeg_exe=settings.ffmpeg_exe(),
                                              timeout=limit,
                                              stall_after=settings.ffmpeg_stall_after)
        command = compile_delivery(plan, delivery, work, ffmpeg_exe=settings.ffmpeg_exe(),
                                   threads=settings.ffmpeg_threads, measured=measured)
        for sidecar, text in command.sidecars.items():
            sidecar.write_text(text, encoding="utf-8")
        for attempt in range(1, STALL_RETRIES + 2):
            try:
                await run_ffmpeg(command.args, duration=command.duration,
                                 on_progress=on_progress, sources=sources,
                                 timeout=max(0.1, limit - (time.monotonic() - started)),
                                 stall_after=settings.ffmpeg_stall_after)
                break
            except FFmpegStalled as exc:
                if attempt > STALL_RETRIES:
                    raise
                log.warning("delivery attempt %d: %s; running FFmpeg again", attempt, exc)
        files = await asyncio.to_thread(describe, work, delivery, plan, command.duration)
        await asyncio.to_thread(_move, work, folder)
    finally:
        await asyncio.shield(asyncio.to_thread(shutil.rmtree, work, True))
    return DeliveryResult(folder=folder, files=files, main=files[0],
                          duration=command.duration, seconds=time.monotonic() - started,
                          command=command.args)


def _move(work: Path, folder: Path) -> None:
    for entry in work.iterdir():
        if entry.name.startswith("."):
            continue  # the run's own sidecars (subtitles, a long filter graph)
        target = folder / entry.name
        if target.is_dir():
            shutil.rmtree(target)
        entry.replace(target)
