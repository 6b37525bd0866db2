"""`vidgen submit SPEC.json`: upload local sources, submit, optionally wait and download.

With `-o promo.mp4`, a spec that asks for a poster also gets it saved beside the video, as
`promo.jpg` (the storage service serves it at the result URL + `/poster`, before the
query of a signed URL). `--api-key` (VIDGEN_API_KEY) goes with the uploads, the job and
its polls, never with the downloads (which may be redirected to S3). The API's
warnings (valid, but surely not meant) are printed as `warning: path: message`.

`vidgen submit A.json B.json ...` submits several specs in one request (many.py);
`vidgen submit --template ID --csv rows.csv` makes one job per row instead (batch.py).

Exit codes: 0 submitted (or, with --wait, completed); 1 the job failed, was cancelled,
timed out, or the platform could not be reached; 2 the spec is invalid (one
``path: message`` line per problem, from the local check or from the API's 422).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vidgen_sdk
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from shared.client.api import Unreachable, VidgenClient, problems_from_body
from shared.client.batch import submit_rows
from shared.client.templates import add_client_options, client_from
from shared.composition import Problem, SpecError, parse_job

__all__ = ["Outcome", "add_commands", "poster_path", "poster_url", "submit_spec"]


@dataclass(frozen=True)
class Outcome:
    """How one submission ended: the exit code and what is known about the job."""

    code: int
    job_id: str | None = None
    status: str | None = None
    result_url: str | None = None
    output: Path | None = None
    poster: Path | None = None


def add_commands(commands: Any) -> None:
    cmd = commands.add_parser("submit", help="submit a spec to the platform (uploads local files)")
    cmd.add_argument("spec", type=Path, nargs="*",
                     help="the job JSON (local sources: relative to it); several are sent "
                          "in one request")
    add_client_options(cmd)
    cmd.add_argument("--template", help="a stored template's ID[@version]: one job per --csv row")
    cmd.add_argument("--csv", type=Path, help="rows of merge fields (columns `id.prop`: "
                     "modifications), with --template")
    cmd.add_argument("--wait", action="store_true", help="wait until the job ends")
    cmd.add_argument("-o", "--output",
                     help="save the result here, and its poster (if any) beside it as .jpg "
                          "(implies --wait); with --csv a pattern: 'out/{row}.mp4'")
    cmd.add_argument("--timeout", type=float, default=900.0,
                     help="seconds to wait for the job (default: %(default)s)")
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    cmd.set_defaults(handler=_submit_command)


def _submit_command(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    if (not args.spec) == (args.template is None) or (args.template is None) != (
            args.csv is None):
        _say(console, "vidgen submit: give SPEC files, or --template ID with --csv ROWS")
        return 2
    if len(args.spec) > 1 and args.output is not None:
        _say(console, "vidgen submit: -o saves one spec's video; use --wait with several")
        return 2
    with client_from(args) as client:
        if args.template is not None:
            return submit_rows(client, args.template, args.csv,
                               wait=args.wait or args.output is not None, output=args.output,
                               timeout=args.timeout, console=console, quiet=args.quiet)[0]
        if len(args.spec) > 1:
            from shared.client.many import submit_specs  # it imports this module

            return submit_specs(args.spec, client, wait=args.wait, timeout=args.timeout,
                                console=console, quiet=args.quiet)[0]
        outcome = submit_spec(args.spec[0], client, wait=args.wait or args.output is not None,
                              output=None if args.output is None else Path(args.output),
                              timeout=args.timeout, console=console, quiet=args.quiet)
    return outcome.code


def _say(console: Console, text: str) -> None:
    """A plain line: no markup, no highlighting, never wrapped (logs are grepped)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"{problem.path}: {problem.message}", file=sys.stderr)


def _problems(error: vidgen_sdk.InvalidJobError) -> list[Problem]:
    return [Problem(problem.path, problem.message) for problem in error.problems]


def _failure(error: vidgen_sdk.VidgenError) -> str:
    """The SDK's error, with the hint on starting a platform when none answered."""
    if isinstance(error, vidgen_sdk.UnreachableError):
        return str(Unreachable(error.url, error.reason))
    return str(error)


def _prepare(spec_path: Path, client: VidgenClient) -> tuple[dict[str, Any], bool]:
    """Read and check the spec locally, then upload its local files (SDK). Raises SpecError
    or the SDK's InvalidJobError (a local file that is missing).

    Returns the spec to submit and whether it asks for a poster."""
    try:
        text = spec_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([Problem("$", f"cannot read {spec_path}: {exc.strerror or exc}")]) from None
    job = parse_job(text)  # every problem at once, before anything is uploaded
    document: dict[str, Any] = json.loads(text)
    spec = client.sdk.upload_sources(document, spec_path.parent)
    spec["response"] = "async"
    return spec, job.output.poster is not None


def poster_path(output: Path) -> Path:
    """Where the poster of `output` is saved: beside it, `promo.mp4` → `promo.jpg`."""
    beside = output.with_suffix(".jpg")
    return beside if beside != output else output.with_name(f"{output.stem}.poster.jpg")


def submit_spec(
    spec_path: Path,
    client: VidgenClient,
    *,
    wait: bool = True,
    output: Path | None = None,
    timeout: float = 900.0,
    console: Console | None = None,
    quiet: bool = False,
    watchdog: Callable[[], None] | None = None,
) -> Outcome:
    """Submit one spec file; with ``wait``, follow it to the end (and save it to ``output``).
    Every call to the platform goes through the SDK (`client.sdk`).

    ``watchdog`` is called on every poll; what it raises ends the wait (the demo uses it to
    notice a service that died instead of waiting for the timeout).
    """
    console = console or Console(stderr=True)
    try:
        spec, wants_poster = _prepare(spec_path, client)
        accepted = client.sdk.submit(spec)
    except SpecError as exc:
        _print_problems(exc.problems)
        return Outcome(2)
    except vidgen_sdk.InvalidJobError as exc:
        _print_problems(_problems(exc))
        return Outcome(2)
    except vidgen_sdk.VidgenError as exc:
        _say(console, f"submit failed: {_failure(exc)}")
        return Outcome(1)
    job_id = accepted.job_id
    _say(console, f"job {job_id} {accepted.status or 'accepted'} "
                  f"({client.api_url}/v1/jobs/{job_id})")
    warnings = accepted.raw.get("warnings")
    for warning in problems_from_body({"errors": warnings}) if warnings else []:
        _say(console, f"warning: {warning.path}: {warning.message}")
    if not wait:
        return Outcome(0, job_id, accepted.status)
    poster = poster_path(output) if output is not None and wants_poster else None
    return _follow(client, job_id, accepted, output=output, poster=poster, timeout=timeout,
                   console=console, quiet=quiet, watchdog=watchdog)


def _follow(client: VidgenClient, job_id: str, accepted: vidgen_sdk.JobStatus, *,
            output: Path | None, poster: Path | None, timeout: float, console: Console,
            quiet: bool, watchdog: Callable[[], None] | None) -> Outcome:
    try:
        if accepted.status == "completed" and accepted.result_url:
            status = accepted
        else:
            status = _wait_with_progress(client, job_id, timeout, console, quiet, watchdog)
    except TimeoutError as exc:
        _say(console, f"gave up waiting: {exc}")
        return Outcome(1, job_id, "waiting")
    except vidgen_sdk.VidgenError as exc:
        _say(console, f"lost the job: {_failure(exc)}")
        return Outcome(1, job_id)
    state = status.status
    if state != "completed":
        _say(console, f"job {job_id} {state}: {status.error_code or '-'}: "
                      f"{status.error_message or 'no message'}")
        return Outcome(1, job_id, state)
    result_url = _absolute(status.result_url or "", client.storage_url)
    print(result_url)
    if output is None:
        return Outcome(0, job_id, state, result_url)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        size = client.sdk.download(result_url, output)
        _say(console, f"saved {output} ({size / 1e6:.2f} MB)")
        if poster is not None:
            size = client.sdk.download(poster_url(result_url), poster)
            _say(console, f"saved {poster} (poster, {size / 1e3:.0f} kB)")
    except (vidgen_sdk.VidgenError, OSError) as exc:
        _say(console, f"download failed: {exc}")
        return Outcome(1, job_id, state, result_url)
    return Outcome(0, job_id, state, result_url, output, poster)


def poster_url(result_url: str) -> str:
    """The poster of a result: ``/poster`` after the path, before a signed URL's query."""
    path, mark, query = result_url.partition("?")
    return f"{path}/poster{mark}{query}"


def _absolute(url: str, base: str) -> str:
    return f"{base}{url}" if url.startswith("/") else url


def _wait_with_progress(client: VidgenClient, job_id: str, timeout: float, console: Console,
                        quiet: bool,
                        watchdog: Callable[[], None] | None) -> vidgen_sdk.JobStatus:
    """Poll the job; a progress bar on a terminal, a line per step otherwise."""
    columns = (TextColumn("{task.description:<12}"), BarColumn(), TaskProgressColumn(),
               TimeElapsedColumn())
    show_bar = console.is_terminal and not quiet
    seen: list[tuple[str, str]] = []
    with Progress(*columns, console=console, disable=not show_bar) as bar:
        task = bar.add_task(job_id[:8], total=100)

        def update(status: vidgen_sdk.JobStatus) -> None:
            if watchdog is not None:
                watchdog()
            step = status.current_step or status.status
            progress = status.progress or 0
            bar.update(task, completed=progress, description=step)
            key = (status.status, step)
            if not show_bar and not quiet and (not seen or seen[-1] != key):
                seen.append(key)
                _say(console, f"job {job_id[:8]}: {key[0]} ({step}, {progress:g}%)")

        return client.sdk.wait(job_id, timeout=timeout, interval=client.poll_interval,
                               on_progress=update)
