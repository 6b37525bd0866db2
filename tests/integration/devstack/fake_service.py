"""Stands in for ``python -m services.<name>`` in the dev stack's own tests.

Listens on the port its settings give it (the same variable the real service reads),
answers /readyz, echoes its environment at /env, prints a line to stdout and one to
stderr, and exits with code 3 on /die.
"""

from __future__ import annotations

import http.server
import json
import os
import sys

PORT_VARIABLE = {
    "ingest": "VIDGEN_API_PORT",
    "storage": "VIDGEN_STORAGE_PORT",
    "metrics": "VIDGEN_METRICS_PORT",
    "render": "VIDGEN_RENDER_PORT",
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/die":
            print("fake service dying on request", flush=True)
            os._exit(3)
        if self.path == "/readyz":
            body = b"ready"
        elif self.path == "/env":
            body = json.dumps(dict(os.environ)).encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    name = sys.argv[1]
    port = int(os.environ[PORT_VARIABLE[name]])
    print(f"fake {name} on port {port}", flush=True)
    print(f"fake {name} stderr line", file=sys.stderr, flush=True)
    http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
