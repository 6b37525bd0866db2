"""Headless Chromium for the browser tests: Debian's `chromium`, driven by Playwright.

The binary is $VIDGEN_CHROMIUM, else chromium on PATH, else what
deploy/tools/ensure-chromium.sh installs. When none can be had the test fails with the
reason: a browser test that silently skips would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

__all__ = ["ENSURE", "browser", "chromium_path"]

ENSURE = Path(__file__).resolve().parents[2] / "deploy" / "tools" / "ensure-chromium.sh"


def _found() -> str | None:
    given = os.environ.get("VIDGEN_CHROMIUM")
    if given and os.access(given, os.X_OK):
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = _found()
    if found:
        return found
    result = subprocess.run(["bash", str(ENSURE)], capture_output=True, text=True,
                            timeout=900, check=False)
    found = result.stdout.strip().splitlines()[-1] if result.returncode == 0 else None
    if not found or not os.access(found, os.X_OK):
        pytest.fail(f"Chromium is needed and {ENSURE.name} could not provide it (exit "
                    f"{result.returncode}): {result.stderr.strip()[-800:]}\nInstall Debian's "
                    "chromium package or set VIDGEN_CHROMIUM to a Chromium binary.",
                    pytrace=False)
    return found


@pytest_asyncio.fixture
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium_path, headless=True,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        try:
            yield launched
        finally:
            await launched.close()
