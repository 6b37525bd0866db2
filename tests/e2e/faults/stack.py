"""A platform of its own for one fault test: the four services as processes (DevStack) on a
fresh database, topics and bucket, with handles to kill and restart them, and the checks
that nothing was lost and nothing done twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from uuid import uuid4

import aioboto3
import httpx
import psutil

from shared.devstack import DevStack, ServicePorts
from shared.devstack.processes import ManagedProcess
from tests.e2e.platform import Platform

COMPONENT_VARS = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT_URL",
                  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                  "AWS_PROFILE")
RENDER_STEPS = ("download", "processing", "composition", "encoding", "upload", "cleanup")


def text_spec(label: str, *, width: int = 64, height: int = 64, duration: float = 0.2,
              preset: str = "ultrafast", fps: int = 10) -> dict[str, Any]:
    """Text on colour: no sources to fetch, so only the platform itself is exercised."""
    return {
        "output": {"format": "mp4", "width": width, "height": height, "fps": fps,
                   "duration": duration, "background": "#204060",
                   "quality": {"preset": preset}},
        "elements": [{"id": "label", "type": "text", "text": label, "font_size": "30%",
                      "x": "center", "y": "center"}],
        "response": "async",
    }


@dataclass
class FaultStack(Platform):
    """The platform of one fault test: `Platform`'s helpers, plus kill/restart and checks."""

    bucket: str = ""
    s3_endpoint: str = ""
    s3_keys: tuple[str, str] = ("vidgen-test", "vidgen-test")
    submitted: list[str] = field(default_factory=list)

    def process(self, name: str) -> ManagedProcess:
        return next(p for p in self.stack.processes if p.name == name)

    def kill(self, name: str) -> int:
        """SIGKILL the service and everything in its process group (its FFmpeg too), as
        when its container dies; returns the exit code."""
        process = self.process(name)
        assert process.pid is not None and process.running(), f"{name} is not running"
        os.killpg(process.pid, signal.SIGKILL)
        code = process.stop(10)
        assert code == -signal.SIGKILL, code
        return code

    async def restart(self, name: str) -> None:
        process = self.process(name)
        process.start()
        await asyncio.to_thread(process.wait_ready, 120)

    def ffmpeg_of(self, name: str) -> list[psutil.Process]:
        pid = self.process(name).pid
        try:
            children = psutil.Process(pid).children(recursive=True) if pid else []
        except psutil.NoSuchProcess:
            return []
        return [child for child in children if "ffmpeg" in child.name().lower()]

    async def wait_in_flight(self, at_least: int = 2, timeout: float = 120) -> int:
        """Wait until `at_least` jobs are processing; return how many are."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = await self.query("SELECT count(*) AS n FROM jobs WHERE status = 'processing'")
            if rows[0]["n"] >= at_least:
                return int(rows[0]["n"])
            await asyncio.sleep(0.1)
        raise AssertionError(f"no jobs in flight within {timeout:.0f}s\n{self.log_tail()}")

    async def submit(self, http: httpx.AsyncClient, spec: Mapping[str, Any]) -> str:
        answer = await http.post(f"{self.api}/v1/jobs", json=dict(spec))
        assert answer.status_code == 202, answer.text
        job_id: str = answer.json()["job_id"]
        self.submitted.append(job_id)
        return job_id

    async def statuses(self, job_ids: Sequence[str]) -> dict[str, str]:
        rows = await self.query("SELECT id::text, status::text FROM jobs "
                                "WHERE id = ANY($1::uuid[])", list(job_ids))
        return {row["id"]: row["status"] for row in rows}

    async def wait_finished(self, job_ids: Sequence[str], *, timeout: float,
                            on_poll: Callable[[dict[str, str]], None] | None = None,
                            interval: float = 0.5) -> dict[str, str]:
        """Poll until every job is in a final status; fail with the counts after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            statuses = await self.statuses(job_ids)
            if on_poll is not None:
                on_poll(statuses)
            if len(statuses) == len(job_ids) and all(
                    s in ("completed", "failed", "cancelled", "timeout")
                    for s in statuses.values()):
                return statuses
            if time.monotonic() > deadline:
                raise AssertionError(f"not finished within {timeout:.0f}s: "
                                     f"{Counter(statuses.values())}\n{self.log_tail()}")
            await asyncio.sleep(interval)

    async def final_objects(self) -> Counter[str]:
        """How many output videos each job has under its final keys (posters excluded)."""
        counts: Counter[str] = Counter()
        session = aioboto3.Session()
        async with session.client("s3", endpoint_url=self.s3_endpoint, region_name="us-east-1",
                                  aws_access_key_id=self.s3_keys[0],
                                  aws_secret_access_key=self.s3_keys[1]) as s3:
            paginator = s3.get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self.bucket, Prefix="videos/"):
                for item in page.get("Contents", []):
                    key = PurePosixPath(item["Key"])
                    if key.suffix != ".jpg":
                        counts[key.parent.name] += 1
        return counts

    async def wait_settled(self, job_ids: Sequence[str], timeout: float = 60) -> None:
        """Wait until the steps after completion (cleanup) are recorded as ended: a job is
        completed before its staging files are deleted."""
        deadline = time.monotonic() + timeout
        while True:
            rows = await self.query(
                """SELECT count(*) FILTER (WHERE completed_at IS NULL) AS open,
                          count(*) FILTER (WHERE step = 'cleanup' AND success) AS cleaned
                   FROM processing_timeline WHERE job_id = ANY($1::uuid[])""", list(job_ids))
            if rows[0]["open"] == 0 and rows[0]["cleaned"] >= len(job_ids):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"timeline not settled within {timeout:.0f}s: "
                                     f"{dict(rows[0])}\n{self.log_tail()}")
            await asyncio.sleep(0.2)

    async def assert_exactly_once(self, job_ids: Sequence[str]) -> None:
        """Every job completed once, with one published video and a consistent timeline."""
        await self.wait_settled(job_ids)
        statuses = await self.statuses(job_ids)
        assert Counter(statuses.values()) == {"completed": len(job_ids)}, Counter(
            statuses.values())
        objects = await self.final_objects()
        assert {job: objects[job] for job in job_ids} == dict.fromkeys(job_ids, 1)
        rows = await self.query(
            """SELECT t.job_id::text AS job, t.step::text AS step, t.attempt, t.success,
                      t.completed_at IS NULL AS open, j.attempts
               FROM processing_timeline AS t JOIN jobs AS j ON j.id = t.job_id
               WHERE t.job_id = ANY($1::uuid[])""", list(job_ids))
        assert not [r for r in rows if r["open"]], "a step was left open"
        per_step = Counter((r["job"], r["step"], r["attempt"]) for r in rows)
        assert max(per_step.values()) == 1, "a step of one attempt was recorded twice"
        final = {(r["job"], r["step"]) for r in rows
                 if r["success"] and (r["attempt"] == r["attempts"] or r["step"] == "validation")}
        missing = [(job, step) for job in job_ids for step in ("validation", *RENDER_STEPS)
                   if (job, step) not in final]
        assert not missing, f"steps without a successful row: {missing[:10]}"


@contextlib.asynccontextmanager
async def fault_stack(workdir: Path, *, database: str, bootstrap: str, broker_kind: str,
                      s3_env: Mapping[str, str], render_workers: int = 2,
                      extra_env: Mapping[str, str] | None = None,
                      command: Callable[[str], Sequence[str]] | None = None,
                      direct_s3: str | None = None) -> AsyncIterator[FaultStack]:
    """Start the services on `database` / `bootstrap` / `s3_env`; stop them at the end.
    `direct_s3`: where the test itself reads S3 when the services go through a proxy."""
    prefix = f"faults{uuid4().hex[:8]}"
    bucket = f"faults-{uuid4().hex[:8]}"
    environ = {k: v for k, v in os.environ.items() if k not in COMPONENT_VARS}
    environ.update(s3_env)
    environ.update({
        "DATABASE_URL": database,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "VIDGEN_TOPIC_PREFIX": prefix,
        "VIDGEN_S3_BUCKET": bucket,
        "VIDGEN_KAFKA_IDEMPOTENCE": "false" if broker_kind == "tansu" else "true",
        **(extra_env or {}),
    })
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / "services.log"
    with log_path.open("w", encoding="utf-8") as log:
        stack = DevStack(ServicePorts.free(render_workers=render_workers), environ=environ,
                         workdir=workdir, output=log, colour=False, ready_timeout=180,
                         grace=10, command=command)
        try:
            await asyncio.to_thread(stack.start)  # it runs event loops of its own
        except Exception as exc:
            log.flush()
            raise AssertionError(f"the platform did not start: {exc}\n"
                                 f"{log_path.read_text(errors='replace')[-6000:]}") from exc
        try:
            yield FaultStack(stack=stack, dsn=database, bootstrap=bootstrap,
                             broker_kind=broker_kind, prefix=prefix, bucket=bucket,
                             s3_endpoint=direct_s3 or s3_env["S3_ENDPOINT_URL"],
                             log_path=log_path,
                             s3_keys=(s3_env.get("AWS_ACCESS_KEY_ID", "test"),
                                      s3_env.get("AWS_SECRET_ACCESS_KEY", "test")))
        finally:
            await asyncio.to_thread(stack.stop)
