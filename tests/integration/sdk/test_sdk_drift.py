"""The API and the SDKs cannot drift apart: the committed generated code is what the pinned
generators write from the current OpenAPI and AsyncAPI documents, and a change of the API
shows as a difference in both SDKs."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

from sdk.generate import GENERATED, ROOT, diff_trees, documents, generate
from tests.fixtures.typescript import npm_installed


def test_the_committed_sdks_are_what_the_generators_write_now():
    npm_installed()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "sdk.generate", "--check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, (
        "the committed SDK code differs from a fresh `python3 -m sdk.generate`:\n"
        f"{done.stdout[-6000:]}\n{done.stderr[-2000:]}")


def test_a_change_of_the_api_is_a_difference_in_both_sdks(tmp_path: Path):
    npm_installed()
    openapi, _ = documents()
    changed = copy.deepcopy(openapi)
    changed["paths"]["/v1/jobs/{job_id}/retry"] = {"post": {
        "operationId": "retry_job", "tags": ["jobs"], "summary": "Retry a failed job",
        "parameters": [{"name": "job_id", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"202": {"description": "queued again"}}}}
    changed["components"]["schemas"]["Output"]["properties"]["frame_rate_mode"] = {
        "type": "string", "enum": ["constant", "variable"]}
    generate(tmp_path, openapi=changed)

    diff = diff_trees(tmp_path, ROOT)
    changed_files = {line.removeprefix("+++ generated/") for line in diff.splitlines()
                     if line.startswith("+++ ")}
    assert "sdk/openapi.json" in changed_files
    assert "sdk/python/vidgen_sdk/_api/api/jobs/retry_job.py" in changed_files
    assert "sdk/python/vidgen_sdk/_api/models/output.py" in changed_files
    assert "sdk/typescript/src/generated/openapi.ts" in changed_files
    assert '+    "/v1/jobs/{job_id}/retry": {' in diff
    assert "frame_rate_mode" in diff
    # the events did not change: neither did their models
    assert not {name for name in changed_files if "events" in name}
    assert all(any(name.startswith(root) for root in GENERATED) for name in changed_files)
