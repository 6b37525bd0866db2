"""`vidgen demo`: start the platform, submit every example through its HTTP API, wait for
each, save the videos (and the posters the specs ask for, beside them), render the example
template once per row of its CSV (template_demo.py), check them with PyAV, stop the
platform.

Exit 0 only when every example completed and its file is a valid video of the size the
spec asks for. The services' output goes to ``<output-dir>/devstack.log``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from shared.client.api import VidgenClient
from shared.client.cli import submit_spec
from shared.composition import SpecError, parse_job
from shared.devstack.infra import BrokerChoice
from shared.devstack.lifecycle import STACK_ERRORS, stop_quietly
from shared.devstack.stack import DevStack, ServicePorts
from shared.devstack.template_demo import render_template_example
from shared.media.probe import ProbeError, probe

__all__ = ["EXAMPLES", "check_poster", "check_video", "run_demo"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class _Result:
    spec: Path
    output: Path
    problem: str | None
    poster: Path | None = None


def check_video(path: Path, spec_path: Path) -> str | None:
    """Why ``path`` is not the video ``spec_path`` asks for (None: it is)."""
    try:
        output = parse_job(spec_path.read_text(encoding="utf-8")).output
        info = probe(path)
    except (OSError, SpecError, ProbeError) as exc:
        return str(exc)
    if not info.has_video or info.is_image:
        return "no video stream"
    if (info.width, info.height) != (output.width, output.height):
        return f"{info.width}x{info.height}, expected {output.width}x{output.height}"
    if not info.duration or info.duration <= 0:
        return "no duration"
    return None


def check_poster(path: Path, spec_path: Path) -> str | None:
    """Why ``path`` is not the poster ``spec_path`` asks for (None: it is)."""
    try:
        output = parse_job(spec_path.read_text(encoding="utf-8")).output
        info = probe(path)
    except (OSError, SpecError, ProbeError) as exc:
        return f"poster: {exc}"
    if not info.is_image or (info.width, info.height) != (output.width, output.height):
        return f"poster: not a {output.width}x{output.height} still image"
    return None


def _output_name(spec: Path) -> str:
    try:
        fmt = json.loads(spec.read_text(encoding="utf-8")).get("output", {}).get("format", "mp4")
    except (OSError, ValueError, AttributeError):
        fmt = "mp4"
    return f"{spec.stem}.{fmt}"


def _submit_all(stack: DevStack, specs: list[Path], out_dir: Path, timeout: float,
                console: Console) -> list[_Result]:
    results = []
    with VidgenClient(stack.api_url, stack.storage_url) as client:
        for spec in specs:
            console.print(f"\n[bold]{spec.name}[/bold]")
            output = out_dir / _output_name(spec)
            outcome = submit_spec(spec, client, wait=True, output=output, timeout=timeout,
                                  console=console, watchdog=stack.check)
            problem = (f"job ended with exit code {outcome.code} ({outcome.status})"
                       if outcome.code else check_video(output, spec))
            if problem is None and outcome.poster is not None:
                problem = check_poster(outcome.poster, spec)
            results.append(_Result(spec, output, problem, outcome.poster))
    return results


def run_demo(out_dir: Path, *, render_workers: int = 1, broker: BrokerChoice = "tansu",
             timeout: float = 300.0, ready_timeout: float = 120.0,
             examples: Path = EXAMPLES) -> int:
    """Run the demo; return the exit code."""
    console = Console(stderr=True)
    specs = sorted(examples.glob("*.json"))
    if not specs:
        console.print(f"no examples found in {examples}", markup=False, soft_wrap=True)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "devstack.log"
    with log_path.open("w", encoding="utf-8") as log:
        stack = DevStack(ServicePorts.free(render_workers), broker=broker, output=log,
                         colour=False, ready_timeout=ready_timeout)
        try:
            stack.start()
            console.print(f"platform up: API {stack.api_url}, storage {stack.storage_url} "
                          f"(service logs: {log_path})", markup=False, soft_wrap=True)
            results = _submit_all(stack, specs, out_dir, timeout, console)
            with VidgenClient(stack.api_url, stack.storage_url) as client:  # a template, by CSV
                results += [_Result(Path(name), output, problem) for name, output, problem
                            in render_template_example(client, out_dir, timeout, console)]
        except KeyboardInterrupt:
            console.print("interrupted", markup=False, soft_wrap=True)
            return 130
        except STACK_ERRORS as exc:
            console.print(f"vidgen demo: {exc}\n(service logs: {log_path})", markup=False,
                          soft_wrap=True)
            return 1
        finally:
            stop_quietly(stack)
    console.print()
    for result in results:
        poster = f" + poster {result.poster.name}" if result.poster else ""
        verdict = f"FAILED: {result.problem}" if result.problem else f"ok  {result.output}{poster}"
        console.print(f"{result.spec.name:<28} {verdict}", markup=False, soft_wrap=True)
    return 1 if any(result.problem for result in results) else 0
