"""Pipeline benchmark: what the platform adds around the engine, and how fast ingest accepts.

    python3 bench/pipeline.py [--jobs 50] [--requests 5000] [--concurrency 64] [--broker kafka]

Starts the embedded stack (shared.devstack: pgserver Postgres, Tansu or Apache Kafka, moto
S3, the four services as processes on free loopback ports), then measures

a) pipeline overhead: one tiny job at a time is submitted with ``response: immediate``, so
   the POST returns when the API sees the job completed (the waiter's LISTEN, no polling);
   right before, the same spec is rendered in this process with the engine alone
   (``prepare`` + ``render``, FFmpeg included). overhead = end-to-end - engine, per job;
b) acceptance: ``--requests`` POST /v1/jobs with ``response: async`` from an async client
   with ``--concurrency`` requests in flight; every answer must be 202. Every service but
   ingest is stopped first (in production they run on other machines; here storage,
   metrics and the render worker would work off the accepted jobs on the two cores ingest
   is measured on), so this is ingest's own acceptance path: HTTP, validation, the
   Postgres transaction, the outbox relay to Kafka. The whole stack is stopped right
   after, so nothing keeps the machine busy once the script ends.

Prints the figures with their goals; exits 1 when a request failed (not when a goal is
missed). The services' output is kept in ``--log`` (default: a temp file, path printed).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OVERHEAD_GOAL_MS = 200.0
THROUGHPUT_GOAL = 1000.0


def tiny_spec(response: str, label: str = "bench") -> dict[str, Any]:
    """A job with no sources (nothing to download) that FFmpeg renders in a fraction of a
    second: a caption on a coloured 160x90 canvas, half a second long."""
    return {
        "output": {"format": "mp4", "width": 160, "height": 90, "fps": 12, "duration": 0.5,
                   "background": "#203040", "quality": {"preset": "ultrafast"}},
        "elements": [{"id": "caption", "type": "text", "text": label, "font_size": 20}],
        "response": response,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    goal: str = ""
    met: bool | None = None  # None: no goal for this figure

    @property
    def verdict(self) -> str:
        return "" if self.met is None else ("yes" if self.met else "NO")


def figures_table(figures: Sequence[Figure]) -> str:
    """A Markdown table (what the README's benchmark section shows)."""
    lines = ["| figure | value | goal | met |", "|---|---:|---|---|"]
    for fig in figures:
        value = f"{fig.value:,.0f}" if abs(fig.value) >= 100 else f"{fig.value:.1f}"
        lines.append(f"| {fig.name} | {value} {fig.unit} | {fig.goal} | {fig.verdict} |")
    return "\n".join(lines)


def overhead_figures(end_to_end: Sequence[float], engine: Sequence[float]) -> list[Figure]:
    """Seconds in, milliseconds out: overhead = end-to-end - engine of the same run."""
    overhead = [(e - r) * 1000 for e, r in zip(end_to_end, engine, strict=True)]
    p50 = percentile(overhead, 50)
    return [
        Figure("a) end-to-end p50", percentile(end_to_end, 50) * 1000, "ms"),
        Figure("a) engine alone p50", percentile(engine, 50) * 1000, "ms"),
        Figure("a) pipeline overhead p50", p50, "ms", f"≤ {OVERHEAD_GOAL_MS:.0f} ms",
               p50 <= OVERHEAD_GOAL_MS),
        Figure("a) pipeline overhead p99", percentile(overhead, 99), "ms"),
    ]


def acceptance_figures(latencies: Sequence[float], wall: float) -> list[Figure]:
    rate = len(latencies) / wall
    return [
        Figure("b) accepted (202) per second, ingest alone", rate, "jobs/s",
               f"≥ {THROUGHPUT_GOAL:,.0f}", rate >= THROUGHPUT_GOAL),
        Figure("b) acceptance latency p50", percentile(latencies, 50) * 1000, "ms"),
        Figure("b) acceptance latency p99", percentile(latencies, 99) * 1000, "ms"),
    ]


async def engine_seconds(spec: dict[str, Any], out_dir: Path) -> float:
    """The engine alone on `spec`: resolve it, compile, run FFmpeg into a file."""
    from services.render.engine import prepare, render
    from shared.composition import parse_job

    started = time.perf_counter()
    plan = prepare(parse_job(spec), lambda source: Path(source))
    await render(plan, out_dir / "engine.mp4")
    return time.perf_counter() - started


async def measure_overhead(api: str, jobs: int, out_dir: Path) -> tuple[list[float], list[float]]:
    """(end-to-end seconds, engine seconds) per job, one job at a time, interleaved."""
    end_to_end: list[float] = []
    engine: list[float] = []
    async with httpx.AsyncClient(base_url=api, timeout=120) as http:
        for index in range(jobs):
            spec = tiny_spec("immediate", f"job {index}")
            engine.append(await engine_seconds(spec, out_dir))
            started = time.perf_counter()
            response = await http.post("/v1/jobs", json=spec)
            took = time.perf_counter() - started
            body = response.json()
            if response.status_code != 200 or body.get("status") != "completed":
                raise RuntimeError(f"job {index}: HTTP {response.status_code} {body}")
            end_to_end.append(took)
    return end_to_end, engine


async def measure_acceptance(api: str, requests: int, concurrency: int) -> tuple[list[float],
                                                                                   float]:
    """(latency of each accepted request, wall seconds for all of them)."""
    spec = tiny_spec("async")
    latencies: list[float] = []
    pending = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(http: httpx.AsyncClient) -> None:
        for _ in pending:  # the shared iterator hands each request to one loop
            started = time.perf_counter()
            response = await http.post("/v1/jobs", json=spec)
            if response.status_code != 202:
                raise RuntimeError(f"HTTP {response.status_code}: {response.text[:300]}")
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(base_url=api, timeout=60, limits=limits) as http:
        await http.get("/readyz")  # the first connection is not part of the measurement
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(http) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, wall


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=50, help="jobs for the overhead (a)")
    parser.add_argument("--requests", type=int, default=5000, help="requests for (b)")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight (b)")
    parser.add_argument("--broker", choices=("tansu", "kafka"), default="tansu")
    parser.add_argument("--log", type=Path, help="where the services' output goes")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.requests < 1 or args.concurrency < 1:
        parser.error("--jobs, --requests and --concurrency must be at least 1")
    return args


def run(args: argparse.Namespace, work: Path) -> list[Figure]:
    from shared.devstack import DevStack, ServicePorts

    log_path = args.log or work / "services.log"
    print(f"services' output: {log_path}", file=sys.stderr)
    with log_path.open("w", encoding="utf-8") as log:
        stack = DevStack(ServicePorts.free(render_workers=1), broker=args.broker, output=log,
                         colour=False, workdir=work / "stack")
        with stack:
            print(f"stack up (API {stack.api_url}); (a) {args.jobs} jobs ...", file=sys.stderr)
            end_to_end, engine = asyncio.run(measure_overhead(stack.api_url, args.jobs, work))
            for process in stack.processes:
                if process.name != "ingest":
                    process.stop(10)
            print(f"(b) {args.requests} requests, {args.concurrency} in flight ...",
                  file=sys.stderr)
            latencies, wall = asyncio.run(
                measure_acceptance(stack.api_url, args.requests, args.concurrency))
    return overhead_figures(end_to_end, engine) + acceptance_figures(latencies, wall)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="vidgen-bench-") as tmp:
        try:
            figures = run(args, Path(tmp))
        except (RuntimeError, httpx.HTTPError) as exc:
            print(f"bench/pipeline.py: {exc}", file=sys.stderr)
            return 1
    print(f"\n{args.jobs} jobs (a), {args.requests} requests with {args.concurrency} "
          f"in flight (b), broker {args.broker}\n")
    print(figures_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
