"""A local S3 endpoint (moto's standalone server) for tests and the dev stack."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from shared.testing.brokers import free_ports

__all__ = ["RunningS3", "start_moto"]


@dataclass
class RunningS3:
    endpoint: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_moto(log_dir: Path, *, timeout: float = 30.0) -> RunningS3:
    """Start moto's S3 server on a free loopback port; return once it answers."""
    (port,) = free_ports(1)
    log_path = log_dir / f"moto-{port}.log"
    with log_path.open("wb") as log_file:  # the server writes through a copy of the fd
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited: {log_path.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError(f"moto server did not listen within {timeout}s")
    env = {
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "vidgen-test",
        "AWS_SECRET_ACCESS_KEY": "vidgen-test",  # moto accepts any credentials
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    return RunningS3(f"http://127.0.0.1:{port}", process, log_path, env)
