"""Delivery end to end: one job with renditions (mp4, webm, HLS), stills and thumbnails
through the real stack lists every file in its result, and every URL downloads what the
list says (size; the playlists' relative URIs resolve under the results route), each access
logged; the earlier version's route answers with the main output."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from shared.client.api import VidgenClient
from tests.e2e.platform import JOB_TIMEOUT, Platform, probe_video


def delivery_spec(source: str) -> dict[str, Any]:
    return {
        "outputs": [
            {"name": "main", "width": 320, "height": 180, "fps": 24, "duration": 2,
             "quality": {"preset": "ultrafast"}},
            {"name": "small", "format": "webm", "width": 160},
            {"name": "stream", "format": "hls", "width": 256, "height": 144},
        ],
        "stills": [{"time": 1, "width": 160, "format": "png"}],
        "thumbnails": {"every": 0.5, "width": 64},
        "elements": [
            {"id": "photo", "type": "image", "source": source, "fit": "cover"},
            {"id": "caption", "type": "text", "text": "e2e", "font_size": 24, "y": "80%"},
        ],
        "response": "async",
    }


@pytest.fixture(scope="module")
def delivered(platform: Platform, photo_source: str) -> dict[str, Any]:
    with VidgenClient(platform.api, platform.storage) as client:
        created = client.create_job(delivery_spec(photo_source))
        status = client.wait(str(created["job_id"]), timeout=JOB_TIMEOUT, interval=0.3)
    assert status["status"] == "completed", (status, platform.log_tail())
    return status


def test_the_result_lists_every_file(delivered: dict[str, Any]) -> None:
    files = delivered["files"]
    paths = [file["path"] for file in files]
    assert paths[0] == "main.mp4" and files[0]["url"] == delivered["result_url"]
    assert {"small.webm", "hls/master.m3u8", "hls/stream/index.m3u8", "hls/stream/init.mp4",
            "stills/still-0.png", "thumbnails/sprite.jpg",
            "thumbnails/thumbnails.vtt"} <= set(paths)
    assert any(path.startswith("hls/stream/segment-") for path in paths)
    sizes = {file["path"]: (file["width"], file["height"]) for file in files}
    assert sizes["main.mp4"] == (320, 180) and sizes["small.webm"] == (160, 90)
    assert sizes["hls/master.m3u8"] == (256, 144) and sizes["stills/still-0.png"] == (160, 90)
    assert sizes["thumbnails/sprite.jpg"] == (4 * 64, 36)
    assert all(file["size"] > 0 and file["url"] for file in files)
    assert files[0]["duration"] == pytest.approx(2.0, abs=0.1)


def test_every_url_downloads_the_listed_file(platform: Platform, delivered: dict[str, Any],
                                             tmp_path: Path) -> None:
    with httpx.Client(timeout=30) as http:
        for file in delivered["files"]:
            answer = http.get(file["url"])
            assert answer.status_code == 200, (file["path"], answer.text[:200])
            assert len(answer.content) == file["size"], file["path"]
            assert answer.headers["content-type"].split(";")[0] == file["content_type"]
            if file["path"] in ("main.mp4", "small.webm"):
                local = tmp_path / file["path"]
                local.write_bytes(answer.content)
                assert (probe_video(local).width, probe_video(local).height) == (
                    file["width"], file["height"])


def test_the_master_playlist_resolves_under_the_results_route(
        delivered: dict[str, Any]) -> None:
    master = next(file for file in delivered["files"] if file["path"] == "hls/master.m3u8")
    with httpx.Client(timeout=30) as http:
        text = http.get(master["url"]).text
        assert "BANDWIDTH=" in text and "RESOLUTION=256x144" in text
        variant_url = urljoin(master["url"], "stream/index.m3u8")
        variant = http.get(variant_url)
        assert variant.status_code == 200
        segment = next(line for line in variant.text.splitlines()
                       if line and not line.startswith("#"))
        assert http.get(urljoin(variant_url, segment)).status_code == 200


async def test_file_accesses_are_logged_and_compat_answers_the_main_output(
        platform: Platform, delivered: dict[str, Any]) -> None:
    job_id = delivered["job_id"]
    wanted = [f["url"] for f in delivered["files"] if f["path"] in ("small.webm",
                                                                     "stills/still-0.png")]
    async with httpx.AsyncClient(timeout=30) as http:
        for url in wanted:
            assert (await http.get(url)).status_code == 200
        compat = (await http.get(f"{platform.api}/api/v1/videoresult/{job_id}")).json()
        missing = await http.get(f"{platform.storage}/v1/results/{job_id}/files/nothing.mp4")
    assert compat["result_url"] == delivered["result_url"]
    assert missing.status_code == 404

    async def logged() -> list[Any]:
        return await platform.query(
            "SELECT response_status, bytes_served FROM url_access_logs "
            "WHERE job_id = $1::uuid", job_id)

    rows = await platform.poll(
        logged, lambda rows: sum(r["response_status"] == 200 for r in rows) >= 2
        and any(r["response_status"] == 404 for r in rows),
        what="access log rows of the downloaded files and the missing one")
    assert any(r["response_status"] == 200 and r["bytes_served"] > 0 for r in rows)
