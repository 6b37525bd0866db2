"""Keeping the dev stack's services running, as a process manager does.

A service that exits is started again after a delay that doubles with each recent exit
(0.5 s, 1 s, 2 s, ... at most 8 s), and the stack says so: the exit code, the delay, the
new PID, and when the new process answers /readyz. One that exits `crash_loop_exits` times
within `crash_loop_window` seconds is not restarted again: `CrashLoop` carries its last
lines, and `vidgen dev` stops everything with them.

Restarting is safe for every service: each keeps its state in Postgres, Kafka and S3, and
a render worker's uncommitted job goes to another worker after the session timeout (see
docs/reliability.md), so a restart neither loses nor repeats work.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from shared.devstack.processes import ManagedProcess

__all__ = ["CrashLoop", "RestartPolicy", "Supervisor"]


@dataclass(frozen=True)
class RestartPolicy:
    """When to restart a service that exited, and when to give up on it."""

    first_delay: float = 0.5
    max_delay: float = 8.0
    crash_loop_exits: int = 5
    crash_loop_window: float = 60.0

    def delay(self, recent_exits: int) -> float:
        """Seconds before the restart that follows the `recent_exits`-th recent exit."""
        return float(min(self.max_delay, self.first_delay * 2 ** max(0, recent_exits - 1)))


class CrashLoop(RuntimeError):
    """A service kept exiting: it is not restarted again."""

    def __init__(self, process: ManagedProcess, exits: int, window: float) -> None:
        self.process = process
        super().__init__(
            f"{process.name} exited {exits} times within {window:.0f}s (last exit code "
            f"{process.returncode}), so the stack stops; its last lines:\n{process.tail()}"
        )


@dataclass
class _Watch:
    """What the supervisor knows about one service."""

    exits: collections.deque[float] = field(default_factory=collections.deque)
    restart_at: float | None = None
    awaiting_ready: bool = False


class Supervisor:
    """Call `step()` regularly (`DevStack.supervise` does): it restarts what exited."""

    def __init__(
        self,
        policy: RestartPolicy,
        announce: Callable[[str], None],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self._announce = announce
        self._clock = clock
        self._watches: dict[ManagedProcess, _Watch] = {}
        self.restarts = 0

    def step(self, processes: Iterable[ManagedProcess]) -> None:
        """Look at every process once; raise CrashLoop for one that keeps exiting.
        Processes no longer given are forgotten."""
        now = self._clock()
        watches = {process: self._watches.get(process) or _Watch() for process in processes}
        self._watches = watches
        for process, watch in watches.items():
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    self._restart(process, watch)
            elif process.running():
                if watch.awaiting_ready and process.ready_now():
                    watch.awaiting_ready = False
                    self._announce(f"{process.name} ready again (pid {process.pid})")
            else:
                self._exited(process, watch, now)

    def _exited(self, process: ManagedProcess, watch: _Watch, now: float) -> None:
        watch.exits.append(now)
        while watch.exits and watch.exits[0] < now - self.policy.crash_loop_window:
            watch.exits.popleft()
        recent = len(watch.exits)
        if recent >= self.policy.crash_loop_exits:
            raise CrashLoop(process, recent, self.policy.crash_loop_window)
        delay = self.policy.delay(recent)
        watch.restart_at = now + delay
        watch.awaiting_ready = False
        self._announce(
            f"{process.name} (pid {process.pid}) exited with code {process.returncode}; "
            f"restarting it in {delay:.1f}s ({recent} exit(s) in the last "
            f"{self.policy.crash_loop_window:.0f}s, the stack stops at "
            f"{self.policy.crash_loop_exits})"
        )

    def _restart(self, process: ManagedProcess, watch: _Watch) -> None:
        watch.restart_at = None
        process.start()
        self.restarts += 1
        watch.awaiting_ready = process.ready_url is not None
        self._announce(f"restarted {process.name} (pid {process.pid})")
