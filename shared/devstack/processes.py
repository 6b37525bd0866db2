"""Child processes of the dev stack: output prefixed per process, readiness, orderly stop.

Each service runs as its own process (``python -m services.<name>``) in a session of its
own, so a Ctrl-C in the terminal reaches only the supervisor, which then stops the
services itself in order. Signals always go through the `subprocess.Popen` handle (by PID,
and never to a PID after it was reaped).
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO

import httpx

__all__ = ["ManagedProcess", "OutputSink", "ProcessDied", "ReadyTimeout"]

_COLOURS = (36, 33, 35, 32, 34, 91, 96, 93, 95, 92)
_TAIL_LINES = 60


class ProcessDied(RuntimeError):
    """A managed process exited while it was expected to run."""

    def __init__(self, process: ManagedProcess) -> None:
        self.process = process
        super().__init__(
            f"{process.name} exited with code {process.returncode}; its last lines:\n"
            + process.tail()
        )


class ReadyTimeout(TimeoutError):
    """A process did not become ready in time."""


class OutputSink:
    """Where every process's lines go, each prefixed ``[name] `` (coloured on a TTY)."""

    def __init__(self, stream: IO[str], *, colour: bool | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._colour = stream.isatty() if colour is None else colour
        self._next = 0

    def prefix(self, name: str) -> str:
        """The prefix for ``name``: a new colour for every process."""
        with self._lock:
            colour = _COLOURS[self._next % len(_COLOURS)]
            self._next += 1
        label = f"[{name}]"
        return f"\x1b[{colour}m{label}\x1b[0m" if self._colour else label

    def write(self, prefix: str, line: str) -> None:
        with self._lock:
            self._stream.write(f"{prefix} {line}\n")
            self._stream.flush()


class ManagedProcess:
    """One child process whose output is pumped, line by line, into an `OutputSink`."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        sink: OutputSink,
        cwd: str | os.PathLike[str] | None = None,
        ready_url: str | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.ready_url = ready_url
        self._env = dict(env)
        self._cwd = cwd
        self._sink = sink
        self._tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
        self._process: subprocess.Popen[bytes] | None = None
        self._pump: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        return self._process.poll() if self._process is not None else None

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        prefix = self._sink.prefix(self.name)
        self._process = subprocess.Popen(
            self.argv,
            env=self._env,
            cwd=self._cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._pump = threading.Thread(
            target=self._copy_output, args=(prefix,), name=f"output-{self.name}", daemon=True
        )
        self._pump.start()

    def _copy_output(self, prefix: str) -> None:
        assert self._process is not None and self._process.stdout is not None
        with self._process.stdout as output:  # closed at the end of the output
            for raw in output:
                line = raw.decode(errors="replace").rstrip("\r\n")
                self._tail.append(line)
                self._sink.write(prefix, line)

    def tail(self, lines: int = 25) -> str:
        """The last ``lines`` lines the process printed (for error messages)."""
        if self._pump is not None:
            self._pump.join(timeout=1.0)  # let the pump read what a dead process left
        return "\n".join(list(self._tail)[-lines:]) or "(no output)"

    def ready_now(self, timeout: float = 1.0) -> bool:
        """Whether ``ready_url`` answers 200 right now (one request)."""
        if self.ready_url is None:
            return self.running()
        try:
            return httpx.get(self.ready_url, timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float, *, interval: float = 0.2) -> float:
        """Poll ``ready_url`` until it answers 200; return the seconds it took.

        Raises ProcessDied if the process exits first, ReadyTimeout after ``timeout``.
        """
        started = time.monotonic()
        if self.ready_url is None:
            return 0.0
        deadline = started + timeout
        last = "no answer yet"
        with httpx.Client(timeout=2.0) as client:
            while True:
                if not self.running():
                    raise ProcessDied(self)
                try:
                    response = client.get(self.ready_url)
                    if response.status_code == 200:
                        return time.monotonic() - started
                    last = f"HTTP {response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as exc:
                    last = f"{type(exc).__name__}: {exc}"
                if time.monotonic() >= deadline:
                    raise ReadyTimeout(
                        f"{self.name} was not ready at {self.ready_url} within {timeout:.0f}s "
                        f"({last}); its last lines:\n{self.tail()}"
                    )
                time.sleep(interval)

    def terminate(self) -> None:
        """Send SIGTERM if it still runs."""
        if self.running():
            assert self._process is not None
            self._process.terminate()

    def stop(self, grace: float) -> int | None:
        """SIGTERM, then SIGKILL after ``grace`` seconds; return the exit code.

        The SIGKILL goes to the process's whole group (its session, see `start`), so an
        FFmpeg it was running goes too. The group cannot have been recycled: its leader is
        not reaped yet at that point.
        """
        process = self._process
        if process is None:
            return None
        self.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                process.kill()
            process.wait()
        if self._pump is not None:
            self._pump.join(timeout=2.0)
        return process.returncode
