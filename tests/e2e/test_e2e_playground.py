"""The playground page in headless Chromium: typing a change re-renders the preview frame
(checked by its pixels), moving the time shows another frame, a bad field is marked at its
JSON path, an example loads from the menu, and Render runs the job to a playing video.

The screenshots go to $VIDGEN_SCREENSHOTS when set (the README's come from there: docs/),
else to the test's temp folder.
"""

from __future__ import annotations

import asyncio
import base64
import io
import os
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.async_api import Browser, Page, expect

from tests.e2e.browser import browser, chromium_path
from tests.e2e.platform import JOB_TIMEOUT, Platform

__all__ = ["browser", "chromium_path"]  # fixtures

_FRAME_BYTES = """async () => {
    const frame = document.getElementById('frame');
    const bytes = new Uint8Array(await (await fetch(frame.src)).arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
}"""
_RENDERS = "() => Number(document.getElementById('frame').dataset.renders)"
_SELECT = """([text, occurrence]) => {
    const view = window.playground.view;
    const doc = view.state.doc.toString();
    let at = -1;
    for (let i = 0; i <= occurrence; i++) at = doc.indexOf(text, at + 1);
    view.dispatch({selection: {anchor: at, head: at + text.length}});
    view.focus();
    return at;
}"""
_VIDEO_READY = """() => {
    const video = document.getElementById('result-video');
    return video.readyState >= 2 && video.duration > 0;
}"""


async def frame(page: Page) -> np.ndarray:
    """The preview image the page shows, decoded."""
    data = base64.b64decode(await page.evaluate(_FRAME_BYTES))
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


async def next_frame(page: Page, after: int) -> np.ndarray:
    await page.wait_for_function(f"() => ({_RENDERS})() > {after}", timeout=30_000)
    await expect(page.locator("#frame")).to_have_attribute("data-status", "ok")
    return await frame(page)


async def type_over(page: Page, text: str, replacement: str, occurrence: int = 0) -> None:
    """Select `text` in the editor and type `replacement` over it, key by key."""
    assert await page.evaluate(_SELECT, [text, occurrence]) >= 0, text
    await page.keyboard.type(replacement, delay=15)


def near(pixel: np.ndarray, rgb: tuple[int, int, int], tol: int = 40) -> bool:
    return bool(np.all(np.abs(pixel[:3] - np.asarray(rgb)) <= tol))


def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VIDGEN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_the_playground_previews_edits_marks_errors_and_renders(
        platform: Platform, browser: Browser, tmp_path: Path) -> None:
    shots = screenshots(tmp_path)
    page = await browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{platform.api}/playground")

    first = await next_frame(page, 0)
    assert first.shape == (180, 320, 3)  # the starter, 640x360 at the default 50 %
    assert near(first[5, 5], (0x1D, 0x35, 0x57)), first[5, 5]

    renders = await page.evaluate(_RENDERS)
    await type_over(page, "#1d3557", "#2a9d8f")
    edited = await next_frame(page, renders)
    assert near(edited[5, 5], (0x2A, 0x9D, 0x8F)), edited[5, 5]

    def ball_x(picture: np.ndarray) -> float:
        red = (picture[..., 0] > 170) & (picture[..., 1] < 110) & (picture[..., 2] < 110)
        assert red.any(), "the red ball is not in the frame"
        return float(np.nonzero(red)[1].mean())

    renders = await page.evaluate(_RENDERS)
    await page.locator("#time").fill("2.5")
    later = await next_frame(page, renders)
    assert ball_x(later) > ball_x(edited) + 150, (ball_x(edited), ball_x(later))
    await expect(page.locator("#time-label")).to_have_text("2.50 s")
    await page.screenshot(path=str(shots / "playground.png"))

    await type_over(page, '"fps": 24', '"fps": "fast"')
    problem = page.locator('#problems li[data-path="output.fps"]')
    await expect(problem).to_contain_text("valid number", timeout=30_000)
    marked = page.locator(".cm-lintRange-error", has_text='"fast"')
    await expect(marked.first).to_be_visible()
    await expect(page.locator("#frame")).to_have_attribute("data-status", "error")
    await page.screenshot(path=str(shots / "playground-error.png"))

    renders = await page.evaluate(_RENDERS)
    await type_over(page, '"fast"', "24")
    await next_frame(page, renders)
    await expect(page.locator("#problems li")).to_have_count(0)

    await page.click("#render")
    await expect(page.locator("#job-status")).to_have_text("completed",
                                                          timeout=JOB_TIMEOUT * 1000)
    await expect(page.locator("#job-progress")).to_have_attribute("data-progress", "100")
    await page.wait_for_function(_VIDEO_READY, timeout=30_000)
    duration = await page.evaluate("() => document.getElementById('result-video').duration")
    assert abs(duration - 3) < 0.5, duration
    played = await asyncio.wait_for(page.evaluate("""() => new Promise((resolve) => {
        const video = document.getElementById('result-video');
        video.addEventListener('timeupdate', () => {
            if (video.currentTime > 0.3) resolve(video.currentTime);
        });
        video.play();
    })"""), 30)
    assert played > 0.3
    assert not errors, errors


async def test_an_example_from_the_menu_loads_with_uploaded_media_and_previews(
        platform: Platform, browser: Browser, tmp_path: Path) -> None:
    page = await browser.new_page(viewport={"width": 1400, "height": 900})
    await page.goto(f"{platform.api}/playground")
    await next_frame(page, 0)
    options = await page.locator("#examples option").all_text_contents()
    assert "promo" in options and "slideshow" in options, options

    renders = await page.evaluate(_RENDERS)
    await page.select_option("#examples", "promo")
    picture = await next_frame(page, renders)
    assert picture.shape == (360, 640, 3)  # promo is 1280x720
    text = await page.evaluate("() => window.playground.view.state.doc.toString()")
    assert '"asset:' in text and "media/" not in text
    await page.screenshot(path=str(screenshots(tmp_path) / "playground-example.png"))
