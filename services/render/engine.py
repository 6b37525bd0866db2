"""The render engine's front door: spec + source locations → a finished file.

`prepare` probes every source and builds the Plan (all spec problems at once);
`render` compiles the Plan to one FFmpeg command and runs it into a temp file in the
output's directory, renamed into place only when FFmpeg succeeded.

The runner (asyncio) is imported by `render` itself: `vidgen render --dry-run` only
prepares and compiles, and does not pay for importing the event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from services.render.compiler import CompiledCommand, Streams, TimeRange, compile_plan
from services.render.loudness import Measured
from services.render.preview_output import PreviewOutput
from services.render.shapes import raster_folder, rasterise
from shared.composition import Job, Problem, SpecError
from shared.composition.budget import PixelLimits
from shared.composition.captions import read_capped, with_source_cues
from shared.composition.plan import Plan, build_plan
from shared.composition.spec import CaptionsElement, TextElement
from shared.composition.text import FONT_SUFFIXES
from shared.media.cube import CubeError, check_cube
from shared.media.probe import MediaInfo, ProbeError, probe
from shared.settings import EngineSettings

if TYPE_CHECKING:
    from services.render.runner import ProgressCallback

__all__ = [
    "Locate",
    "PreviewOutput",
    "ProbeSource",
    "RenderResult",
    "TimeRange",
    "compile_job",
    "prepare",
    "render",
    "render_sync",
]

log = logging.getLogger(__name__)
STALL_RETRIES = 2  # fresh FFmpeg runs after a stall (see runner.FFmpegStalled)

Locate = Callable[[str], Path]
"""Maps a `source` string of the spec to a local file (raises FileNotFoundError/ValueError)."""
ProbeSource = Callable[[Path], MediaInfo]
"""Describes one located source (raises ProbeError)."""


@dataclass(frozen=True)
class RenderResult:
    output: Path
    poster: Path | None
    duration: float
    size: int
    seconds: float
    command: list[str]


def prepare(job: Job, locate: Locate, *, settings: EngineSettings,
            probe_source: ProbeSource = probe, raster_dir: Path | None = None) -> Plan:
    """Locate and probe every source, then resolve the job; SpecError lists every problem.

    `probe_source` lets the CLI answer from probes it started early (see probe_ahead).
    Shapes and corner masks are drawn into `raster_dir` (a worker's render folder), by
    default into a cache that outlives the render (a dry run's command stays runnable).
    """
    media: dict[str, MediaInfo] = {}
    fonts: dict[str, Path] = {}
    luts: dict[str, Path] = {}
    problems: list[Problem] = []
    for index, element in enumerate(job.elements):
        lut = getattr(element, "lut", None)
        if lut is not None and lut not in luts:
            try:
                luts[lut] = _checked_lut(locate(lut), settings.max_lut_bytes)
            except (OSError, ValueError) as exc:
                message = str(exc) if isinstance(exc, CubeError) else f"cannot use LUT: {exc}"
                problems.append(Problem(f"elements[{index}].lut", message))
        if isinstance(element, TextElement | CaptionsElement):
            if element.font.lower().endswith(FONT_SUFFIXES):
                try:
                    fonts[element.font] = locate(element.font)
                except (OSError, ValueError) as exc:
                    problems.append(Problem(f"elements[{index}].font", str(exc)))
            continue
        source = getattr(element, "source", None)  # a shape has none
        if source is None or source in media:
            continue
        try:
            media[source] = probe_source(locate(source))
        except (OSError, ValueError) as exc:
            message = str(exc) if isinstance(exc, ProbeError) else f"cannot use source: {exc}"
            problems.append(Problem(f"elements[{index}].source", message))
    try:
        job = with_source_cues(job, lambda source: read_capped(locate(source)))
    except SpecError as exc:
        problems += exc.problems
    if problems:
        raise SpecError(problems)

    def folder() -> Path:
        return raster_dir or raster_folder(settings.work_dir)

    luts = {lut: _cube_named(path, folder) for lut, path in luts.items()}
    plan = build_plan(job, media, fonts, PixelLimits(settings.max_element_pixels,
                                                     settings.max_job_pixels), luts)
    return rasterise(plan, folder)


def _checked_lut(path: Path, max_bytes: int) -> Path:
    check_cube(path, max_bytes)
    return path


def _cube_named(path: Path, folder: Callable[[], Path]) -> Path:
    """FFmpeg's lut3d picks its parser by the file's extension, and a LUT a worker got as an
    asset (uploaded, or from a URL without one) has none: it is linked under a `.cube` name
    in the render's drawing folder (the file itself was checked as a .cube above)."""
    if path.suffix.lower() == ".cube":
        return path
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    target = path.resolve()
    link = where / f"lut-{hashlib.sha256(str(target).encode()).hexdigest()[:16]}.cube"
    with contextlib.suppress(FileExistsError):  # made by an earlier render of the same file
        link.symlink_to(target)
    return link


def compile_job(
    plan: Plan,
    output: Path,
    *,
    time_range: TimeRange | None = None,
    poster: Path | None = None,
    preview: PreviewOutput | None = None,
    settings: EngineSettings,
    measured: Measured | None = None,
    only: Streams = "all",
) -> CompiledCommand:
    return compile_plan(
        plan,
        output,
        ffmpeg_exe=settings.ffmpeg_exe(),
        time_range=time_range,
        poster=poster,
        threads=settings.ffmpeg_threads,
        measured=measured,
        preview=preview,
        only=only,
    )


async def render(
    plan: Plan,
    output: Path,
    *,
    time_range: TimeRange | None = None,
    poster: Path | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
    preview: PreviewOutput | None = None,
    settings: EngineSettings,
    only: Streams = "all",
) -> RenderResult:
    """Render `plan` to `output` (atomically). Cancel the task to kill FFmpeg.

    `preview`: a still or a small mp4 of `time_range` instead (see preview_output)."""
    import tempfile

    from services.render.measure import measure_loudness
    from services.render.runner import FFmpegStalled, RenderTimeout, run_ffmpeg

    output.parent.mkdir(parents=True, exist_ok=True)
    suffix = output.suffix or f".{plan.canvas.output.format}"
    fd, temp_name = tempfile.mkstemp(prefix=".vidgen-", suffix=suffix, dir=output.parent)
    os.close(fd)
    temp = Path(temp_name)
    temp_poster = poster.with_name(f".vidgen-{temp.stem}.jpg") if poster else None
    sources = {layer.source: layer.element_id for layer in plan.layers if layer.source}
    sources.update({track.source: track.element_id for track in plan.audio})
    started = time.monotonic()
    command: CompiledCommand | None = None
    limit = timeout if timeout is not None else settings.render_timeout
    try:
        measured = None
        # A preview is quick instead: a still has no sound, a clip normalises in one pass;
        # a split render's video slices have no sound either.
        if (plan.canvas.output.loudness is not None and plan.canvas.output.format != "gif"
                and preview is None and only != "video"):
            measured = await measure_loudness(plan, output.parent,
                                              ffmpeg_exe=settings.ffmpeg_exe(), timeout=limit,
                                              stall_after=settings.ffmpeg_stall_after)
        # inside the try: a plan that does not compile (e.g. an empty range) leaves no temp
        command = compile_job(plan, temp, time_range=time_range, poster=temp_poster,
                              preview=preview, settings=settings, measured=measured,
                              only=only)
        for sidecar, text in command.sidecars.items():
            sidecar.write_text(text, encoding="utf-8")

        def elapsed() -> float:
            return time.monotonic() - started

        for attempt in range(1, STALL_RETRIES + 2):
            try:
                await run_ffmpeg(
                    command.args,
                    duration=command.duration,
                    outputs=[temp] + ([temp_poster] if temp_poster else []),
                    on_progress=on_progress,
                    timeout=max(0.1, limit - elapsed()),  # the loudness pass counts too
                    sources=sources,
                    stall_after=settings.ffmpeg_stall_after,
                )
                break
            except RenderTimeout as exc:  # named by the render's limit, not what was left
                raise RenderTimeout(f"render exceeded its time limit of {limit:g} s",
                                    stderr_tail=exc.stderr_tail, returncode=None) from None
            except FFmpegStalled as exc:
                if attempt > STALL_RETRIES:
                    raise
                log.warning("render attempt %d: %s; running FFmpeg again", attempt, exc)
    # The file calls below stay on the loop (ASYNC240): metadata calls on the work
    # directory's own files, with no await between FFmpeg's exit and the rename, so a
    # cancel can never leave a renamed output behind a cancelled render.
    except BaseException:
        temp.unlink(missing_ok=True)  # noqa: ASYNC240
        raise
    finally:
        for sidecar in command.sidecars if command is not None else ():
            sidecar.unlink(missing_ok=True)
    temp.chmod(0o644)  # noqa: ASYNC240 (mkstemp creates 0600; the output is an ordinary file)
    temp.replace(output)  # noqa: ASYNC240
    written_poster = None
    if command.poster is not None and temp_poster is not None and poster is not None:
        temp_poster.replace(poster)
        written_poster = poster
    return RenderResult(
        output=output,
        poster=written_poster,
        duration=command.duration,
        size=output.stat().st_size,  # noqa: ASYNC240
        seconds=time.monotonic() - started,
        command=command.args,
    )


def render_sync(plan: Plan, output: Path, **kwargs: object) -> RenderResult:
    """Blocking wrapper for scripts and benchmarks."""
    import asyncio

    return asyncio.run(render(plan, output, **kwargs))  # type: ignore[arg-type]

