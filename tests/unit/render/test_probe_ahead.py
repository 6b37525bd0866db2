"""ProbeAhead: the CLI's sources probed in a forked child, and every way back to a local probe.

Whether an answer came from the child is made observable without timing: a file the child
probed is deleted before the parent asks for it, so only the child's answer can describe it.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from services.render.cli import local_locator
from services.render.probe_ahead import ProbeAhead, spec_sources
from shared.media.probe import ProbeError


def spec_text(*sources: str) -> str:
    return json.dumps({"elements": [{"type": "image", "source": s} for s in sources]})


def test_spec_sources_reads_distinct_sources_of_a_raw_spec_in_order() -> None:
    text = json.dumps({"elements": [
        {"type": "image", "source": "b.png"},
        {"type": "text", "text": "hi"},
        "not an element",
        {"type": "video", "source": 7},
        {"type": "video", "source": "a.mp4"},
        {"type": "image", "source": "b.png"},
    ]})
    assert spec_sources(text) == ["b.png", "a.mp4"]


@pytest.mark.parametrize("text", ["{not json", "[]", '{"elements": {}}', '{"output": {}}'])
def test_spec_sources_of_anything_but_a_spec_is_empty(text: str) -> None:
    assert spec_sources(text) == []


def test_the_child_answers_for_every_source(media: Any, tmp_path: Path) -> None:
    for name in ("halves.png", "seconds.mp4"):
        shutil.copy(media.path(name), tmp_path / name)
    locate = local_locator(tmp_path)
    with ProbeAhead.start(spec_text("halves.png", "seconds.mp4"), locate) as ahead:
        assert ahead.pid is not None
        first = ahead.probe(locate("halves.png"))  # waits for the child's answers
        video = locate("seconds.mp4")
        video.unlink()  # gone: a probe in this process could not describe it any more
        second = ahead.probe(video)
    assert (first.width, first.height, first.is_image) == (400, 200, True)
    assert (second.width, second.height, second.has_audio) == (160, 120, True)
    assert second.duration == pytest.approx(3.0, abs=0.05)
    assert ahead.pid is None, "the child was reaped"


def test_a_probe_error_in_the_child_is_raised_here_with_its_message(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a picture", encoding="utf-8")
    locate = local_locator(tmp_path)
    with ProbeAhead.start(spec_text("notes.txt"), locate) as ahead, \
            pytest.raises(ProbeError, match="not a readable media file"):
        ahead.probe(locate("notes.txt"))


def test_a_path_the_child_did_not_answer_is_probed_here(media: Any, tmp_path: Path) -> None:
    shutil.copy(media.path("red.png"), tmp_path / "red.png")
    locate = local_locator(tmp_path)
    with ProbeAhead.start(spec_text("missing.png"), locate) as ahead:
        assert ahead.pid is not None
        info = ahead.probe(locate("red.png"))
    assert (info.width, info.height) == (64, 64)


def test_with_other_threads_running_nothing_is_forked(media: Any) -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        locate = local_locator(media.dir)
        with ProbeAhead.start(spec_text("red.png"), locate) as ahead:
            assert ahead.pid is None
            assert ahead.probe(locate("red.png")).width == 64
    finally:
        release.set()
        other.join()


def test_a_child_too_slow_to_answer_is_killed_and_the_probe_happens_here(media: Any) -> None:
    real = local_locator(media.dir)

    def stuck(source: str) -> Path:  # runs in the child: it never answers
        threading.Event().wait()
        return real(source)

    with ProbeAhead.start(spec_text("red.png"), stuck, wait_limit=0.2) as ahead:
        pid = ahead.pid
        assert pid is not None
        assert ahead.probe(real("red.png")).width == 64
    assert ahead.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def test_closing_early_kills_and_reaps_a_running_child(media: Any) -> None:
    def stuck(source: str) -> Path:
        threading.Event().wait()
        raise AssertionError("unreachable")

    ahead = ProbeAhead.start(spec_text("red.png"), stuck)
    pid = ahead.pid
    assert pid is not None
    ahead.close()
    assert ahead.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
