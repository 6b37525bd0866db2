"""The job monitor page in headless Chromium: submit the example through its form, watch
the job's progress and timeline move to completed, and play the finished video."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.e2e.browser import browser, chromium_path
from tests.e2e.platform import JOB_TIMEOUT, TERMINAL, Platform

__all__ = ["browser", "chromium_path"]  # fixtures

STEPS = ["validation", "download", "processing", "composition", "encoding", "upload",
         "cleanup"]
_SELECTED = """() => {
    const status = document.getElementById('detail-status').textContent;
    const width = document.getElementById('detail-progress').style.width;
    return [status, parseInt(width || '0', 10)];
}"""
_SEEK = """(to) => new Promise((resolve) => {
    const video = document.getElementById('result-video');
    video.addEventListener('seeked', () => resolve(video.currentTime), {once: true});
    video.currentTime = to;
})"""
_VIDEO_READY = """() => {
    const video = document.getElementById('result-video');
    return video.readyState >= 2 && video.duration > 0;
}"""


async def follow(page: Page, timeout: float) -> list[tuple[str, int]]:
    """The (status, progress %) states the page shows for the selected job, until final."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while not seen or seen[-1][0] not in TERMINAL:
        assert time.monotonic() < deadline, f"the page did not show an end: {seen}"
        status, progress = await page.evaluate(_SELECTED)
        if not seen or seen[-1] != (status, progress):
            seen.append((status, progress))
        await asyncio.sleep(0.05)  # polling the page's state, bounded by the deadline
    return seen


async def test_the_monitor_runs_a_job_from_its_form_to_a_playable_video(
        platform: Platform, browser: Browser, tmp_path: Path) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 960})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{platform.api}/monitor")
    example = json.loads(await page.input_value("#spec"))
    assert example["elements"] and example["output"]["duration"] == 3

    await page.click("#submit")
    await expect(page.locator("#submit-result")).to_contain_text("submitted", timeout=30_000)
    job_id = (await page.text_content("#submit-result") or "").split()[-1]
    row = page.locator(f'#jobs li[data-job-id="{job_id}"]')
    await expect(row).to_have_attribute("aria-selected", "true")

    states = await follow(page, JOB_TIMEOUT)
    assert states[-1] == ("completed", 100), states
    assert states[0][0] in ("pending", "processing") and states[0][1] < 100, states
    await expect(row.locator(".status")).to_have_text("completed")
    await expect(row.locator(".pct")).to_have_text("100%")

    timeline = page.locator("#timeline li")
    await expect(timeline).to_have_count(len(STEPS), timeout=30_000)
    assert [await item.get_attribute("data-step") for item in await timeline.all()] == STEPS
    await expect(page.locator('#timeline li[data-state="completed"]')).to_have_count(
        len(STEPS), timeout=30_000)

    await page.wait_for_function(_VIDEO_READY, timeout=30_000)
    duration = await page.evaluate("() => document.getElementById('result-video').duration")
    assert abs(duration - 3) < 0.5, duration
    source = await page.get_attribute("#result-video", "src")
    assert source == f"{platform.storage}/v1/results/{job_id}"
    # seeking needs range requests from the storage service
    position = await asyncio.wait_for(page.evaluate(_SEEK, 2.0), 30)
    assert abs(position - 2.0) < 0.1, position
    await page.wait_for_function(  # HAVE_ENOUGH_DATA: the whole tiny file is in
        "() => document.getElementById('result-video').readyState === 4", timeout=30_000)
    assert not errors, errors

    shot = tmp_path / "monitor.png"
    await page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
