"""POST /v1/preview of URL sources no job fetched before: storage fetches them for the preview
through its download path (allowed hosts, address checks, sniffing, probing), the frame
shows the fetched picture, and a URL storage may not fetch is a 422 naming the element."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from uuid import uuid4

import httpx
import numpy as np
import pytest
from PIL import Image

from shared.testing.brokers import free_ports
from tests.e2e.platform import Platform


def _halves() -> bytes:
    """A 320x180 PNG, red on the left half and green on the right."""
    pixels = np.zeros((180, 320, 3), dtype=np.uint8)
    pixels[:, :160] = (230, 20, 20)
    pixels[:, 160:] = (20, 200, 40)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


class _Media(BaseHTTPRequestHandler):
    body = _halves()
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_args: Any) -> None:
        return


@pytest.fixture
def media_url(webhook_ports: list[int]) -> Iterator[str]:
    """A loopback server on a port the platform may fetch from (VIDGEN_FETCH_ALLOWED_HOSTS)."""
    server = ThreadingHTTPServer(("127.0.0.1", webhook_ports[4]), _Media)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Media.hits.clear()
    try:
        yield f"http://127.0.0.1:{webhook_ports[4]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _spec(source: str) -> dict[str, Any]:
    return {"output": {"width": 320, "height": 180, "fps": 24, "duration": 2},
            "elements": [{"type": "image", "source": source, "fit": "cover"}]}


def _post(platform: Platform, spec: Any, **params: Any) -> httpx.Response:
    return httpx.post(f"{platform.api}/v1/preview", params=params, json=spec, timeout=90)


def test_a_url_never_fetched_is_fetched_by_storage_and_previewed(
        platform: Platform, media_url: str) -> None:
    url = f"{media_url}/halves-{uuid4().hex}.png"
    assert not _Media.hits
    answer = _post(platform, _spec(url), time=0.5)
    assert answer.status_code == 200, answer.text
    frame = np.asarray(Image.open(io.BytesIO(answer.content)).convert("RGB")).astype(int)
    assert frame.shape == (180, 320, 3)
    for (row, column), colour in (((90, 60), (230, 20, 20)), ((90, 260), (20, 200, 40))):
        assert np.abs(frame[row, column] - np.array(colour)).max() < 24, frame[row, column]
    again = _post(platform, _spec(url), time=1.0, scale=0.5)
    assert again.status_code == 200, again.text
    assert _Media.hits == [url.removeprefix(media_url)]  # the second came from the cache


def test_a_url_of_a_host_not_allowed_is_422_at_its_path(platform: Platform,
                                                          photo_source: str) -> None:
    (port,) = free_ports(1)  # loopback, and not in VIDGEN_FETCH_ALLOWED_HOSTS
    spec = _spec(photo_source)
    spec["elements"].append({"type": "image", "source": f"http://127.0.0.1:{port}/a.png",
                             "width": 40, "height": 40})
    answer = _post(platform, spec, time=0.5)
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["errors"]
    assert problem["path"] == "elements[1].source"
    assert "may not be fetched" in problem["message"], problem
