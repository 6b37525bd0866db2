"""Renditions, HLS, stills and thumbnails from one FFmpeg run, checked on decoded output.

The composition changes colour over time (red [0, 2), lime [2, 4), blue [4, 6)) and has a
sound track, so each file can be checked by its pixels at known times, its size, duration,
frame count and streams; HLS by decoding its segments with PyAV and reading the playlists.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import av
import pytest

from services.render.deliver import DeliveryResult, render_delivery
from services.render.renditions import compile_delivery, delivery_of
from services.render.runner import Progress
from shared.composition import SpecError, parse_job
from tests.unit.render.conftest import Media
from tests.unit.render.helpers import (
    BLUE,
    ENGINE,
    LIME,
    RED,
    decode_frames,
    frame_at,
    plan_for,
    rgb_near,
    stream_info,
)

FPS = 10
COLOURS = [(0.0, "#ff0000", RED), (2.0, "#00ff00", LIME), (4.0, "#0000ff", BLUE)]


def spec(**delivery: Any) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [
        {"type": "shape", "shape": "rectangle", "fill": fill, "start": start, "duration": 2,
         "width": "100%", "height": "100%"} for start, fill, _ in COLOURS]
    elements.append({"type": "audio", "source": "tone.wav", "loop": True, "duration": 6})
    return {"elements": elements, **delivery}


def deliver(document: dict[str, Any], media: Media, folder: Path) -> DeliveryResult:
    job = parse_job(document)
    plan = plan_for(document, media.dir)
    return asyncio.run(render_delivery(plan, delivery_of(job, plan), folder, timeout=120,
                                       settings=ENGINE))


def colour_at(path: Path, t: float) -> Any:
    image = frame_at(path, t)
    return image[image.shape[0] // 2, image.shape[1] // 2]


RENDITIONS = [
    {"name": "large", "width": 320, "height": 180, "fps": FPS,
     "quality": {"preset": "ultrafast"}},
    {"name": "small", "format": "webm", "width": 160},
    {"name": "stream", "format": "hls", "height": 120},
    {"name": "tiny", "format": "hls", "width": 96, "height": 54},
    {"name": "loop", "format": "gif", "width": 80},
]


@pytest.fixture(scope="module")
def delivered(media: Media, tmp_path_factory: pytest.TempPathFactory) -> DeliveryResult:
    document = spec(outputs=RENDITIONS, stills=[
        {"time": 1, "width": 160}, {"time": 3, "format": "png"},
        {"time": 5.5, "width": 64, "format": "webp"}],
        thumbnails={"every": 0.5, "width": 32})
    return deliver(document, media, tmp_path_factory.mktemp("delivery") / "out")


def by_path(result: DeliveryResult) -> dict[str, Any]:
    return {file.path: file for file in result.files}


@pytest.mark.parametrize(("path", "size", "codec", "audio"), [
    ("large.mp4", (320, 180), "h264", "aac"),
    ("small.webm", (160, 90), "vp9", "opus"),
    ("loop.gif", (80, 44), "gif", None),  # 45 rounded to even
])
def test_each_rendition_has_its_size_length_streams_and_pictures(
        delivered: DeliveryResult, path: str, size: tuple[int, int], codec: str,
        audio: str | None) -> None:
    file = delivered.folder / path
    info = stream_info(file)
    assert (info.width, info.height) == size
    assert info.video_codec == codec and info.audio_codec == audio
    assert info.frames == 6 * FPS
    assert info.duration == pytest.approx(6.0, abs=0.1)
    listed = by_path(delivered)[path]
    assert (listed.width, listed.height) == size and listed.size == file.stat().st_size
    for start, _, colour in COLOURS:
        assert rgb_near(colour_at(file, start + 1), colour, tol=40), (path, start)


def test_the_main_output_is_the_first_rendition(delivered: DeliveryResult) -> None:
    assert delivered.main.path == "large.mp4" and delivered.files[0] is delivered.main


def test_hls_segments_decode_and_the_master_lists_every_variant(
        delivered: DeliveryResult) -> None:
    master = (delivered.folder / "hls/master.m3u8").read_text()
    streams = re.findall(r"#EXT-X-STREAM-INF:(.*)\n(.*)", master)
    assert {uri for _, uri in streams} == {"stream/index.m3u8", "tiny/index.m3u8"}
    for attributes, uri in streams:
        bandwidth = int(re.search(r"(?<!-)BANDWIDTH=(\d+)", attributes).group(1))  # type: ignore[union-attr]
        resolution = re.search(r"RESOLUTION=(\d+x\d+)", attributes).group(1)  # type: ignore[union-attr]
        assert bandwidth > 0 and 'CODECS="avc1.' in attributes
        assert resolution == {"stream/index.m3u8": "214x120",
                              "tiny/index.m3u8": "96x54"}[uri]
        variant = delivered.folder / "hls" / uri
        segments = [line for line in variant.read_text().splitlines()
                    if line and not line.startswith("#")]
        assert len(segments) == 2  # 4 s + 2 s
        with av.open(str(variant)) as container:
            frames = [frame for frame in container.decode(video=0)]
            assert (frames[0].width, frames[0].height) == tuple(map(int, resolution.split("x")))
            assert len(frames) == 6 * FPS
        # the second segment alone (after the init segment) decodes: a key frame starts it
        joined = (variant.parent / "init.mp4").read_bytes() + (
            variant.parent / segments[1]).read_bytes()
        probe = variant.parent / "second.mp4"
        probe.write_bytes(joined)
        second = decode_frames(probe)
        probe.unlink()
        assert len(second) == 2 * FPS
        image = second[len(second) // 2][1]
        assert rgb_near(image[image.shape[0] // 2, image.shape[1] // 2], BLUE, tol=40)


def test_stills_are_taken_at_their_time(delivered: DeliveryResult) -> None:
    expected = {"stills/still-0.jpg": ((160, 90), RED), "stills/still-1.png": ((320, 180), LIME),
                "stills/still-2.webp": ((64, 36), BLUE)}
    for path, (size, colour) in expected.items():
        image = decode_frames(delivered.folder / path)[0][1]
        assert (image.shape[1], image.shape[0]) == size
        assert rgb_near(image[size[1] // 2, size[0] // 2], colour, tol=40), path


def test_the_sprite_sheet_has_a_tile_per_interval_and_a_cue_each(
        delivered: DeliveryResult) -> None:
    sheet = decode_frames(delivered.folder / "thumbnails/sprite.jpg")[0][1]
    assert (sheet.shape[1], sheet.shape[0]) == (10 * 32, 2 * 18)  # 12 tiles: 10 + 2
    cues = re.findall(r"(\S+) --> (\S+)\nsprite\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)",
                      (delivered.folder / "thumbnails/thumbnails.vtt").read_text())
    assert len(cues) == 12
    assert cues[0][:2] == ("00:00:00.000", "00:00:00.500")
    assert cues[-1][:2] == ("00:00:05.500", "00:00:06.000")
    for index, (start, _, x, y, w, h) in enumerate(cues):
        seconds = float(start.rsplit(":", 1)[1]) + 60 * int(start.split(":")[1])
        colour = COLOURS[int(seconds // 2)][2]
        tile = sheet[int(y):int(y) + int(h), int(x):int(x) + int(w)]
        assert rgb_near(tile[int(h) // 2, int(w) // 2], colour, tol=40), index


def test_every_file_is_listed_with_its_size(delivered: DeliveryResult) -> None:
    on_disk = {path.relative_to(delivered.folder).as_posix()
               for path in delivered.folder.rglob("*") if path.is_file()}
    assert on_disk == set(by_path(delivered))
    for file in delivered.files:
        assert file.size == (delivered.folder / file.path).stat().st_size > 0


def test_one_run_composites_once(media: Media, tmp_path: Path) -> None:
    document = spec(outputs=RENDITIONS[:3], stills=[{"time": 1}])
    job = parse_job(document)
    plan = plan_for(document, media.dir)
    command = compile_delivery(plan, delivery_of(job, plan), tmp_path,
                               ffmpeg_exe=ENGINE.ffmpeg_exe())
    graph = command.args[command.args.index("-filter_complex") + 1]
    assert graph.count("overlay=") == 3  # one per shape, not per rendition
    assert command.args.count(ENGINE.ffmpeg_exe()) == 1
    outputs = [arg for arg in command.args if arg.startswith(str(tmp_path))
               and arg.endswith((".mp4", ".webm", ".m3u8", ".jpg"))]
    assert len(outputs) == 4  # three renditions and a still


def test_a_single_output_with_stills_keeps_its_file_name(media: Media, tmp_path: Path) -> None:
    document = spec(output={"width": 160, "height": 90, "fps": FPS},
                    stills=[{"time": 4.5}])
    result = deliver(document, media, tmp_path / "out")
    assert [file.path for file in result.files] == ["output.mp4", "stills/still-0.jpg"]
    assert rgb_near(colour_at(tmp_path / "out/output.mp4", 2.5), LIME, tol=40)


def test_a_still_past_the_probed_end_is_a_spec_error(media: Media) -> None:
    document = {"elements": [{"type": "video", "source": "seconds.mp4"}],
                "stills": [{"time": 3.5}]}
    job = parse_job(document)  # the length is the video's: unknown before probing
    with pytest.raises(SpecError) as caught:
        delivery_of(job, plan_for(document, media.dir))
    assert [p.path for p in caught.value.problems] == ["stills[0].time"]


async def test_a_cancelled_delivery_leaves_no_files(media: Media,
                                                     tmp_path: Path) -> None:
    document = spec(outputs=[{"name": "a", "width": 1280, "height": 720, "duration": 60},
                             {"name": "b", "format": "hls", "width": 640}],
                    thumbnails={"every": 1})
    job = parse_job(document)
    plan = plan_for(document, media.dir)
    started = asyncio.Event()
    task = asyncio.create_task(render_delivery(
        plan, delivery_of(job, plan), tmp_path / "out", settings=ENGINE,
        on_progress=lambda progress: started.set()))
    await asyncio.wait_for(started.wait(), timeout=60)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [path.name for path in tmp_path.iterdir()] == ["out"]  # no temp folder left
    assert list((tmp_path / "out").iterdir()) == []


async def test_a_delivery_with_thumbnails_and_late_pictures_reports_progress_from_the_start(
        media: Media, tmp_path: Path) -> None:
    """FFmpeg reports no progress until every output has a packet: a sprite tiled over the
    whole video, or a still or poster trimmed to a late time, would hold it back to the end
    (and the run would look stalled). The first report must come early in the video."""
    document = spec(output={"width": 1280, "height": 720, "duration": 60,
                            "poster": {"time": 55}},
                    stills=[{"time": 50}], thumbnails={"every": 1})
    job = parse_job(document)
    plan = plan_for(document, media.dir)
    reports: asyncio.Queue[Progress] = asyncio.Queue()
    task = asyncio.create_task(render_delivery(
        plan, delivery_of(job, plan), tmp_path / "out", settings=ENGINE,
        on_progress=reports.put_nowait))
    first = await asyncio.wait_for(reports.get(), timeout=60)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not first.done
    assert first.out_time < 30, first  # before the fix: about 58 s of 60


def test_the_poster_and_a_still_at_zero_are_the_frames_at_their_times(
        media: Media, tmp_path: Path) -> None:
    document = spec(output={"width": 160, "height": 90, "fps": FPS, "poster": {"time": 3}},
                    stills=[{"time": 0, "format": "png"}, {"time": 4.05}])
    result = deliver(document, media, tmp_path / "out")
    assert [file.path for file in result.files] == [
        "output.mp4", "stills/still-0.png", "stills/still-1.jpg", "poster.jpg"]
    for path, colour in {"stills/still-0.png": RED, "stills/still-1.jpg": BLUE,
                         "poster.jpg": LIME}.items():
        image = decode_frames(tmp_path / "out" / path)[0][1]
        assert (image.shape[1], image.shape[0]) == (160, 90)
        assert rgb_near(image[45, 80], colour, tol=40), path
