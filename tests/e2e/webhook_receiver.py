"""A loopback HTTP server that keeps the first webhook POSTed to it (raw body, headers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer

__all__ = ["Delivery", "receive_webhooks"]


@dataclass
class Delivery:
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    arrived: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float) -> Delivery:
        assert self.arrived.wait(timeout), f"no webhook within {timeout:.0f} s"
        return self


@contextmanager
def receive_webhooks(port: int) -> Iterator[Delivery]:
    delivery = Delivery()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not delivery.arrived.is_set():
                delivery.body, delivery.headers = body, dict(self.headers)
                delivery.arrived.set()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            del args

    server = HTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield delivery
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
