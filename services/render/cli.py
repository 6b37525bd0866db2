"""`vidgen render` (one spec to one file, locally) and `vidgen render-examples` (every
example, locally, without the platform; `vidgen demo` runs them through the platform).

Exit codes: 0 rendered, 2 the spec is invalid (one `path: message` line per problem),
1 the render failed. Never a traceback for a user's mistake. A valid spec that is surely
not what was meant (an element after the output's end) renders, with a `warning:` line.

Without `-o`, the file goes to the current directory (as `curl -O` and `wget` do), not
next to the spec: rendering an example does not write into the repository's examples/.

A spec with `outputs`, `stills` or `thumbnails` writes a folder, not a file: `-o` names it
(a suffix is dropped: `-o promo.mp4` writes `promo/`), by default SPEC-NAME/ in the current
directory. Inside, the same paths as under the job's folder in S3 (`hd.mp4`,
`hls/master.m3u8`, `stills/still-0.jpg`, `thumbnails/sprite.jpg`...); one line per file.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.render.probe_ahead import ProbeAhead
from services.render.template_input import is_template_file, template_spec

if TYPE_CHECKING:
    from services.render.engine import TimeRange
    from services.render.runner import Progress as RenderProgress
    from shared.composition import SpecError
    from shared.composition.plan import Plan
    from shared.composition.preview import PreviewParams
    from shared.settings import EngineSettings

__all__ = ["add_commands", "local_locator"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def local_locator(base: Path) -> Any:
    """Sources in a CLI spec are local files, relative to the spec's folder."""

    def locate(source: str) -> Path:
        if "://" in source:
            scheme = source.split("://", 1)[0]
            if scheme != "file":
                raise ValueError(
                    f"the CLI renders local files; {scheme}:// sources go through the platform "
                    "(vidgen submit)"
                )
            source = source.split("://", 1)[1]
        path = Path(source).expanduser()
        path = path if path.is_absolute() else base / path
        if not path.is_file():
            raise FileNotFoundError(f"file not found: {source}")
        return path.resolve()

    return locate


def add_commands(commands: Any) -> None:
    cmd = commands.add_parser("render", help="render a composition spec to a video file")
    cmd.add_argument("spec", type=Path, help="the job JSON (sources: paths relative to it)")
    cmd.add_argument("-o", "--output", type=Path,
                     help="output file (default: SPEC-NAME.<format> in the current directory)")
    cmd.add_argument("--poster", type=Path, help="write the poster JPEG here")
    cmd.add_argument("--dry-run", action="store_true", help="print the FFmpeg command only")
    cmd.add_argument("--from", dest="t0", type=float, help="render from this second")
    cmd.add_argument("--to", dest="t1", type=float, help="render up to this second")
    cmd.add_argument("--frame", type=float, metavar="SECONDS",
                     help="write only the frame at this time, as a PNG (or JPEG: -o f.jpg)")
    cmd.add_argument("--scale", type=float, help="a --frame or --from/--to preview at this "
                     "fraction of the canvas size (0 < scale <= 1; a range becomes a small mp4)")
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    cmd.add_argument("--merge", action="append", default=[], metavar="NAME=VALUE",
                     help="a template's merge field (repeatable)")
    cmd.add_argument("--set", action="append", default=[], metavar="ID.PROP=VALUE",
                     help="replace an element's property (repeatable; {...}/[...] is JSON)")
    cmd.add_argument("--data", type=Path,
                     help="a JSON object of merge fields and `id.prop` modifications")
    cmd.set_defaults(handler=_render_command, exit_fast=True)

    demo = commands.add_parser("render-examples",
                               help="render the bundled examples locally (no platform)")
    demo.add_argument("-o", "--output-dir", type=Path, default=Path("demo-output"))
    demo.set_defaults(handler=_demo_command)


def _print_problems(error: SpecError) -> None:
    for problem in error.problems:
        print(f"{problem.path}: {problem.message}", file=sys.stderr)


def render_spec(spec_path: Path, output: Path, *, poster: Path | None = None,
                dry_run: bool = False, time_range: TimeRange | None = None,
                quiet: bool = False, text: str | None = None,
                preview: PreviewParams | None = None) -> int:
    """Validate, plan and render one spec file (or `text`, a spec whose sources are
    relative to `spec_path`'s folder); returns the process exit code.

    The sources are probed by a child started before the engine is imported (see
    probe_ahead): on two cores, probing and the CLI's own start-up overlap.
    """
    try:
        text = spec_path.read_text(encoding="utf-8") if text is None else text
    except OSError as exc:
        print(f"cannot read {spec_path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    locate = local_locator(spec_path.parent)
    with ProbeAhead.start(text, locate) as ahead:
        from services.render.engine import compile_job, prepare
        from shared.composition import SpecError, parse_job
        from shared.settings import engine_settings

        settings = engine_settings()  # the command's settings, read once
        try:
            job = parse_job(text)
            plan = prepare(job, locate, settings=settings, probe_source=ahead.probe)
        except SpecError as exc:
            _print_problems(exc)
            return 2
    for warning in job.warnings():
        print(f"warning: {warning.path}: {warning.message}", file=sys.stderr)
    if preview is not None:
        return render_preview(plan, output, preview, settings, dry_run=dry_run)
    from services.render.renditions import delivers

    if delivers(job):
        from services.render.local_delivery import deliver_locally

        return deliver_locally(job, plan, output.with_suffix(""), dry_run=dry_run,
                               sliced=time_range is not None, settings=settings)
    if poster is None and job.output.poster is not None:
        poster = output.with_suffix(".jpg")
    if dry_run:
        try:
            command = compile_job(plan, output, time_range=time_range, poster=poster,
                                  settings=settings)
        except ValueError as exc:  # e.g. an empty --from/--to range: as a real run reports it
            print(f"render failed: {exc}", file=sys.stderr)
            return 1
        print(command.shell())
        for sidecar in command.sidecars:  # e.g. the soft subtitles, written by a real run
            print(f"note: a render writes {sidecar} first", file=sys.stderr)
        if plan.canvas.output.loudness is not None and plan.canvas.output.format != "gif":
            print("note: a render meters the mix's loudness first and applies one gain "
                  "instead of loudnorm", file=sys.stderr)
        return 0
    # Imported here: a dry run starts no event loop and runs no FFmpeg.
    import asyncio

    from services.render.runner import FFmpegError

    try:
        result = asyncio.run(_render_with_bar(plan, output, poster, time_range, quiet,
                                              settings))
    except (FFmpegError, ValueError, OSError) as exc:
        print(f"render failed: {exc}", file=sys.stderr)
        return 1
    extra = f", poster {result.poster}" if result.poster else ""
    print(f"{result.output} ({result.size / 1e6:.2f} MB, {result.duration:.2f} s of video, "
          f"rendered in {result.seconds:.2f} s{extra})")
    return 0


async def _render_with_bar(plan: Any, output: Path, poster: Path | None,
                           time_range: TimeRange | None, quiet: bool,
                           settings: EngineSettings) -> Any:
    from services.render.engine import render

    if quiet or not sys.stderr.isatty():
        return await render(plan, output, poster=poster, time_range=time_range,
                            settings=settings)
    # Imported here: a quiet render (scripts, benchmarks) does not pay for rich's start-up.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    err = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[speed]}"), TimeRemainingColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task(f"rendering {output.name}", total=1.0, speed="")

        def update(progress: RenderProgress) -> None:
            speed = f"{progress.speed:.2f}x" if progress.speed else ""
            bar.update(task, completed=progress.fraction, speed=speed)

        return await render(plan, output, poster=poster, time_range=time_range,
                            on_progress=update, settings=settings)


def _render_command(args: argparse.Namespace) -> int:
    spec: Path = args.spec
    output = args.output
    text = None
    if args.merge or args.set or args.data or is_template_file(spec):
        from shared.composition import SpecError

        try:
            text = template_spec(spec, args.merge, args.set, args.data)
        except SpecError as exc:
            _print_problems(exc)
            return 2
    if output is None:
        try:
            document = json.loads(text or spec.read_text(encoding="utf-8"))
            fmt = document.get("output", {}).get("format", "mp4")
        except (OSError, ValueError, AttributeError):
            fmt = "mp4"
        if args.frame is not None:
            fmt = "png"
        output = Path.cwd() / f"{spec.stem}.{fmt}"  # absolute: the summary says where
    preview = _preview_params(args, output)
    if isinstance(preview, int):
        return preview
    if preview is not None:
        return render_spec(spec, output, dry_run=args.dry_run, quiet=args.quiet, text=text,
                           preview=preview)
    time_range = None
    if args.t0 is not None or args.t1 is not None:
        from services.render.engine import TimeRange

        time_range = TimeRange(args.t0 or 0.0, args.t1 if args.t1 is not None else float("inf"))
    return render_spec(spec, output, poster=args.poster, dry_run=args.dry_run,
                       time_range=time_range, quiet=args.quiet, text=text)


def _preview_params(args: argparse.Namespace, output: Path) -> PreviewParams | int | None:
    """--frame (or --scale with a range) as a preview's parameters; 2 after printing the
    problems; None for an ordinary render."""
    if args.frame is None and args.scale is None:
        return None
    from shared.composition.preview import PreviewParams, request_problems

    still = "jpeg" if output.suffix.lower() in (".jpg", ".jpeg") else "png"
    params = PreviewParams(time=args.frame, start=args.t0, end=args.t1,
                           scale=1.0 if args.scale is None else args.scale, format=still)
    if args.frame is None and args.t0 is None and args.t1 is None:
        params = params.model_copy(update={"start": 0.0})
    if args.frame is None and params.end is None:
        params = params.model_copy(update={"end": float("inf")})
    problems = request_problems(params, float("inf"))
    for problem in problems:
        flag = {"time": "--frame", "from": "--from", "to": "--to"}.get(problem.path,
                                                                       f"--{problem.path}")
        print(f"{flag}: {problem.message}", file=sys.stderr)
    return 2 if problems else params


def render_preview(plan: Plan, output: Path, params: PreviewParams, settings: EngineSettings,
                   *, dry_run: bool = False) -> int:
    """A frame (or a small clip) of `plan` into `output`, as the API's previews render it."""
    import asyncio

    from services.render.engine import compile_job, render
    from services.render.preview_plan import preview_of
    from services.render.runner import FFmpegError
    from shared.composition import SpecError

    if params.end is not None and math.isinf(params.end):
        params = params.model_copy(update={"end": float(plan.canvas.duration)})
    try:
        time_range, kind = preview_of(params, plan)
    except SpecError as exc:
        for problem in exc.problems:
            flag = {"time": "--frame", "from": "--from", "to": "--to"}.get(problem.path)
            print(f"{flag or problem.path}: {problem.message}", file=sys.stderr)
        return 2
    if dry_run:
        print(compile_job(plan, output, time_range=time_range, preview=kind,
                          settings=settings).shell())
        return 0
    try:
        result = asyncio.run(render(plan, output, time_range=time_range, preview=kind,
                                    settings=settings))
    except (FFmpegError, ValueError, OSError) as exc:
        print(f"render failed: {exc}", file=sys.stderr)
        return 1
    print(f"{result.output} ({result.size / 1e3:.1f} kB, rendered in {result.seconds:.2f} s)")
    return 0


def _demo_command(args: argparse.Namespace) -> int:
    out_dir: Path = args.output_dir
    specs = sorted(EXAMPLES.glob("*.json"))
    if not specs:
        print(f"no examples found in {EXAMPLES}", file=sys.stderr)
        return 1
    worst = 0
    for spec in specs:
        fmt = json.loads(spec.read_text(encoding="utf-8")).get("output", {}).get("format", "mp4")
        code = render_spec(spec, out_dir / f"{spec.stem}.{fmt}")
        worst = max(worst, code)
    return worst
