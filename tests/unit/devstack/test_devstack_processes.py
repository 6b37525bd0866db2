"""ManagedProcess: prefixed output, readiness, death and the SIGTERM-then-SIGKILL stop."""

from __future__ import annotations

import io
import os
import signal
import sys
import textwrap
import time

import pytest

from shared.devstack.processes import ManagedProcess, OutputSink, ProcessDied, ReadyTimeout
from tests.unit.devstack.helpers import free_port, wait_for

# A child that serves /readyz on the port in $PORT (200, or 503 when NOT_READY is set),
# prints a few lines, and exits with code 3 on GET /die.
_SERVER = textwrap.dedent("""
    import http.server, os, signal, sys
    if os.environ.get("IGNORE_TERM"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/die":
                print("goodbye", flush=True)
                os._exit(3)
            ready = self.path == "/readyz" and not os.environ.get("NOT_READY")
            self.send_response(200 if ready else 503)
            self.end_headers()
        def log_message(self, *args):
            pass
    print("line one", flush=True)
    print("line two", file=sys.stderr, flush=True)
    http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
""")


@pytest.fixture
def make_process():
    started: list[ManagedProcess] = []

    def make(name: str = "svc", *, colour: bool = False, **env: str):
        port = free_port()
        stream = io.StringIO()
        process = ManagedProcess(
            name, [sys.executable, "-c", _SERVER],
            env={**os.environ, "PORT": str(port), **env},
            sink=OutputSink(stream, colour=colour),
            ready_url=f"http://127.0.0.1:{port}/readyz",
        )
        process.start()
        started.append(process)
        return process, stream, port

    yield make
    for process in started:
        process.stop(grace=1.0)


def test_output_is_prefixed_per_process_and_ready_is_detected(make_process):
    process, stream, _ = make_process("ingest")
    assert process.wait_ready(15.0) >= 0
    wait_for(lambda: "line two" in stream.getvalue())
    lines = stream.getvalue().splitlines()
    assert "[ingest] line one" in lines
    assert "[ingest] line two" in lines  # stderr goes through the same prefix


def test_colour_prefix_on_a_terminal(make_process):
    process, stream, _ = make_process("render-1", colour=True)
    process.wait_ready(15.0)
    wait_for(lambda: "line one" in stream.getvalue())
    first = stream.getvalue().splitlines()[0]
    assert first.startswith("\x1b[") and "[render-1]\x1b[0m line one" in first


def test_a_process_that_dies_is_reported_with_its_last_lines(make_process):
    import httpx

    process, _, port = make_process()
    process.wait_ready(15.0)
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/die", timeout=5)
    wait_for(lambda: not process.running())
    assert process.returncode == 3
    error = ProcessDied(process)
    assert "exited with code 3" in str(error)
    assert "goodbye" in str(error) and "line one" in str(error)


def test_wait_ready_gives_up_after_its_timeout(make_process):
    process, _, _ = make_process(NOT_READY="1")
    started = time.monotonic()
    with pytest.raises(ReadyTimeout, match="HTTP 503"):
        process.wait_ready(1.0)
    assert time.monotonic() - started < 5


def test_wait_ready_fails_at_once_when_the_process_exits():
    stream = io.StringIO()
    process = ManagedProcess(
        "broken", [sys.executable, "-c", "print('cannot start'); raise SystemExit(4)"],
        env=dict(os.environ), sink=OutputSink(stream, colour=False),
        ready_url=f"http://127.0.0.1:{free_port()}/readyz",
    )
    process.start()
    with pytest.raises(ProcessDied, match="cannot start"):
        process.wait_ready(30.0)
    assert process.returncode == 4


def test_stop_terminates_gracefully(make_process):
    process, _, _ = make_process()
    process.wait_ready(15.0)
    assert process.stop(grace=5.0) == -signal.SIGTERM
    assert not process.running()


def test_stop_kills_a_process_that_ignores_sigterm(make_process):
    process, _, _ = make_process(IGNORE_TERM="1")
    process.wait_ready(15.0)
    started = time.monotonic()
    assert process.stop(grace=0.5) == -signal.SIGKILL
    assert time.monotonic() - started < 5


def test_children_run_in_their_own_session(make_process):
    """So a Ctrl-C in the terminal reaches the supervisor only, which stops them in order."""
    process, _, _ = make_process()
    process.wait_ready(15.0)
    assert process.pid is not None
    assert os.getsid(process.pid) == process.pid != os.getsid(0)
