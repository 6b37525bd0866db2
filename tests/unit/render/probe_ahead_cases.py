"""ProbeAhead scenarios, each run in a fresh interpreter by test_probe_ahead.py.

ProbeAhead forks only in a single-threaded process (as `vidgen render` is when it starts);
a pytest process may hold threads other tests left running, so the forking cases run here:
`python -m tests.unit.render.probe_ahead_cases CASE FOLDER` prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.render.cli import local_locator
from services.render.probe_ahead import ProbeAhead
from shared.media.probe import ProbeError

Case = Callable[[Path], dict[str, Any]]
CASES: dict[str, Case] = {}


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


def spec_text(*sources: str) -> str:
    return json.dumps({"elements": [{"type": "image", "source": s} for s in sources]})


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def stuck(source: str) -> Path:
    """A locator that never returns (it runs in the child)."""
    threading.Event().wait()
    raise AssertionError("unreachable")


@case
def answers_from_child(folder: Path) -> dict[str, Any]:
    """halves.png and seconds.mp4; the video is deleted before the parent asks for it."""
    locate = local_locator(folder)
    with ProbeAhead.start(spec_text("halves.png", "seconds.mp4"), locate) as ahead:
        pid = ahead.pid
        image = ahead.probe(locate("halves.png"))  # waits for the child's answers
        video_path = locate("seconds.mp4")
        video_path.unlink()  # gone: a probe in this process could not describe it any more
        video = ahead.probe(video_path)
    return {"forked": pid is not None, "reaped": pid is not None and reaped(pid),
            "image": [image.width, image.height, image.is_image],
            "video": [video.width, video.height, video.has_audio, video.duration]}


@case
def probe_error_from_child(folder: Path) -> dict[str, Any]:
    locate = local_locator(folder)
    with ProbeAhead.start(spec_text("notes.txt"), locate) as ahead:
        forked = ahead.pid is not None
        try:
            ahead.probe(locate("notes.txt"))
        except ProbeError as exc:
            return {"forked": forked, "error": str(exc)}
    return {"forked": forked, "error": None}


@case
def unanswered_path_probed_here(folder: Path) -> dict[str, Any]:
    locate = local_locator(folder)
    with ProbeAhead.start(spec_text("missing.png"), locate) as ahead:
        forked = ahead.pid is not None
        info = ahead.probe(locate("red.png"))
    return {"forked": forked, "size": [info.width, info.height]}


@case
def slow_child_killed(folder: Path) -> dict[str, Any]:
    with ProbeAhead.start(spec_text("red.png"), stuck, wait_limit=0.2) as ahead:
        pid = ahead.pid
        info = ahead.probe(local_locator(folder)("red.png"))
    return {"forked": pid is not None, "reaped": pid is not None and reaped(pid),
            "size": [info.width, info.height]}


@case
def closed_early(folder: Path) -> dict[str, Any]:
    ahead = ProbeAhead.start(spec_text("red.png"), stuck)
    pid = ahead.pid
    ahead.close()
    return {"forked": pid is not None, "reaped": pid is not None and reaped(pid),
            "pid_after": ahead.pid}


if __name__ == "__main__":
    name, where = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(CASES[name](where)))
