"""Sampling profiles of the ingest processes while bench/pipeline.py drives them (py-spy).

`Profiles(directory)` records one profile per measured figure: `py-spy record` attached to
each ingest process (by PID) in raw (collapsed-stack) form, `NAME.pid.txt`, then a summary
`NAME.top.txt` with the frames that took the most samples, on their own (self) and with
what they called (inclusive), as a percentage of the samples the process was busy in
(py-spy leaves out idle threads, so an event loop waiting in `select` is not counted).
A raw file also loads into speedscope or inferno/flamegraph.pl for a flame graph.

py-spy samples from outside the process without pausing it (`--nonblocking`), so the
profiled figures are within a few per cent of unprofiled ones; it needs ptrace rights on
the process (root, or CAP_SYS_PTRACE in a container).
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil

__all__ = ["PARTS", "Profiles", "Watch", "broker_process", "parts", "summarise",
           "top_frames"]

RATE = 200  # samples per second
_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
_FRAME_LINE = re.compile(r":\d+\)$")  # "function (file.py:123)": the line number


def _frame_name(frame: str) -> str:
    """A frame without its line number, its path shortened to the package's."""
    frame = _FRAME_LINE.sub(")", frame)
    for marker in ("site-packages/", "/lib/python3", "vidgen/", "/services/", "/shared/"):
        if marker in frame:
            head, _, tail = frame.partition("(")
            path = tail.rstrip(")")
            index = path.find(marker)
            if marker.startswith("/lib/python3"):
                path = "stdlib/" + path[index + len(marker):].split("/", 1)[-1]
            elif marker in ("/services/", "/shared/"):
                path = path[index + 1:]
            else:
                path = path[index + len(marker):]
            return f"{head.strip()} ({path})"
    return frame


# The parts of ingest's work a sample is put in: the first whose marker is in its stack.
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("worker threads waiting (not CPU: py-spy takes them for busy)",
     ("Condition.wait (threading", "Queue.get (queue")),
    ("validation (parse, limits, event size)", ("draft_job", "_parse (services/ingest")),
    ("database writes (jobs, elements, outbox, rate limits)",
     ("insert_drafts", "_apply_many", "mark_processed", "find_idempotent", "_consume_all",
      "consume_rate_limit", "_write (services/ingest", "Batcher._settle")),
    ("outbox relay (to Kafka)", ("OutboxRelay",)),
    ("LISTEN/NOTIFY", ("_process_notification", "_notified")),
    ("Kafka consumer (fetch, commit, middlewares)", ("_run_consume_loop", "Fetcher.",
                                                     "AIOKafkaConsumer")),
    ("auth and rate-limit checks", ("Gate.", "authenticate", "_creator")),
    ("HTTP stack (uvicorn, Starlette, FastAPI, middlewares)",
     ("httptools_impl", "starlette/", "fastapi/routing", "fastapi/middleware",
      "fastapi/dependencies", "fastapi/applications", "fastapi/_body_limit",
      "fastapi/telemetry", "PrometheusMiddleware", "QuotaHeaders")),
)


def parts(raw: str) -> list[tuple[str, float]]:
    """Each part's share of the samples (`PARTS`, then "event loop and other")."""
    counts: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        match = _LINE.match(line.strip())
        if match is None:
            continue
        samples = int(match["count"])
        stack = match["stack"]
        total += samples
        counts[next((label for label, markers in PARTS
                     if any(marker in stack for marker in markers)),
                    "event loop and other")] += samples
    labels = [label for label, _ in PARTS] + ["event loop and other"]
    return [(label, 100 * counts[label] / total if total else 0.0) for label in labels]


@dataclass(frozen=True)
class Top:
    samples: int
    own: list[tuple[str, float]]  # (frame, % of samples) on top of the stack
    inclusive: list[tuple[str, float]]  # (frame, % of samples) anywhere in the stack


def top_frames(raw: str, count: int = 25) -> Top:
    """The frames of a raw (collapsed-stack) profile that took the most samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        match = _LINE.match(line.strip())
        if match is None:
            continue
        samples = int(match["count"])
        frames = [_frame_name(frame) for frame in match["stack"].split(";") if frame]
        if not frames:
            continue
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    if total == 0:
        return Top(0, [], [])

    def ranked(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(frame, 100 * n / total) for frame, n in counter.most_common(count)]

    return Top(total, ranked(own), ranked(inclusive))


def summarise(raw: str, title: str, count: int = 25) -> str:
    top = top_frames(raw, count)
    lines = [f"# {title}: {top.samples} samples (busy threads only)", "",
             "## self (on top of the stack)"]
    lines += [f"{share:5.1f}%  {frame}" for frame, share in top.own]
    lines += ["", "## inclusive (anywhere in the stack)"]
    lines += [f"{share:5.1f}%  {frame}" for frame, share in top.inclusive]
    lines += ["", "## by part (first match in the stack, bench/profiling.py PARTS)"]
    lines += [f"{share:5.1f}%  {label}" for label, share in parts(raw)]
    return "\n".join(lines) + "\n"


class Profiles:
    """py-spy record on processes for the length of a `with profiles.record(name, pids)`."""

    def __init__(self, directory: Path, *, native: bool = False) -> None:
        if shutil.which("py-spy") is None:
            raise RuntimeError("--profile needs py-spy (pip install 'vidgen[bench]')")
        self.directory = directory
        self.native = native
        directory.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def record(self, name: str, pids: Sequence[int]) -> Iterator[None]:
        recorders: list[tuple[Path, subprocess.Popen[bytes]]] = []
        for pid in pids:
            path = self.directory / f"{name}.{pid}.txt"
            argv = ["py-spy", "record", "--pid", str(pid), "--rate", str(RATE), "--format",
                    "raw", "--output", str(path), "--nonblocking"]
            if self.native:
                argv.append("--native")
            recorders.append((path, subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                                     stderr=subprocess.PIPE)))
        try:
            yield
        finally:
            raw: list[str] = []
            for path, recorder in recorders:
                recorder.send_signal(signal.SIGINT)  # py-spy writes its file and exits
                try:
                    _, err = recorder.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    recorder.kill()
                    _, err = recorder.communicate()
                if path.exists():
                    raw.append(path.read_text(encoding="utf-8"))
                else:
                    print(f"py-spy wrote no {path.name}: {err.decode()[-300:]}",
                          file=sys.stderr)
            summary = summarise("\n".join(raw), name)
            (self.directory / f"{name}.top.txt").write_text(summary, encoding="utf-8")
            print(f"profile {name}: {self.directory / (name + '.top.txt')}", file=sys.stderr)


def broker_process(bootstrap: str) -> psutil.Process | None:
    """The process (among this one's descendants) listening on the broker's port: the
    Apache Kafka JVM or Tansu; None when the broker runs elsewhere."""
    port = urlsplit(f"//{bootstrap.split(',')[0]}").port
    for child in psutil.Process().children(recursive=True):
        try:
            if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port
                   for c in child.net_connections(kind="tcp")):
                return child
        except psutil.Error:
            continue
    return None


@dataclass
class Watch:
    """What runs beside each measured figure: the profiles (when asked for) and the broker's
    CPU, reported as a figure of its own (`figure_type(name, value, unit)`), since the
    broker shares the cores with what is measured."""

    profiles: Profiles | None
    broker: psutil.Process | None
    broker_kind: str
    figure_type: Callable[[str, float, str], Any]

    @contextmanager
    def figure(self, name: str, label: str, processes: Sequence[psutil.Process],
               figures: list[Any], *, each: Sequence[str] = ()) -> Iterator[None]:
        """Around one measurement; `each`: the processes' names, for a profile of every
        process (else one for all of them)."""
        with ExitStack() as stack:
            if self.profiles is not None:
                if each:
                    for process, process_name in zip(processes, each, strict=True):
                        stack.enter_context(self.profiles.record(
                            f"{name}-{process_name}", [process.pid]))
                else:
                    stack.enter_context(self.profiles.record(name, [p.pid for p in processes]))
            used = _cpu(self.broker)
            started = time.perf_counter()
            yield
            wall = time.perf_counter() - started
        if self.broker is not None:
            share = 100 * (_cpu(self.broker) - used) / wall
            kind = "Apache Kafka JVM" if self.broker_kind == "kafka" else "Tansu"
            figures.append(self.figure_type(f"{label} broker CPU ({kind})", share,
                                            "% of a core"))


def _cpu(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system
