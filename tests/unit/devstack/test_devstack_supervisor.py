"""Supervision of the dev stack's services: restart with backoff, announced; a crash loop
stops it with the service's last lines. Real child processes, a test-driven clock."""

from __future__ import annotations

import io
import os
import signal
import sys
import textwrap

import pytest

from shared.devstack.processes import ManagedProcess, OutputSink
from shared.devstack.supervisor import CrashLoop, RestartPolicy, Supervisor
from tests.unit.devstack.helpers import free_port, wait_for

_SERVER = textwrap.dedent("""
    import http.server, os
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/readyz" else 404)
            self.end_headers()
        def log_message(self, *args):
            pass
    print("serving", flush=True)
    http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
""")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def processes():
    started: list[ManagedProcess] = []
    yield started
    for process in started:
        process.stop(2.0)


def _process(started: list[ManagedProcess], name: str, code: str, **env: str) -> ManagedProcess:
    process = ManagedProcess(name, [sys.executable, "-c", code], env={**os.environ, **env},
                             sink=OutputSink(io.StringIO()),
                             ready_url=f"http://127.0.0.1:{env['PORT']}/readyz"
                             if "PORT" in env else None)
    started.append(process)
    process.start()
    return process


def test_backoff_doubles_up_to_its_cap():
    policy = RestartPolicy(first_delay=0.5, max_delay=8.0)
    assert [policy.delay(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 8, 8]


def test_an_exited_service_is_restarted_after_a_doubling_delay_then_a_crash_loop_stops(
        processes):
    clock, said = Clock(), []
    supervisor = Supervisor(RestartPolicy(crash_loop_exits=4, crash_loop_window=60),
                            said.append, clock=clock)
    crashing = _process(processes, "render-2", "print('cannot encode'); raise SystemExit(4)")
    delays = []
    for exit_number in (1, 2, 3):
        wait_for(lambda: not crashing.running())
        old_pid = crashing.pid
        supervisor.step([crashing])
        assert said[-1].startswith(f"render-2 (pid {old_pid}) exited with code 4; restarting")
        assert f"({exit_number} exit(s) in the last 60s, the stack stops at 4)" in said[-1]
        delay = float(said[-1].split("restarting it in ")[1].split("s", 1)[0])
        delays.append(delay)
        clock.now += delay - 0.01
        supervisor.step([crashing])
        assert crashing.pid == old_pid  # not before its delay is over
        clock.now += 0.01
        supervisor.step([crashing])
        assert crashing.pid != old_pid
        assert said[-1] == f"restarted render-2 (pid {crashing.pid})"
    assert delays == [0.5, 1.0, 2.0]
    assert supervisor.restarts == 3
    wait_for(lambda: not crashing.running())
    with pytest.raises(CrashLoop) as caught:
        supervisor.step([crashing])
    message = str(caught.value)
    assert message.startswith("render-2 exited 4 times within 60s (last exit code 4)")
    assert "its last lines:\ncannot encode" in message
    assert caught.value.process is crashing


def test_exits_older_than_the_window_are_forgotten(processes):
    clock, said = Clock(), []
    supervisor = Supervisor(RestartPolicy(crash_loop_exits=2, crash_loop_window=60),
                            said.append, clock=clock)
    crashing = _process(processes, "storage", "raise SystemExit(1)")
    for _ in range(3):  # two exits within 60 s would be a crash loop; 61 s apart they are not
        wait_for(lambda: not crashing.running())
        supervisor.step([crashing])
        assert "restarting it in 0.5s (1 exit(s)" in said[-1]
        clock.now += 61
        supervisor.step([crashing])
    assert supervisor.restarts == 3


def test_a_killed_service_comes_back_and_is_announced_ready(processes):
    said: list[str] = []
    supervisor = Supervisor(RestartPolicy(first_delay=0.0), said.append)
    server = _process(processes, "render-1", _SERVER, PORT=str(free_port()))
    healthy = _process(processes, "ingest", _SERVER, PORT=str(free_port()))
    server.wait_ready(10)
    healthy.wait_ready(10)
    first_pid, healthy_pid = server.pid, healthy.pid
    assert first_pid is not None
    os.kill(first_pid, signal.SIGKILL)
    wait_for(lambda: not server.running())

    def settled() -> bool:
        supervisor.step([server, healthy])
        return bool(said) and said[-1].startswith("render-1 ready again")

    wait_for(settled)
    assert said[0] == (f"render-1 (pid {first_pid}) exited with code -9; restarting it in "
                       "0.0s (1 exit(s) in the last 60s, the stack stops at 5)")
    assert said[1:] == [f"restarted render-1 (pid {server.pid})",
                        f"render-1 ready again (pid {server.pid})"]
    assert server.pid != first_pid and server.ready_now()
    assert healthy.pid == healthy_pid  # the others are left alone
