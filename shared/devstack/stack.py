"""The whole platform on one machine: components plus the four services as processes.

    with DevStack(ServicePorts.from_base(8000, render_workers=2)) as stack:
        print(stack.urls())
        stack.supervise()     # restarts what exits; CrashLoop when one keeps exiting

Every service is ``python -m services.<name>`` with its settings in the environment
(`shared.settings.PlatformSettings`): the component URLs, its port, and the public URLs
of the API and of the storage service. Jobs in flight when the stack stops are picked up
from Postgres when it starts again with the same database (the services' outbox relay and
reaper do that; the embedded database is new on every start, so that needs DATABASE_URL).

The services' ports are checked before anything starts: a port in use is named at once
(`PortInUse`) instead of a service dying of a bind error half-way through the start.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from shared.devstack.infra import BrokerChoice, Infrastructure
from shared.devstack.processes import ManagedProcess, OutputSink, ProcessDied
from shared.devstack.supervisor import RestartPolicy, Supervisor
from shared.testing.brokers import LOOPBACK, free_ports

__all__ = ["DevStack", "PortInUse", "ServicePorts"]


class PortInUse(OSError):
    """A port the stack's services need is taken (nothing was started)."""


@dataclass(frozen=True)
class ServicePorts:
    """HTTP ports of the services; one per render worker (its /metrics and /readyz)."""

    api: int
    storage: int
    metrics: int
    render: tuple[int, ...]

    @classmethod
    def from_base(cls, base: int, render_workers: int = 1) -> ServicePorts:
        """api N, storage N+1, render N+2, metrics N+3 (the settings' defaults for N=8000),
        further render workers N+4, N+5, ..."""
        if render_workers < 1:
            raise ValueError("at least one render worker")
        extra = tuple(base + 3 + i for i in range(1, render_workers))
        return cls(api=base, storage=base + 1, metrics=base + 3, render=(base + 2, *extra))

    @classmethod
    def free(cls, render_workers: int = 1) -> ServicePorts:
        """Free loopback ports (tests, the demo)."""
        if render_workers < 1:
            raise ValueError("at least one render worker")
        ports = free_ports(3 + render_workers)
        return cls(api=ports[0], storage=ports[1], metrics=ports[2], render=tuple(ports[3:]))

    def all(self) -> tuple[int, ...]:
        return (self.api, self.storage, self.metrics, *self.render)

    def named(self) -> dict[str, int]:
        """Each service's port by the service's name in the stack (render-1, render-2, ...)."""
        named = {"api": self.api, "storage": self.storage, "metrics": self.metrics}
        named.update({f"render-{i}": port for i, port in enumerate(self.render, start=1)})
        return named


def _bindable(host: str, port: int) -> bool:
    """Whether a server could listen on host:port now (as uvicorn binds: SO_REUSEADDR, so
    a port in TIME_WAIT counts as free and only a listener or a bound socket as taken).
    Other errors (a privileged port, an address not on this machine) are raised."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


#: Every service listens on loopback only, unless the environment says otherwise.
_LOOPBACK_ONLY = {f"VIDGEN_{name}_HOST": LOOPBACK for name in ("API", "STORAGE", "RENDER",
                                                               "METRICS")}


def _module_command(service: str) -> list[str]:
    return [sys.executable, "-m", f"services.{service}"]


def _url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}"


class DevStack:
    """Start with `start()` (or ``with``), stop with `stop()`: everything it started goes."""

    def __init__(
        self,
        ports: ServicePorts,
        *,
        broker: BrokerChoice = "tansu",
        environ: Mapping[str, str] | None = None,
        workdir: Path | None = None,
        output: IO[str] | None = None,
        colour: bool | None = None,
        ready_timeout: float = 120.0,
        grace: float = 10.0,
        announce: IO[str] | None = None,
        command: Callable[[str], Sequence[str]] | None = None,
        restart: RestartPolicy | None = None,
    ) -> None:
        """``environ`` (default: this process's) is what the services inherit; its
        DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS / S3_ENDPOINT_URL pick external components.
        ``output`` receives the services' prefixed lines; ``announce`` the stack's own.
        ``command`` maps a service name to its argv (default ``python -m services.NAME``).
        ``restart`` is how `supervise` restarts services that exit.
        """
        self._command = command or _module_command
        self.ports = ports
        self._environ = dict(os.environ if environ is None else environ)
        self._own_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="vidgen-dev-"))
        self._sink = OutputSink(output or sys.stdout, colour=colour)
        self._announce_to = announce or sys.stderr
        self._ready_timeout = ready_timeout
        self._grace = grace
        self.infra = Infrastructure(self.workdir, broker=broker, environ=self._environ,
                                    announce=self._announce)
        self.processes: list[ManagedProcess] = []
        self.supervisor = Supervisor(restart or RestartPolicy(), self._announce)
        self._stopping = threading.Event()
        self._supervising = threading.Lock()  # one supervisor step, or the stop, at a time

    def _announce(self, line: str) -> None:
        self._announce_to.write(f"[devstack] {line}\n")
        self._announce_to.flush()

    @property
    def api_url(self) -> str:
        return _url(self.ports.api)

    @property
    def storage_url(self) -> str:
        return _url(self.ports.storage)

    def urls(self) -> dict[str, str]:
        """What a developer opens: the API (and its docs), storage, metrics, each worker."""
        urls = {
            "api": self.api_url,
            "api docs": f"{self.api_url}/docs",
            "monitor": f"{self.api_url}/monitor",
            "storage": self.storage_url,
            "metrics": _url(self.ports.metrics),
        }
        for index, port in enumerate(self.ports.render, start=1):
            urls[f"render-{index} metrics"] = f"{_url(port)}/metrics"
        return urls

    def service_env(self, infra_env: Mapping[str, str]) -> dict[str, str]:
        """The environment every service gets (before its own port and instance id)."""
        return {
            **self._environ,
            **infra_env,
            "VIDGEN_API_PORT": str(self.ports.api),
            "VIDGEN_STORAGE_PORT": str(self.ports.storage),
            "VIDGEN_METRICS_PORT": str(self.ports.metrics),
            "VIDGEN_RENDER_PORT": str(self.ports.render[0]),
            "VIDGEN_PUBLIC_URL": self.api_url,
            "VIDGEN_RESULTS_URL": self.storage_url,
            "VIDGEN_RENDER_URLS": ",".join(_url(port) for port in self.ports.render),
            "PYTHONUNBUFFERED": "1",
        } | {name: value for name, value in _LOOPBACK_ONLY.items() if name not in self._environ}

    def _service(self, env: Mapping[str, str], name: str, module: str, port: int,
                 **extra: str) -> ManagedProcess:
        own = {**env, "VIDGEN_INSTANCE_ID": f"dev-{name}", **extra}
        return ManagedProcess(name, self._command(module), env=own, sink=self._sink,
                              ready_url=f"{_url(port)}/readyz")

    def _services(self, env: Mapping[str, str]) -> list[ManagedProcess]:
        def service(name: str, module: str, port: int, **extra: str) -> ManagedProcess:
            return self._service(env, name, module, port, **extra)

        processes = [
            service("storage", "storage", self.ports.storage),
            service("ingest", "ingest", self.ports.api),
            service("metrics", "metrics", self.ports.metrics),
        ]
        for index, port in enumerate(self.ports.render, start=1):
            processes.append(
                service(f"render-{index}", "render", port, VIDGEN_RENDER_PORT=str(port))
            )
        return processes

    def taken_ports(self) -> list[str]:
        """The services' ports something else already listens on, as "PORT (service)"."""
        hosts = {"api": "API", "storage": "STORAGE", "metrics": "METRICS"}
        taken = []
        for name, port in self.ports.named().items():
            variable = f"VIDGEN_{hosts.get(name, 'RENDER')}_HOST"
            if not _bindable(self._environ.get(variable, LOOPBACK), port):
                taken.append(f"{port} ({name})")
        return taken

    def start(self) -> None:
        """Components first, then every service at once; returns when all are ready.

        Raises PortInUse before starting anything when a service's port is taken, and
        ProcessDied / ReadyTimeout (after stopping everything) when a service is not ready.
        """
        taken = self.taken_ports()
        if taken:
            which = (f"port {taken[0]} is" if len(taken) == 1
                     else f"ports {', '.join(taken)} are")
            raise PortInUse(
                f"{which} already in use; nothing was started (stop what listens there, "
                f"or choose other ports, e.g. with --port)")
        self._stopping.clear()
        try:
            infra_env = self.infra.start()
            self.processes = self._services(self.service_env(infra_env))
            for process in self.processes:
                process.start()
                self._announce(f"started {process.name} (pid {process.pid})")
            deadline = time.monotonic() + self._ready_timeout
            for process in self.processes:
                took = process.wait_ready(max(1.0, deadline - time.monotonic()))
                self._announce(f"{process.name} ready ({took:.1f}s)")
        except BaseException:
            self.stop()
            raise

    def add_ingest(self, port: int) -> ManagedProcess:
        """Start one more ingest replica, its HTTP API on `port`, on the running stack: it
        joins the same consumer groups and database, as a scaled-out deployment does.
        Returns once it is ready; `stop()` stops it with the rest."""
        name = f"ingest-{sum(p.name.startswith('ingest') for p in self.processes) + 1}"
        process = self._service(self.service_env(self.infra.env), name, "ingest", port,
                                VIDGEN_API_PORT=str(port))
        self.processes.append(process)
        process.start()
        self._announce(f"started {name} (pid {process.pid})")
        took = process.wait_ready(self._ready_timeout)
        self._announce(f"{name} ready ({took:.1f}s)")
        return process

    def check(self) -> None:
        """Raise ProcessDied if any service has exited."""
        for process in self.processes:
            if not process.running():
                raise ProcessDied(process)

    def supervise(self, interval: float = 0.25) -> None:
        """Restart every service that exits (with backoff, see `RestartPolicy`) until
        `stop()` is called, from another thread or a signal handler; raises CrashLoop when
        one keeps exiting. Services added meanwhile (`add_ingest`) are supervised too."""
        while not self._stopping.is_set():
            with self._supervising:
                if self._stopping.is_set():
                    return
                self.supervisor.step(self.processes)
            self._stopping.wait(interval)

    def wait(self, interval: float = 0.25) -> ManagedProcess:
        """Block until a service exits; return it (its `tail()` says why)."""
        while True:
            for process in self.processes:
                if not process.running():
                    return process
            time.sleep(interval)

    def stop(self) -> None:
        """SIGTERM every service (all at once), SIGKILL what is left after the grace period,
        then stop the components. Safe to call more than once; a `supervise` running in
        another thread returns first (it restarts nothing once this began)."""
        self._stopping.set()
        try:
            # waits out a supervisor step in progress (bounded: a signal may have ended
            # one in this thread half-way)
            if self._supervising.acquire(timeout=5.0):
                self._supervising.release()
            for process in self.processes:
                process.terminate()
            deadline = time.monotonic() + self._grace
            for process in self.processes:
                code = process.stop(max(0.1, deadline - time.monotonic()))
                if code is not None:
                    self._announce(f"{process.name} stopped (exit code {code})")
        finally:
            self.processes = []
            self.infra.stop()
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> DevStack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
