"""Fixtures of the deploy/ checks: promtool, found or fetched, never skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ENSURE = ROOT / "deploy" / "tools" / "ensure-promtool.sh"


@pytest.fixture(scope="session")
def promtool() -> str:
    """Path of promtool: $VIDGEN_PROMTOOL, PATH, else what deploy/tools/ensure-promtool.sh
    fetches (Debian's package). A machine without one fails these tests, with the reason."""
    given = os.environ.get("VIDGEN_PROMTOOL", "").strip()
    if given:
        if not os.access(given, os.X_OK):
            pytest.fail(f"VIDGEN_PROMTOOL={given} is not an executable", pytrace=False)
        return given
    found = shutil.which("promtool")
    if found:
        return found
    run = subprocess.run(["bash", str(ENSURE)], capture_output=True, text=True, timeout=600,
                         check=False)
    path = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    if run.returncode != 0 or not os.access(path, os.X_OK):
        pytest.fail(f"promtool is needed and {ENSURE.name} could not provide it "
                    f"(exit {run.returncode}):\n{run.stderr[-2000:]}", pytrace=False)
    return path
