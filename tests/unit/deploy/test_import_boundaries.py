"""The import boundaries of pyproject.toml's [tool.importlinter], as CI checks them.

`lint-imports` runs in .ci/run; these tests show that it passes on this tree and that each
contract fails on the violation it exists for, written into a copy of the tree (imports are
read from the source, never executed, so the copy needs nothing but the .py files).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "contracts"]
NAMES = {c["type"] if c["type"] == "independence" else c["forbidden_modules"][0]: c["name"]
         for c in CONTRACTS}
SERVICES_APART = NAMES["independence"]
ENGINE_APART = NAMES["aiokafka"]
DEV_ONLY = NAMES["shared.devstack"]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the tree at `root`, its packages imported from there alone."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())", "--no-cache", "--no-logo",
         str(root / "pyproject.toml")],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False)


def verdict(output: str, name: str) -> str:
    """KEPT or BROKEN: the summary line of contract `name`."""
    lines = [line for line in output.splitlines() if line.startswith(name + " ")]
    assert lines, f"contract {name!r} not in the report:\n{output}"
    return lines[0].rsplit(" ", 1)[1]


def only_python(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n == "__pycache__"
            or (not n.endswith(".py") and not Path(folder, n).is_dir())}


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_three_contracts_guard_the_boundaries():
    assert len(CONTRACTS) == 3
    engine = next(c for c in CONTRACTS if c["name"] == ENGINE_APART)
    assert {"aiokafka", "faststream", "asyncpg", "shared.db", "aioboto3", "botocore",
            "shared.s3"} <= set(engine["forbidden_modules"])
    assert {"shared.composition", "shared.media", "services.render.compiler",
            "services.render.engine", "services.render.runner",
            "services.render.cli"} <= set(engine["source_modules"])


def test_the_tree_keeps_every_contract():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    for name in (SERVICES_APART, ENGINE_APART, DEV_ONLY):
        assert verdict(run.stdout, name) == "KEPT"


def test_each_contract_fails_on_its_violation(tmp_path: Path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in ("shared", "services"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=only_python)
    # The intake estimating with the render engine itself; the runner publishing its own
    # progress to Kafka; metrics reaching for a test helper.
    append(tmp_path / "services/ingest/estimate.py", "from services.render import engine")
    append(tmp_path / "services/render/runner.py", "import aiokafka")
    append(tmp_path / "services/metrics/app.py", "from shared.testing import brokers")

    run = lint_imports(tmp_path)

    assert run.returncode == 1, run.stdout + run.stderr
    for name in (SERVICES_APART, ENGINE_APART, DEV_ONLY):
        assert verdict(run.stdout, name) == "BROKEN", run.stdout
    report = " ".join(run.stdout.split())
    assert "services.ingest.estimate -> services.render.engine" in report
    assert "services.render.runner -> aiokafka" in report
    assert "services.metrics.app -> shared.testing.brokers" in report

