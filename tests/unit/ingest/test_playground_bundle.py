"""The playground's editor bundle (services/ingest/playground/static/editor.js) is committed,
so a fresh install needs no npm; these tests keep it honest against its pinned sources.

The fast test checks bundle.sha256 (written by build.mjs) against the files: an input
changed without a rebuild, or a bundle edited by hand, fails it. The slow one rebuilds the
bundle from package-lock.json in a temporary copy (`npm ci`, the npm registry) and
compares it byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

EDITOR = Path(__file__).resolve().parents[3] / "services" / "ingest" / "playground" / "editor"
BUNDLE = EDITOR.parent / "static" / "editor.js"


def _recorded() -> dict[str, str]:
    lines = (EDITOR / "bundle.sha256").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_the_bundle_and_its_inputs_are_the_ones_it_was_built_from() -> None:
    recorded = _recorded()
    inputs = {"package-lock.json", "entry.js", "build.mjs",
              *(f"stubs/{path.name}" for path in (EDITOR / "stubs").iterdir())}
    assert set(recorded) == inputs | {"../static/editor.js"}
    for name, digest in recorded.items():
        actual = hashlib.sha256((EDITOR / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} changed since the bundle was built: run " \
                                 "`npm ci && node build.mjs` in playground/editor"
    assert 100_000 < BUNDLE.stat().st_size < 1_000_000


def test_the_lockfile_pins_what_package_json_asks_for() -> None:
    wanted = json.loads((EDITOR / "package.json").read_text())["devDependencies"]
    locked = json.loads((EDITOR / "package-lock.json").read_text())["packages"]
    for name, version in wanted.items():
        assert locked[f"node_modules/{name}"]["version"] == version, name


@pytest.mark.slow
def test_rebuilding_from_the_lockfile_gives_the_committed_bundle(tmp_path: Path) -> None:
    npm, node = shutil.which("npm"), shutil.which("node")
    assert npm and node, "the bundle check needs Node.js and npm"
    work = tmp_path / "playground"
    shutil.copytree(EDITOR, work / "editor", ignore=shutil.ignore_patterns("node_modules"))
    (work / "static").mkdir()
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=work / "editor", check=True,
                   capture_output=True, timeout=600)
    subprocess.run([node, "build.mjs"], cwd=work / "editor", check=True, capture_output=True,
                   timeout=300)
    assert (work / "static" / "editor.js").read_bytes() == BUNDLE.read_bytes()
