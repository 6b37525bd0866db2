"""The TypeScript SDK (sdk/typescript) through the real platform: its own `node --test`
suite, the getting-started page's code compiled (strict) and run, and the kafkajs example
producer of the requests topic."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from uuid import UUID

import pytest

from tests.e2e.conftest import WEBHOOK_SECRET
from tests.e2e.doc_blocks import DOCS, code_blocks
from tests.e2e.platform import JOB_TIMEOUT, TERMINAL, Platform, probe_video, tiny_spec
from tests.fixtures.typescript import typescript_sdk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sdk() -> Path:
    """sdk/typescript, installed from its lock file and built."""
    return typescript_sdk()


def _env(platform: Platform, webhook_port: int) -> dict[str, str]:
    return {**os.environ, "VIDGEN_API_URL": platform.api, "VIDGEN_STORAGE_URL": platform.storage,
            "VIDGEN_WEBHOOK_SECRET": WEBHOOK_SECRET, "VIDGEN_WEBHOOK_PORT": str(webhook_port)}


def _node(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node is not None, "Node.js 18 or later is needed"
    return subprocess.run([node, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_the_node_test_suite_passes_against_the_platform(sdk: Path, platform: Platform,
                                                         webhook_ports: list[int]):
    done = _node("--test", "test/", cwd=sdk, env=_env(platform, webhook_ports[1]))
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{platform.log_tail()}"
    assert "# pass 3" in done.stdout and "# fail 0" in done.stdout, done.stdout


def test_the_getting_started_page_compiles_and_runs(sdk: Path, platform: Platform,
                                                    webhook_ports: list[int], tmp_path: Path):
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "node_modules/@vidgen").mkdir(parents=True)
    (tmp_path / "node_modules/@vidgen/sdk").symlink_to(sdk)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "getting-started.ts").write_text(
        "\n".join(code_blocks(DOCS / "sdk-typescript.md", "ts")))
    compiled = subprocess.run(
        [str(sdk / "node_modules/.bin/tsc"), "--strict", "--target", "es2022", "--module",
         "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "--types", "node",
         "--typeRoots", str(sdk / "node_modules/@types"), "--outDir", "out",
         "getting-started.ts"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        check=False)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    done = _node("out/getting-started.js", cwd=tmp_path, env=_env(platform, webhook_ports[3]))
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{platform.log_tail()}"
    assert "output.fps -" in done.stdout, done.stdout
    assert "event: 'job.completed'" in done.stdout, done.stdout
    facts = probe_video(tmp_path / "hello.mp4")
    assert (facts.width, facts.height) == (320, 180)


def test_a_type_error_in_a_job_fails_the_build(sdk: Path, tmp_path: Path):
    """`Job` is the API's schema: a misspelt field does not compile."""
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "node_modules/@vidgen").mkdir(parents=True)
    (tmp_path / "node_modules/@vidgen/sdk").symlink_to(sdk)
    (tmp_path / "bad.ts").write_text(
        'import type { Job } from "@vidgen/sdk";\n'
        'export const job: Job = {output: {fsp: 30}, elements: []};\n')
    compiled = subprocess.run(
        [str(sdk / "node_modules/.bin/tsc"), "--strict", "--module", "nodenext",
         "--moduleResolution", "nodenext", "--skipLibCheck", "--noEmit", "--types", "node",
         "--typeRoots", str(sdk / "node_modules/@types"), "bad.ts"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert compiled.returncode != 0
    assert "'fsp' does not exist" in compiled.stdout, compiled.stdout


async def test_the_kafkajs_example_publishes_a_request_that_is_rendered(
        sdk: Path, platform: Platform, photo_source: str, tmp_path: Path):
    job = tmp_path / "job.json"
    job.write_text(json.dumps(tiny_spec(photo_source)))
    done = await asyncio.to_thread(
        _node, "examples/produce-request.js", str(job), "--bootstrap", platform.bootstrap,
        "--topic", platform.topics.requests, cwd=sdk, env=_env(platform, 0))
    assert done.returncode == 0, done.stdout + done.stderr
    request_id = UUID(done.stdout.strip().splitlines()[-1])

    async def status() -> str | None:
        row = await platform.job_row(str(request_id))
        return None if row is None else str(row["status"])

    final = await platform.poll(status, lambda value: value in TERMINAL,
                                what="the published request's job", timeout=JOB_TIMEOUT)
    assert final == "completed", platform.log_tail()
