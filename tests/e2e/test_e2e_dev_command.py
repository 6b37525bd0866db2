"""`vidgen dev` as a developer runs it: its own Postgres, broker and S3, the services on
consecutive ports, a killed service restarted, a crash loop ending it, a taken port named
before anything starts, and nothing left running after SIGTERM or a crash loop."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

# each test starts a whole `vidgen dev` (servers and services): a minute or more
pytestmark = pytest.mark.slow

_COMPONENT_VARS = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT_URL",
                   "VIDGEN_TOPIC_PREFIX", "VIDGEN_KAFKA_IDEMPOTENCE")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _free_base(count: int) -> int:
    for _ in range(100):
        base = random.randint(20000, 60000)
        if all(_free(base + i) for i in range(count)):
            return base
    raise AssertionError("no run of free ports")


class DevProcess:
    """`vidgen dev` in a subprocess, its merged output collected line by line."""

    def __init__(self, port: int, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in _COMPONENT_VARS}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "dev", "--port", str(port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**env, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout as output:  # closed at the end of the output
            for raw in output:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := re.search(pattern, line):
                    return match
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r}; output:\n{self.text[-6000:]}")

    def finish(self, timeout: float) -> int:
        code = self.process.wait(timeout)
        self._reader.join(5)
        return code


@pytest.fixture
def dev() -> Iterator[list[DevProcess]]:
    started: list[DevProcess] = []
    yield started
    for item in started:  # only when a test failed half-way
        if item.process.poll() is None:
            item.process.send_signal(signal.SIGTERM)
            try:
                item.process.wait(60)
            except subprocess.TimeoutExpired:
                item.process.kill()
                item.process.wait()


@pytest.mark.timeout(180)
def test_vidgen_dev_serves_until_sigterm_then_stops_everything(dev):
    base = _free_base(4)
    stack = DevProcess(base)
    dev.append(stack)
    stack.wait_for_line(r"vidgen is running", timeout=150)
    assert re.search(rf"api\s+http://127\.0\.0\.1:{base}\b", stack.text)
    assert re.search(rf"metrics\s+http://127\.0\.0\.1:{base + 3}\b", stack.text)
    assert re.search(rf"monitor\s+http://127\.0\.0\.1:{base}/monitor\b", stack.text)
    assert "Auto create topics is disabled" not in stack.text
    for port in range(base, base + 4):
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
    assert any(line.startswith("[ingest] ") for line in stack.lines)
    broker = stack.wait_for_line(r"broker: tansu on 127\.0\.0\.1:(\d+)", timeout=1)
    stack.process.send_signal(signal.SIGTERM)
    assert stack.finish(timeout=90) == 0, stack.text[-4000:]
    assert not any(_listening(port) for port in (*range(base, base + 4), int(broker[1])))
    assert "render-1 stopped" in stack.text


def _restarts(stack: DevProcess, name: str) -> list[int]:
    """The PIDs of the restarts of `name` announced so far."""
    return [int(pid) for pid in re.findall(rf"restarted {name} \(pid (\d+)\)", stack.text)]


@pytest.mark.timeout(300)
def test_vidgen_dev_restarts_a_killed_service_and_stops_on_a_crash_loop(dev):
    base = _free_base(5)
    stack = DevProcess(base, "--render-workers", "2")
    dev.append(stack)
    stack.wait_for_line(r"vidgen is running", timeout=150)
    assert httpx.get(f"http://127.0.0.1:{base + 4}/readyz", timeout=5).status_code == 200
    pid = int(stack.wait_for_line(r"started render-2 \(pid (\d+)\)", timeout=1)[1])
    os.kill(pid, signal.SIGKILL)
    stack.wait_for_line(rf"render-2 \(pid {pid}\) exited with code -9; restarting it in 0\.5s",
                        timeout=30)
    restarted = int(stack.wait_for_line(r"restarted render-2 \(pid (\d+)\)", timeout=30)[1])
    assert restarted != pid
    stack.wait_for_line(rf"render-2 ready again \(pid {restarted}\)", timeout=120)
    assert httpx.get(f"http://127.0.0.1:{base + 4}/readyz", timeout=5).status_code == 200
    assert stack.process.poll() is None  # the rest of the stack kept running
    # kill it again and again: the fifth exit within 60 s ends the stack
    for _ in range(6):
        seen = len(_restarts(stack, "render-2"))
        os.kill(restarted, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (len(_restarts(stack, "render-2")) == seen and "exited 5 times" not in stack.text
               and time.monotonic() < deadline):
            time.sleep(0.05)
        if "exited 5 times" in stack.text:
            break
        restarted = _restarts(stack, "render-2")[-1]
    assert stack.finish(timeout=90) == 1, stack.text[-4000:]
    assert "vidgen dev: render-2 exited 5 times within 60s (last exit code -9)" in stack.text
    assert "its last lines:" in stack.text
    assert not any(_listening(port) for port in range(base, base + 5))


@pytest.mark.timeout(60)
def test_vidgen_dev_names_a_taken_port_and_starts_nothing(dev):
    base = _free_base(4)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base + 1))
        taken.listen()
        stack = DevProcess(base)
        dev.append(stack)
        assert stack.finish(timeout=30) == 1, stack.text
    assert (f"vidgen dev: port {base + 1} (storage) is already in use; nothing was started"
            in stack.text)
    assert "[devstack]" not in stack.text  # no Postgres, broker, S3 or service was started
