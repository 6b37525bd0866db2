"""The render benchmark's compositions: valid vidgen jobs, and hand commands that match them.

Fast: nothing is rendered (`python3 bench/render.py --quick` is the end-to-end smoke run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from itertools import pairwise
from types import ModuleType

import pytest

from shared.composition import parse_job


@pytest.fixture(scope="module")
def bench(load_bench: Callable[[str], AbstractContextManager[ModuleType]],
          ) -> Iterator[ModuleType]:
    with load_bench("render.py") as module:
        yield module


def _inputs(args: list[str]) -> set[str]:
    return {args[index + 1] for index, arg in enumerate(args) if arg == "-i"}


@pytest.mark.parametrize("quick", [False, True])
def test_every_composition_is_a_valid_job(bench: ModuleType, quick: bool) -> None:
    comps = bench.compositions(list(bench.BUILDERS), quick=quick)
    assert [comp.key for comp in comps] == ["A", "B", "C", "D", "E"]
    for comp in comps:
        job = parse_job(comp.spec(bench.Media()))
        output = job.output
        assert (output.format, output.width, output.height) == ("mp4", comp.width, comp.height)
        assert (output.fps, output.duration) == (comp.fps, comp.duration)
        assert (output.quality.crf, output.quality.preset) == (23, "veryfast")


def test_the_compositions_are_the_ones_the_benchmark_promises(bench: ModuleType) -> None:
    a, b, c = bench.compositions(["A", "B", "C"])
    assert (a.width, a.height, a.duration) == (1280, 720, 10)
    assert (b.width, b.height) == (1920, 1080) and b.duration in (5, 10)
    assert (c.width, c.height, c.duration) == (1280, 720, 30)
    media = bench.Media()
    kinds = {comp.key: [e["type"] for e in comp.spec(media)["elements"]] for comp in (a, b, c)}
    assert sorted(kinds["A"]) == ["audio", "image", "text", "video"]
    assert sorted(kinds["B"]) == ["image", "image", "text", "video", "video", "video"]
    slides = [e for e in c.spec(media)["elements"] if e["type"] == "image"]
    assert len(slides) >= 3 and all(e["fade_in"] > 0 and e["fade_out"] > 0 for e in slides)
    assert "audio" in kinds["C"]


def test_the_slideshow_has_ken_burns_seven_different_transitions_a_title_and_music(
    bench: ModuleType,
) -> None:
    (d,) = bench.compositions(["D"])
    assert (d.width, d.height, d.duration) == (1920, 1080, 30)
    job = parse_job(d.spec(bench.Media()))
    photos = [e for e in job.elements if e.type == "image"]
    assert len(photos) == 8 and all(e.motion is not None for e in photos)
    kinds = [e.transition.type for e in photos if e.transition is not None]
    assert len(kinds) == 7 == len(set(kinds))
    ends = [e.start + (e.duration or 0) for e in photos]
    assert max(ends) == d.duration
    for before, after in pairwise(photos):
        assert abs(after.start * 30 - round(after.start * 30)) < 1e-9  # on the frame grid
        assert before.start + (before.duration or 0) >= after.start + 1  # shown to the end
    title = next(e for e in job.elements if e.type == "text")
    assert title.enter is not None and title.exit is not None
    assert any(e.type == "audio" for e in job.elements)


def test_the_looks_composition_uses_every_look_and_ducks_its_music(bench: ModuleType) -> None:
    (e,) = bench.compositions(["E"])
    assert (e.width, e.height, e.duration) == (1280, 720, 10)
    job = parse_job(e.spec(bench.Media()))
    by_id = {element.id: element for element in job.elements}
    presenter, background = by_id["presenter"], by_id["background"]
    assert presenter.crop is not None and presenter.speed == 2
    assert presenter.chroma_key is not None
    assert background.filters is not None and background.lut is not None
    picture = by_id["picture"]
    assert picture.border_radius is not None and picture.shadow is not None
    assert by_id["bar"].type == "shape"
    assert by_id["music"].duck is not None and by_id["music"].duck.under == ["voice"]
    args = bench.hand_command(e, bench.Media(), "ffmpeg", "out.mp4")
    graph = args[args.index("-filter_complex") + 1]
    for part in ("crop=", "setpts=PTS/2", "chromakey=", "eq=", "lut3d=", "gblur=",
                 "drawbox=", "volume="):
        assert part in graph


@pytest.mark.parametrize("key", ["A", "B", "C", "D", "E"])
def test_hand_command_reads_the_same_sources_with_the_same_encoder(
    bench: ModuleType, key: str
) -> None:
    comp = bench.BUILDERS[key]()
    media = bench.Media()
    args = bench.hand_command(comp, media, "ffmpeg", "out.mp4")
    joined = " ".join(args)
    for option in ("-c:v libx264", "-preset veryfast", "-crf 23", "-pix_fmt yuv420p",
                   "-c:a aac", "-b:a 192k", "-ar 48000", "-movflags +faststart"):
        assert option in joined
    assert args[args.index("-r") + 1] == str(comp.fps)
    last_t = len(args) - 1 - args[::-1].index("-t")  # the output's -t (inputs may have one)
    assert float(args[last_t + 1]) == comp.duration
    sources = {e["source"] for e in comp.spec(media)["elements"] if "source" in e}
    assert _inputs(args) == sources
    assert args[-1] == "out.mp4"
