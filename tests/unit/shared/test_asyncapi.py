"""The AsyncAPI document: every topic, every event type with its payload schema, and the
same document from `vidgen asyncapi` as from ingest's /asyncapi.json."""

from __future__ import annotations

import json
import typing
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.ingest.asyncapi_routes import asyncapi_router
from shared.asyncapi import asyncapi_document
from shared.cli import main
from shared.events import Event, JobRequest, Topics
from shared.settings import PlatformSettings

PREFIX = "docs"
BOOTSTRAP = "kafka-1.example:9092"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> PlatformSettings:
    monkeypatch.setenv("VIDGEN_TOPIC_PREFIX", PREFIX)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP)
    return PlatformSettings()


@pytest.fixture
def document(settings: PlatformSettings) -> dict[str, Any]:
    return asyncapi_document(settings)


def _event_models() -> list[type[Any]]:
    union = typing.get_args(Event)[0]  # Annotated[Union[...], discriminator]
    return list(typing.get_args(union))


def _payload(document: dict[str, Any], channel: dict[str, Any]) -> dict[str, Any]:
    """The payload schema of a channel's one message, references followed."""
    (message_ref,) = (m["$ref"] for m in channel["messages"].values())
    message = document["components"]["messages"][message_ref.rsplit("/", 1)[1]]
    schema_ref = message["payload"]["$ref"]
    payload: dict[str, Any] = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    return payload


def test_every_topic_is_a_channel_on_the_configured_broker(document: dict[str, Any]) -> None:
    assert document["asyncapi"].startswith("3.")
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == set(Topics(prefix=PREFIX).all())
    assert [server["host"] for server in document["servers"].values()] == [BOOTSTRAP]
    assert {server["protocol"] for server in document["servers"].values()} == {"kafka"}


def test_every_event_type_has_its_payload_schema(document: dict[str, Any]) -> None:
    by_type = {}
    for channel in document["channels"].values():
        payload = _payload(document, channel) if channel["address"] != f"{PREFIX}.dlq" else {}
        kind = payload.get("properties", {}).get("type", {}).get("const")
        if kind:
            by_type[kind] = (channel["address"], payload)
    models = _event_models()
    assert len(models) == 9
    for model in models:
        kind = model.model_fields["type"].default
        assert kind in by_type, f"{kind} is not in the AsyncAPI document"
        address, payload = by_type[kind]
        on_render = kind in ("render.requested", "render.slice_requested")
        expected_topic = f"{PREFIX}.render" if on_render else f"{PREFIX}.events"
        assert address == expected_topic
        assert payload["title"] == model.__name__
        assert {"event_id", "job_id", "occurred_at", "version", "trace"} <= set(
            payload["properties"])
        assert "job_id" in payload["required"]
        assert set(payload["properties"]) == set(model.model_json_schema()["properties"])


def test_job_requests_are_received_on_the_requests_topic(document: dict[str, Any]) -> None:
    operation = document["operations"][f"{PREFIX}.requests"]
    assert operation["action"] == "receive"
    payload = _payload(document, document["channels"][f"{PREFIX}.requests"])
    assert payload["title"] == "JobRequest"
    assert set(payload["properties"]) == set(JobRequest.model_fields)
    sends = {op["channel"]["$ref"] for op in document["operations"].values()
             if op["action"] == "send"}
    assert len(sends) == len(_event_models()) + 1  # every event type, and the dead letters


async def test_the_served_document_is_what_the_cli_prints(
        settings: PlatformSettings, capsys: pytest.CaptureFixture[str]) -> None:
    app = FastAPI()
    app.include_router(asyncapi_router(settings))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
        served = await client.get("/asyncapi.json")
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    assert main(["asyncapi"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert served.json() == printed
    assert printed["channels"][f"{PREFIX}.events:job.completed"]["address"] == f"{PREFIX}.events"
