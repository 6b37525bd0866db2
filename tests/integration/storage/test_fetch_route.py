"""POST /internal/v1/fetch: a URL a preview needs, fetched through the job download's checks
into the asset cache; concurrent requests share one download, and a URL that cannot be had
is a 422 with the download step's code. Real Postgres, S3 and loopback origins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from services.storage.app import create_app
from services.storage.settings import StorageSettings
from tests.integration.storage.servers import Servers

pytestmark = pytest.mark.timeout(60)
PATH = "/internal/v1/fetch"


@pytest_asyncio.fixture
async def client(platform: StorageSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(platform, consume=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("81.2.69.180", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://storage") as http:
            yield http


async def test_a_url_is_fetched_once_for_concurrent_requests(
        client: httpx.AsyncClient, servers: Servers, platform: StorageSettings) -> None:
    url = f"{servers.origin_url}/media/clip.mp4"
    answers = await asyncio.gather(*(client.post(PATH, json={"url": url}) for _ in range(3)))
    assert [answer.status_code for answer in answers] == [200] * 3, answers[0].text
    bodies = [answer.json() for answer in answers]
    assert len({body["sha256"] for body in bodies}) == 1
    body = bodies[0]
    assert body["key"] == f"assets/{body['sha256']}" and body["bucket"] == platform.s3_bucket
    assert (body["probe"]["width"], body["probe"]["height"]) == (160, 120)
    assert body["probe"]["duration"] == pytest.approx(1.0, abs=0.1)
    assert servers.origin.hits["/media/clip.mp4"] == 1


@pytest.mark.parametrize(("where", "expect", "code"), [
    ("canary", "media", "source_forbidden"),  # a loopback address not allow-listed
    ("origin", "media", "source_not_media"),  # a font is not media
    ("missing", "media", "source_unreachable"),  # 404
])
async def test_a_url_that_cannot_be_had_is_422_with_its_code(
        client: httpx.AsyncClient, servers: Servers, where: str, expect: str,
        code: str) -> None:
    url = {"canary": f"{servers.canary_url}/media/font.ttf",
           "origin": f"{servers.origin_url}/media/font.ttf",
           "missing": f"{servers.origin_url}/media/none.mp4"}[where]
    answer = await client.post(PATH, json={"url": url, "expect": expect})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == code, answer.json()
    assert answer.json()["detail"]
    assert sum(servers.canary.hits.values()) == 0


async def test_an_unknown_key_is_401(client: httpx.AsyncClient, servers: Servers) -> None:
    answer = await client.post(PATH, json={"url": f"{servers.origin_url}/media/clip.mp4"},
                               headers={"X-API-Key": "vgk_00000000_" + "x" * 43})
    assert answer.status_code == 401
    assert sum(servers.origin.hits.values()) == 0
