"""Probe a CLI spec's sources in a forked child while the CLI imports and validates.

Most of a short `vidgen render`'s own time goes to importing pydantic and building the
job's validator, on one core. Probing the sources (importing PyAV, opening each file) does
not need the validated job: the source strings can be read from the raw JSON. So the CLI
forks a child before its heavy imports; the child probes on the other core and sends the
results back through a pipe, and `prepare` takes them from there (`ProbeAhead.probe`).

The child is only a head start, never the authority: a path it did not answer (a source
the raw JSON did not show plainly, a child that failed or is too slow) is probed again in
this process, and a ProbeError the child met is raised again with its message. Without
`os.fork`, or when this process already runs other threads (forking those is unsafe),
everything is probed here as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.media.probe import MediaInfo

__all__ = ["ProbeAhead", "spec_sources"]

WAIT_LIMIT = 60.0  # seconds to wait for the child before probing here instead


@dataclass(frozen=True)
class _Failed:
    """The child's ProbeError, carried back as its message."""

    message: str


Answers = dict[str, "MediaInfo | _Failed"]


def spec_sources(spec_text: str) -> list[str]:
    """The distinct media `source` strings of a raw (not yet validated) spec, in order
    (a captions element's subtitle file is parsed, not probed)."""
    try:
        document = json.loads(spec_text)
    except ValueError:
        return []
    elements = document.get("elements") if isinstance(document, dict) else None
    if not isinstance(elements, list):
        return []
    sources = (element.get("source") for element in elements
               if isinstance(element, dict) and element.get("type") != "captions")
    return list(dict.fromkeys(source for source in sources if isinstance(source, str)))


class ProbeAhead:
    """A child process probing sources early; `probe` answers from it or probes here."""

    def __init__(self, pid: int | None = None, read_fd: int | None = None,
                 wait_limit: float = WAIT_LIMIT) -> None:
        self.pid = pid
        """The child's process id while it runs (None: everything is probed here)."""
        self._read_fd = read_fd
        self._wait_limit = wait_limit
        self._answers: Answers | None = None if pid else {}

    @classmethod
    def start(cls, spec_text: str, locate: Callable[[str], Path], *,
              wait_limit: float = WAIT_LIMIT) -> ProbeAhead:
        """Fork the prober for the spec's sources (or return one that probes in-process)."""
        sources = spec_sources(spec_text)
        if not sources or not hasattr(os, "fork") or threading.active_count() > 1:
            return cls(wait_limit=wait_limit)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: probe, answer, and leave without any of the parent's exits
            os.close(read_fd)
            _probe_and_answer(sources, locate, write_fd)
            os._exit(0)
        os.close(write_fd)
        return cls(pid, read_fd, wait_limit)

    def probe(self, path: Path) -> MediaInfo:
        """The child's answer for `path`, or a probe here when it has none."""
        from shared.media.probe import ProbeError, probe

        answer = self._collect().get(str(path))
        if isinstance(answer, _Failed):
            raise ProbeError(answer.message)
        return answer if answer is not None else probe(path)

    def close(self) -> None:
        """Stop the child if it still runs (e.g. the spec was invalid) and reap it."""
        if self._read_fd is not None:
            os.close(self._read_fd)
            self._read_fd = None
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None

    def __enter__(self) -> ProbeAhead:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _collect(self) -> Answers:
        if self._answers is None:
            fd = self._read_fd
            self._answers = _read_answers(fd, self._wait_limit) if fd is not None else {}
            self.close()
        return self._answers


def _probe_and_answer(sources: list[str], locate: Callable[[str], Path], write_fd: int) -> None:
    try:
        from shared.media.probe import ProbeError, probe

        answers: Answers = {}
        for source in sources:
            try:
                path = locate(source)
            except (OSError, ValueError):  # the parent reports it, with the element's path
                continue
            try:
                answers[str(path)] = probe(path)
            except ProbeError as exc:
                answers[str(path)] = _Failed(str(exc))
            except Exception:  # the parent probes this one itself
                continue
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(pickle.dumps(answers))
    except BaseException:  # a child that fails answers nothing; the parent probes
        return


def _read_answers(read_fd: int, wait_limit: float) -> Answers:
    deadline = time.monotonic() + wait_limit
    data = bytearray()
    for chunk in _chunks(read_fd, deadline):
        data += chunk
    try:
        answers: Any = pickle.loads(bytes(data)) if data else {}
    except Exception:  # a torn answer: probe everything here
        return {}
    return answers if isinstance(answers, dict) else {}


def _chunks(read_fd: int, deadline: float) -> Iterator[bytes]:
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            return
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            return
        yield chunk
