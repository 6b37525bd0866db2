"""ProbeAhead: the CLI's sources probed in a forked child, and every way back to a local probe.

The forking cases run in a fresh interpreter (probe_ahead_cases.py): ProbeAhead forks only
in a single-threaded process, as `vidgen render` is, and this one may not be. Whether an
answer came from the child is made observable without timing: a file the child probed is
deleted before the parent asks for it, so only the child's answer can describe it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from services.render.cli import local_locator
from services.render.probe_ahead import ProbeAhead, spec_sources
from tests.unit.render.probe_ahead_cases import spec_text

ROOT = Path(__file__).resolve().parents[3]


def run_case(name: str, folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.unit.render.probe_ahead_cases", name, str(folder)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def copy_media(media: Any, folder: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(media.path(name), folder / name)
    return folder


def test_spec_sources_reads_distinct_sources_of_a_raw_spec_in_order() -> None:
    text = json.dumps({"elements": [
        {"type": "image", "source": "b.png"},
        {"type": "text", "text": "hi"},
        {"type": "captions", "source": "talk.srt"},  # parsed, never probed
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
    folder = copy_media(media, tmp_path, "halves.png", "seconds.mp4")
    result = run_case("answers_from_child", folder)
    assert result["forked"] and result["reaped"], result
    assert result["image"] == [400, 200, True]
    width, height, has_audio, duration = result["video"]
    assert (width, height, has_audio) == (160, 120, True)
    assert duration == pytest.approx(3.0, abs=0.05)


def test_a_probe_error_in_the_child_is_raised_here_with_its_message(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a picture", encoding="utf-8")
    result = run_case("probe_error_from_child", tmp_path)
    assert result["forked"], result
    assert result["error"] and result["error"].startswith("not a readable media file"), result


def test_a_path_the_child_did_not_answer_is_probed_here(media: Any, tmp_path: Path) -> None:
    result = run_case("unanswered_path_probed_here", copy_media(media, tmp_path, "red.png"))
    assert result == {"forked": True, "size": [64, 64]}


def test_a_child_too_slow_to_answer_is_killed_and_the_probe_happens_here(
    media: Any, tmp_path: Path
) -> None:
    result = run_case("slow_child_killed", copy_media(media, tmp_path, "red.png"))
    assert result == {"forked": True, "reaped": True, "size": [64, 64]}


def test_closing_early_kills_and_reaps_a_running_child(tmp_path: Path) -> None:
    result = run_case("closed_early", tmp_path)
    assert result == {"forked": True, "reaped": True, "pid_after": None}


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
