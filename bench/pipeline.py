"""Pipeline benchmark: what the platform adds around the engine, and how fast ingest accepts.

    python3 bench/pipeline.py [--jobs 50] [--requests 5000] [--concurrency 64]
                              [--replicas 2] [--rounds 1] [--batch-jobs 20000]
                              [--broker kafka] [--only a,b,c,d,e]
                              [--profile DIR [--native]]

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
d) the same for jobs from a stored template: the template is created once through the API
   (the same composition, its caption a ``{{label}}`` merge field), then ``--requests``
   JobRequests ``{"template": ID, "merge": {"label": ...}}`` on the requests topic. Goal: no
   slower than (c), the full specs. With ``--rounds`` N, (c) and (d) run N times each,
   alternating, and each figure is over all of its runs (jobs / summed wall time).
   (c) and (d) also give ingest's CPU time per job (user + system of its processes), which
   a busy machine moves far less than the rates.

e) batch acceptance: ``--batch-jobs`` jobs through POST /v1/jobs/batch, 1,000 a request
   (VIDGEN_MAX_BATCH's default), ``--batch-concurrency`` requests in flight; every job must
   come back ``created``; the figure is jobs (not requests) per second.

``--only`` measures some of them (``--only e``: the stack, then just the batch figure).
For (b), (c) and (d) every service but ingest is stopped first (in production they run on other
machines; here they would work off the accepted jobs on the two cores ingest is measured
on), so this is ingest's own acceptance path: HTTP or Kafka, validation, the Postgres
transaction, the outbox relay to Kafka. Both run with 1 ingest, then again with each
further replica up to ``--replicas`` (they share the consumer groups; the HTTP client
spreads its connections over them). The whole stack is stopped right after, so nothing
keeps the machine busy once the script ends.

``--profile DIR`` records where the time goes while each figure is measured: py-spy
(sampling, from outside the process) on ingest for (b)-(e) and on every service for (a),
raw stacks and a summary of the top frames per figure (bench/profiling.py), and for (a)
the median gap between the marks of each job's timeline (bench/hops.py). ``--native``
adds C frames. Each figure also reports the broker's CPU while it ran.

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
import psutil

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.hops import Sent, hop_table, job_hops
from bench.profiling import Profiles, Watch, broker_process
from shared.events import JobRequest
from shared.settings import PlatformSettings

OVERHEAD_GOAL_MS = 50.0  # p50
OVERHEAD_P99_GOAL_MS = 100.0
THROUGHPUT_GOAL = 2000.0  # HTTP, one process
LATENCY_P99_GOAL_MS = 100.0  # HTTP acceptance
INTAKE_GOAL = 5000.0  # Kafka, one replica
BATCH_GOAL = 20_000.0
BATCH_SIZE = 1000
FIGURES = ("a", "b", "c", "d", "e")


def tiny_spec(response: str, label: str = "bench") -> dict[str, Any]:
    """A job with no sources (nothing to download) that FFmpeg renders in a fraction of a
    second: a caption on a coloured 160x90 canvas, half a second long."""
    return {
        "output": {"format": "mp4", "width": 160, "height": 90, "fps": 12, "duration": 0.5,
                   "background": "#203040", "quality": {"preset": "ultrafast"}},
        "elements": [{"id": "caption", "type": "text", "text": label, "font_size": 20}],
        "response": response,
    }


def tiny_template() -> dict[str, Any]:
    """`tiny_spec` as a template: the caption is a merge field."""
    composition = tiny_spec("async", "{{label}}")
    del composition["response"]
    return {"name": "bench", "composition": composition,
            "merge_fields": {"label": {"default": "bench"}}}


def template_job(template_id: str, index: int) -> dict[str, Any]:
    return {"template": template_id, "merge": {"label": f"job {index}"}, "response": "async"}


def intake_order(rounds: int) -> list[str]:
    """(c) and (d) alternately, each round in the other order (c d, d c, c d, ...), so a
    machine's drift in load weighs on both alike."""
    return [kind for n in range(rounds) for kind in (("c", "d") if n % 2 == 0 else ("d", "c"))]


def cpu_seconds(processes: Sequence[psutil.Process]) -> float:
    """User + system CPU seconds the processes have used so far."""
    return sum(sum(p.cpu_times()[:2]) for p in processes)


def cpu_figure(label: str, seconds: float, jobs: int,
               full_specs: float | None = None) -> Figure:
    """Ingest's CPU time per accepted job: unlike the rate, barely moved by what else
    runs on the machine. With `full_specs` (c's seconds per job) it is (d)'s, goal ≤ c."""
    per_job = seconds / jobs
    if full_specs is None:
        return Figure(f"{label} ingest CPU per job", per_job * 1e6, "µs")
    return Figure(f"{label} ingest CPU per job", per_job * 1e6, "µs",
                  f"≤ c) ({full_specs * 1e6:,.0f} µs)", per_job <= full_specs)


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
    p50, p99 = percentile(overhead, 50), percentile(overhead, 99)
    return [
        Figure("a) end-to-end p50", percentile(end_to_end, 50) * 1000, "ms"),
        Figure("a) engine alone p50", percentile(engine, 50) * 1000, "ms"),
        Figure("a) pipeline overhead p50", p50, "ms", f"≤ {OVERHEAD_GOAL_MS:.0f} ms",
               p50 <= OVERHEAD_GOAL_MS),
        Figure("a) pipeline overhead p99", p99, "ms", f"≤ {OVERHEAD_P99_GOAL_MS:.0f} ms",
               p99 <= OVERHEAD_P99_GOAL_MS),
    ]


def acceptance_figures(label: str, latencies: Sequence[float], wall: float, *,
                       goal: float = THROUGHPUT_GOAL,
                       p99_goal: float | None = None) -> list[Figure]:
    """Rate against `goal` (jobs/s); the p99 latency against `p99_goal` (ms) when given."""
    rate = len(latencies) / wall
    p99 = percentile(latencies, 99) * 1000
    return [
        Figure(f"{label} accepted per second", rate, "jobs/s", f"≥ {goal:,.0f}",
               rate >= goal),
        Figure(f"{label} acceptance latency p50", percentile(latencies, 50) * 1000, "ms"),
        Figure(f"{label} acceptance latency p99", p99, "ms",
               *((f"≤ {p99_goal:.0f} ms", p99 <= p99_goal) if p99_goal is not None else ())),
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


async def engine_seconds(spec: dict[str, Any], out_dir: Path) -> float:
    """The engine alone on `spec`: resolve it, compile, run FFmpeg into a file."""
    from services.render.engine import prepare, render
    from shared.composition import parse_job
    from shared.settings import EngineSettings

    settings = EngineSettings()
    started = time.perf_counter()
    plan = prepare(parse_job(spec), lambda source: Path(source), settings=settings)
    await render(plan, out_dir / "engine.mp4", settings=settings)
    return time.perf_counter() - started


async def measure_overhead(api: str, jobs: int, out_dir: Path,
                           sent: list[Sent] | None = None) -> tuple[list[float], list[float]]:
    """(end-to-end seconds, engine seconds) per job, one job at a time, interleaved; each
    job's id and times go to `sent` (for the hops)."""
    end_to_end: list[float] = []
    engine: list[float] = []
    async with httpx.AsyncClient(base_url=api, timeout=120) as http:
        for index in range(jobs):
            spec = tiny_spec("immediate", f"job {index}")
            engine.append(await engine_seconds(spec, out_dir))
            started, at = time.perf_counter(), time.time()
            response = await http.post("/v1/jobs", json=spec)
            took = time.perf_counter() - started
            body = response.json()
            if response.status_code != 200 or body.get("status") != "completed":
                raise RuntimeError(f"job {index}: HTTP {response.status_code} {body}")
            end_to_end.append(took)
            if sent is not None:
                sent.append(Sent(str(body["job_id"]), at, at + took))
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


def template_figures(label: str, latencies: Sequence[float], wall: float,
                     full_specs: float) -> list[Figure]:
    """(d): as acceptance_figures, its goal the rate of full specs (c) on the same stack."""
    rate = len(latencies) / wall
    return [
        Figure(f"{label} accepted per second", rate, "jobs/s",
               f"≥ c) ({full_specs:,.0f})", rate >= full_specs),
        *acceptance_figures(label, latencies, wall)[1:],
    ]


async def create_template(api: str) -> str:
    """The template of (d), stored once through the API; its id."""
    async with httpx.AsyncClient(base_url=api, timeout=30) as http:
        response = await http.post("/v1/templates", json=tiny_template())
    if response.status_code != 201:
        raise RuntimeError(f"template: HTTP {response.status_code} {response.text[:300]}")
    return str(response.json()["id"])


async def measure_batches(apis: Sequence[str], jobs: int,
                          concurrency: int) -> tuple[list[float], float]:
    """(e) (latency of each batch request, wall seconds) for `jobs` jobs sent in batches
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


async def measure_intake(settings: PlatformSettings, database_url: str,
                         jobs: Sequence[dict[str, Any]]) -> tuple[list[float], float]:
    """(c), (d) JobRequests of `jobs` published at once on the requests topic: (seconds from
    each send to its job's row, wall seconds from the first send until every job exists).

    A job's time is its row's created_at (the start of the transaction that accepted it;
    the commit follows within milliseconds), on the same clock as the sends."""
    from aiokafka import AIOKafkaProducer

    requests = len(jobs)
    # serialised before the clock starts: the client's cost is not what is measured
    bodies = [(request.request_id, request.model_dump_json().encode())
              for request in (JobRequest(job=job, client="bench") for job in jobs)]
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
    parser.add_argument("--requests", type=int, default=5000, help="requests for (b), (c), (d)")
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
    parser.add_argument("--rounds", type=int, default=1,
                        help="runs of (c) and (d) each, alternating; figures over all runs")
    parser.add_argument("--log", type=Path, help="where the services' output goes")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="record py-spy profiles of the services into DIR, one a figure, "
                             "and (a)'s hops from the jobs' timelines (a-hops.md)")
    parser.add_argument("--native", action="store_true",
                        help="with --profile: native (C) frames too")
    args = parser.parse_args(argv)
    if min(args.jobs, args.requests, args.concurrency, args.replicas, args.rounds,
           args.batch_jobs, args.batch_concurrency) < 1:
        parser.error("--jobs, --requests, --concurrency, --replicas, --rounds, --batch-jobs "
                     "and --batch-concurrency must be at least 1")
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
            watch = Watch(Profiles(args.profile, native=args.native) if args.profile else None,
                          broker_process(stack.infra.env["KAFKA_BOOTSTRAP_SERVERS"]),
                          args.broker, Figure)
            if "a" in args.only:
                print(f"stack up (API {stack.api_url}); (a) {args.jobs} jobs ...",
                      file=sys.stderr)
                running = [p for p in stack.processes if p.pid is not None]
                with watch.figure("a", "a)", [psutil.Process(p.pid) for p in running], figures,
                                  each=[p.name for p in running]):
                    sent: list[Sent] = []
                    end_to_end, engine = asyncio.run(
                        measure_overhead(stack.api_url, args.jobs, work, sent))
                figures += overhead_figures(end_to_end, engine)
                if args.profile:
                    hops = asyncio.run(job_hops(stack.infra.env["DATABASE_URL"], sent))
                    (args.profile / "a-hops.md").write_text(hop_table(hops, len(sent)),
                                                            encoding="utf-8")
                    print(f"hops of (a): {args.profile / 'a-hops.md'}", file=sys.stderr)
            for process in stack.processes:
                if process.name != "ingest":
                    process.stop(10)
            env = stack.infra.env
            settings = PlatformSettings(kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"])
            apis = [stack.api_url]
            template_id = asyncio.run(create_template(stack.api_url)) if "d" in args.only else ""
            for replicas in range(1, args.replicas + 1):
                if replicas > 1:
                    (port,) = free_ports(1)
                    stack.add_ingest(port)
                    apis.append(f"http://127.0.0.1:{port}")
                label = f"{replicas} ingest" + (" replicas" if replicas > 1 else "")
                ingest = [psutil.Process(p.pid) for p in stack.processes
                          if p.name.startswith("ingest") and p.pid is not None]
                figures += _acceptance(args, label, apis, settings, env["DATABASE_URL"], ingest,
                                       template_id, watch)
    return figures


def _acceptance(args: argparse.Namespace, label: str, apis: list[str],
                settings: PlatformSettings, database_url: str,
                ingest: Sequence[psutil.Process], template_id: str,
                watch: Watch) -> list[Figure]:
    """(b), (c), (d) and (e), those of them asked for, with the ingest replicas at `apis`."""
    figures: list[Figure] = []
    replicas = len(apis)
    if "b" in args.only:
        print(f"(b) {label}: {args.requests} requests, {args.concurrency} in flight",
              file=sys.stderr)
        used = cpu_seconds(ingest)
        with watch.figure(f"b{replicas}", f"b) HTTP, {label}:", ingest, figures):
            latencies, wall = asyncio.run(
                measure_acceptance(apis, args.requests, args.concurrency))
        figures += acceptance_figures(f"b) HTTP, {label}:", latencies, wall,
                                      p99_goal=LATENCY_P99_GOAL_MS)
        figures.append(cpu_figure(f"b) HTTP, {label}:", cpu_seconds(ingest) - used,
                                  len(latencies)))
    kinds = [kind for kind in intake_order(args.rounds) if kind in args.only]
    if kinds:
        full_specs = [tiny_spec("async")] * args.requests
        from_template = [template_job(template_id, n) for n in range(args.requests)]
        runs: dict[str, tuple[list[float], float]] = {"c": ([], 0.0), "d": ([], 0.0)}
        cpu = {"c": 0.0, "d": 0.0}
        for kind in kinds:
            print(f"({kind}) {label}: {args.requests} "
                  f"{'template jobs' if kind == 'd' else 'requests'} on the requests topic",
                  file=sys.stderr)
            used = cpu_seconds(ingest)
            with watch.figure(f"{kind}{replicas}", f"{kind}) Kafka, {label}:", ingest, figures):
                latencies, wall = asyncio.run(measure_intake(
                    settings, database_url, from_template if kind == "d" else full_specs))
            cpu[kind] += cpu_seconds(ingest) - used
            print(f"    {len(latencies) / wall:,.0f} jobs/s", file=sys.stderr)
            runs[kind] = (runs[kind][0] + latencies, runs[kind][1] + wall)
        (intake, intake_wall), (merged, merged_wall) = runs["c"], runs["d"]
        if intake:
            figures += acceptance_figures(f"c) Kafka, {label}:", intake, intake_wall,
                                          goal=INTAKE_GOAL)
            figures.append(cpu_figure(f"c) Kafka, {label}:", cpu["c"], len(intake)))
        if merged and intake:
            figures += template_figures(f"d) Kafka, template, {label}:", merged,
                                        merged_wall, len(intake) / intake_wall)
            figures.append(cpu_figure(f"d) Kafka, template, {label}:", cpu["d"],
                                      len(merged), cpu["c"] / len(intake)))
        elif merged:
            figures += acceptance_figures(f"d) Kafka, template, {label}:", merged, merged_wall,
                                          goal=INTAKE_GOAL)
            figures.append(cpu_figure(f"d) Kafka, template, {label}:", cpu["d"], len(merged)))
    if "e" in args.only:
        print(f"(e) {label}: {args.batch_jobs} jobs in batches of {BATCH_SIZE}, "
              f"{args.batch_concurrency} in flight", file=sys.stderr)
        before = cpu_seconds(ingest)
        with watch.figure(f"e{replicas}", f"e) batch, {label}:", ingest, figures):
            latencies, wall = asyncio.run(
                measure_batches(apis, args.batch_jobs, args.batch_concurrency))
        figures += batch_figures(f"e) batch, {label}:", args.batch_jobs, latencies, wall,
                                 cpu_seconds(ingest) - before)
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
          f"in flight (b), {args.requests} each on the topic (c, d), {args.batch_jobs} "
          f"jobs in batches of {BATCH_SIZE} with {args.batch_concurrency} in flight (e), "
          f"broker {args.broker}\n")
    print(figures_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
