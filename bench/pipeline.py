"""Pipeline benchmark: what the platform adds around the engine, and how fast ingest accepts.

    python3 bench/pipeline.py [--jobs 50] [--requests 5000] [--concurrency 64]
                              [--batch-jobs 20000] [--replicas 2] [--broker kafka]
                              [--only a,b,c,d]

Starts the embedded stack (shared.devstack: pgserver Postgres, Tansu or Apache Kafka, moto
S3, the four services as processes on free loopback ports), then measures

a) pipeline overhead: one tiny job at a time is submitted with ``response: immediate``, so
   the POST returns when the API sees the job completed (the waiter's LISTEN, no polling);
   right before, the same spec is rendered in this process with the engine alone
   (``prepare`` + ``render``, FFmpeg included). overhead = end-to-end - engine, per job;
b) HTTP acceptance: ``--requests`` POST /v1/jobs with ``response: async`` from an async
   client with ``--concurrency`` requests in flight; every answer must be 202;
c) Kafka acceptance: ``--requests`` JobRequests published at once on the requests topic
   (how upstream systems submit); a job is accepted when its row exists;
d) batch acceptance: ``--batch-jobs`` jobs through POST /v1/jobs/batch, 1,000 a request
   (VIDGEN_MAX_BATCH's default), ``--batch-concurrency`` requests in flight; every job must
   come back ``created``; the figure is jobs (not requests) per second.

``--only`` measures some of them (``--only d``: the stack, then just the batch figure).
For (b), (c) and (d) every service but ingest is stopped first (in production they run on other
machines; here they would work off the accepted jobs on the two cores ingest is measured
on), so this is ingest's own acceptance path: HTTP or Kafka, validation, the Postgres
transaction, the outbox relay to Kafka. Both run with 1 ingest, then again with each
further replica up to ``--replicas`` (they share the consumer groups; the HTTP client
spreads its connections over them). The whole stack is stopped right after, so nothing
keeps the machine busy once the script ends.

Prints the figures with their goals; exits 1 when a request failed (not when a goal is
missed). The services' output is kept in ``--log`` (default: a temp file, path printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import aiohttp
import asyncpg
import httpx

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.events import JobRequest
from shared.settings import PlatformSettings

OVERHEAD_GOAL_MS = 200.0
THROUGHPUT_GOAL = 1000.0
BATCH_GOAL = 20_000.0
BATCH_SIZE = 1000
FIGURES = ("a", "b", "c", "d")


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


def acceptance_figures(label: str, latencies: Sequence[float], wall: float) -> list[Figure]:
    rate = len(latencies) / wall
    return [
        Figure(f"{label} accepted per second", rate, "jobs/s",
               f"≥ {THROUGHPUT_GOAL:,.0f}", rate >= THROUGHPUT_GOAL),
        Figure(f"{label} acceptance latency p50", percentile(latencies, 50) * 1000, "ms"),
        Figure(f"{label} acceptance latency p99", percentile(latencies, 99) * 1000, "ms"),
    ]


def batch_figures(label: str, jobs: int, latencies: Sequence[float], wall: float,
                  ingest_cpu: float) -> list[Figure]:
    """Jobs accepted per second through the batch endpoint, each request's latency, and
    the ingest processes' CPU seconds per job: on a shared machine the rate says how much
    CPU ingest got, the CPU per job what the path costs."""
    rate = jobs / wall
    return [
        Figure(f"{label} accepted per second", rate, "jobs/s", f"≥ {BATCH_GOAL:,.0f}",
               rate >= BATCH_GOAL),
        Figure(f"{label} latency p50 (a request)", percentile(latencies, 50) * 1000, "ms"),
        Figure(f"{label} latency p99 (a request)", percentile(latencies, 99) * 1000, "ms"),
        Figure(f"{label} ingest CPU per job", ingest_cpu / jobs * 1e6, "µs"),
    ]


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds the processes `pids` (and their threads) used so far."""
    import psutil

    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


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


async def measure_acceptance(apis: Sequence[str], requests: int,
                             concurrency: int) -> tuple[list[float], float]:
    """(latency of each accepted request, wall seconds for all of them).

    The client is aiohttp (several times cheaper per request than httpx), with
    `concurrency` keep-alive connections, spread over the `apis` (replicas) as a load
    balancer would, each sending its next request when the last was answered; it shares
    the two cores with what it measures."""
    body = json.dumps(tiny_spec("async")).encode()
    headers = {"Content-Type": "application/json"}
    latencies: list[float] = []
    pending = iter(range(requests))

    async def client_loop(http: aiohttp.ClientSession, api: str) -> None:
        for _ in pending:  # the shared iterator hands each request to one loop
            started = time.perf_counter()
            async with http.post(f"{api}/v1/jobs", data=body, headers=headers) as response:
                text = await response.read()
                if response.status != 202:
                    raise RuntimeError(f"HTTP {response.status}: {text[:300]!r}")
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        for api in apis:
            async with http.get(f"{api}/readyz") as ready:  # connected before the clock
                await ready.read()
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(http, apis[n % len(apis)])
                               for n in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, wall


async def measure_batches(apis: Sequence[str], jobs: int,
                          concurrency: int) -> tuple[list[float], float]:
    """(d) (latency of each batch request, wall seconds) for `jobs` jobs sent in batches
    of BATCH_SIZE, `concurrency` requests in flight spread over the `apis`. Every job
    must be created; each has a caption of its own (no two specs alike)."""
    bodies = [json.dumps({"jobs": [tiny_spec("async", f"batch {start + n}")
                                   for n in range(min(BATCH_SIZE, jobs - start))]}).encode()
              for start in range(0, jobs, BATCH_SIZE)]  # serialised before the clock
    headers = {"Content-Type": "application/json"}
    latencies: list[float] = []
    pending = iter(bodies)

    async def client_loop(http: aiohttp.ClientSession, api: str) -> None:
        for body in pending:
            started = time.perf_counter()
            async with http.post(f"{api}/v1/jobs/batch", data=body,
                                 headers=headers) as response:
                text = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}: {text[:300]!r}")
            latencies.append(time.perf_counter() - started)
            statuses = {result["status"] for result in json.loads(text)["results"]}
            if statuses != {"created"}:
                raise RuntimeError(f"a batch answered {statuses}: {text[:300]!r}")

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=120)) as http:
        for api in apis:
            async with http.get(f"{api}/readyz") as ready:
                await ready.read()
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(http, apis[n % len(apis)])
                               for n in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, wall


async def measure_intake(settings: PlatformSettings, database_url: str, requests: int
                         ) -> tuple[list[float], float]:
    """(c) `requests` JobRequests published at once on the requests topic: (seconds from
    each send to its job's row, wall seconds from the first send until every job exists).

    A job's time is its row's created_at (the start of the transaction that accepted it;
    the commit follows within milliseconds), on the same clock as the sends."""
    from aiokafka import AIOKafkaProducer

    spec = tiny_spec("async")
    # serialised before the clock starts: the client's cost is not what is measured
    bodies = [(request.request_id, request.model_dump_json().encode())
              for request in (JobRequest(job=spec, client="bench") for _ in range(requests))]
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers,
                                linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    database = await asyncpg.connect(database_url)
    try:
        sent: dict[UUID, float] = {}
        started = time.time()
        for rid, body in bodies:
            sent[rid] = time.time()
            await producer.send(settings.topics.requests, body, key=str(rid).encode())
        await producer.flush()
        ids = list(sent)
        # a measurement poll of Postgres (no asyncio.Event to wait on; its cost stays small)
        while await database.fetchval(  # noqa: ASYNC110
                "SELECT count(*) FROM jobs WHERE id = ANY($1)", ids) < requests:
            await asyncio.sleep(0.1)
        wall = time.time() - started
        rows = await database.fetch(
            "SELECT id, extract(epoch FROM created_at)::float8 AS at FROM jobs "
            "WHERE id = ANY($1)", ids)
    finally:
        await database.close()
        await producer.stop()
    return [max(0.0, row["at"] - sent[row["id"]]) for row in rows], wall


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=50, help="jobs for the overhead (a)")
    parser.add_argument("--requests", type=int, default=5000, help="requests for (b)")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight (b)")
    parser.add_argument("--batch-jobs", type=int, default=20_000,
                        help="jobs sent through POST /v1/jobs/batch (d)")
    parser.add_argument("--batch-concurrency", type=int, default=4,
                        help="batch requests in flight (d)")
    parser.add_argument("--only", default=",".join(FIGURES),
                        help="which figures, comma-separated (default: all of a,b,c,d)")
    parser.add_argument("--broker", choices=("tansu", "kafka"), default="tansu")
    parser.add_argument("--replicas", type=int, default=2,
                        help="measure (b) and (c) with 1, 2, ... ingest replicas")
    parser.add_argument("--log", type=Path, help="where the services' output goes")
    args = parser.parse_args(argv)
    if min(args.jobs, args.requests, args.concurrency, args.replicas, args.batch_jobs,
           args.batch_concurrency) < 1:
        parser.error("--jobs, --requests, --concurrency, --batch-jobs, --batch-concurrency "
                     "and --replicas must be at least 1")
    args.only = {part.strip() for part in args.only.split(",") if part.strip()}
    if not args.only or not args.only <= set(FIGURES):
        parser.error(f"--only takes some of {','.join(FIGURES)}")
    return args


def run(args: argparse.Namespace, work: Path) -> list[Figure]:
    from shared.devstack import DevStack, ServicePorts
    from shared.testing.brokers import free_ports

    log_path = args.log or work / "services.log"
    print(f"services' output: {log_path}", file=sys.stderr)
    with log_path.open("w", encoding="utf-8") as log:
        stack = DevStack(ServicePorts.free(render_workers=1), broker=args.broker, output=log,
                         colour=False, workdir=work / "stack")
        with stack:
            figures: list[Figure] = []
            if "a" in args.only:
                print(f"stack up (API {stack.api_url}); (a) {args.jobs} jobs ...",
                      file=sys.stderr)
                end_to_end, engine = asyncio.run(
                    measure_overhead(stack.api_url, args.jobs, work))
                figures += overhead_figures(end_to_end, engine)
            for process in stack.processes:
                if process.name != "ingest":
                    process.stop(10)
            env = stack.infra.env
            settings = PlatformSettings(kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"])
            apis = [stack.api_url]
            for replicas in range(1, args.replicas + 1):
                if replicas > 1:
                    (port,) = free_ports(1)
                    stack.add_ingest(port)
                    apis.append(f"http://127.0.0.1:{port}")
                label = f"{replicas} ingest" + (" replicas" if replicas > 1 else "")
                pids = [process.pid for process in stack.processes
                        if process.name.startswith("ingest") and process.pid is not None]
                figures += _acceptance(args, label, apis, settings, env["DATABASE_URL"], pids)
    return figures


def _acceptance(args: argparse.Namespace, label: str, apis: list[str],
                settings: PlatformSettings, database_url: str,
                ingest_pids: Sequence[int]) -> list[Figure]:
    """(b), (c) and (d), those of them asked for, with the ingest replicas at `apis`."""
    figures: list[Figure] = []
    if "b" in args.only:
        print(f"(b) {label}: {args.requests} requests, {args.concurrency} in flight",
              file=sys.stderr)
        latencies, wall = asyncio.run(measure_acceptance(apis, args.requests, args.concurrency))
        figures += acceptance_figures(f"b) HTTP, {label}:", latencies, wall)
    if "c" in args.only:
        print(f"(c) {label}: {args.requests} requests on the requests topic", file=sys.stderr)
        intake, intake_wall = asyncio.run(measure_intake(settings, database_url, args.requests))
        figures += acceptance_figures(f"c) Kafka, {label}:", intake, intake_wall)
    if "d" in args.only:
        print(f"(d) {label}: {args.batch_jobs} jobs in batches of {BATCH_SIZE}, "
              f"{args.batch_concurrency} in flight", file=sys.stderr)
        before = cpu_seconds(ingest_pids)
        latencies, wall = asyncio.run(
            measure_batches(apis, args.batch_jobs, args.batch_concurrency))
        figures += batch_figures(f"d) batch, {label}:", args.batch_jobs, latencies, wall,
                                 cpu_seconds(ingest_pids) - before)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="vidgen-bench-") as tmp:
        try:
            figures = run(args, Path(tmp))
        except (RuntimeError, httpx.HTTPError, aiohttp.ClientError) as exc:
            print(f"bench/pipeline.py: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    print(f"\n{args.jobs} jobs (a), {args.requests} requests with {args.concurrency} "
          f"in flight (b), {args.batch_jobs} jobs in batches of {BATCH_SIZE} with "
          f"{args.batch_concurrency} in flight (d), broker {args.broker}\n")
    print(figures_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
