"""The AsyncAPI document of the topics, generated from `shared.events` by FastStream.

    vidgen asyncapi                    # prints it (JSON); ingest serves it at /asyncapi.json

A broker that is never started declares what crosses each topic: the requests subscriber
(a `JobRequest`), and one publisher per event type and topic, whose payload schema is the
pydantic model's JSON schema. The services' real subscribers take raw bytes (they decode
and dead-letter themselves), so a schema from them would say nothing; this broker exists
only to be described. Topic names and the server come from the settings, so the document
names the topics a deployment really uses.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel

from shared.events import (
    JobAccepted,
    JobCancelled,
    JobCompleted,
    JobFailed,
    JobRejected,
    JobRequest,
    RenderFinished,
    RenderRequested,
    SliceRequested,
    StepChanged,
    Topics,
)
from shared.settings import PlatformSettings, platform_settings

__all__ = ["EVENT_TOPICS", "add_commands", "asyncapi_document"]

VERSION = "1.0.0"
#: Every event model, the topic (a `Topics` property) it is published on and who writes it.
EVENT_TOPICS: tuple[tuple[type[BaseModel], str, str], ...] = (
    (JobAccepted, "events", "ingest (outbox), when a job is created or re-queued"),
    (JobRejected, "events", "ingest, for an invalid request from the requests topic"),
    (StepChanged, "events", "ingest, storage and render: a step started, progressed or ended"),
    (RenderFinished, "events", "render: the output is in the staging area"),
    (JobCompleted, "events", "storage: the output is published, with its result URL"),
    (JobFailed, "events", "any service: the job ended as failed or timed out"),
    (JobCancelled, "events", "ingest (outbox): the client cancelled the job"),
    (RenderRequested, "render", "storage: the sources are cached; work for the render fleet"),
    (SliceRequested, "render", "render: one unit of a split job, for any render worker "
                               "(keyed by job and unit)"),
)
_HEADERS = ("Every event carries the headers `vidgen-type` (its `type`), `vidgen-version` "
            "and the W3C trace context (`traceparent`, `tracestate`), and is keyed by job id.")


def _event_type(model: type[BaseModel]) -> str:
    default = model.model_fields["type"].default
    assert isinstance(default, str)
    return default


def _broker(topics: Topics, bootstrap: str) -> KafkaBroker:
    broker = KafkaBroker(bootstrap,
                         description="the platform's Kafka (KAFKA_BOOTSTRAP_SERVERS)")

    @broker.subscriber(topics.requests, title=topics.requests,
                       description="Upstream systems publish job requests here, keyed by "
                       "request id; ingest validates each like an HTTP request and answers "
                       "an invalid one with job.rejected on the events topic. A request's "
                       "job is a composition or names a stored template (`template`, "
                       "`merge`, `modifications`, `output`); the job records the template's "
                       "id and version.")
    async def intake(request: JobRequest) -> None:  # described, never run
        del request

    for model, topic, writer in EVENT_TOPICS:
        address, kind = getattr(topics, topic), _event_type(model)
        version = model.model_fields["version"].default
        broker.publisher(address, title=f"{address}:{kind}", schema=model,
                         description=f"`{kind}` version {version}, by {writer}. {_HEADERS}")
    broker.publisher(topics.dead_letter, title=topics.dead_letter,
                     description="Messages a consumer gave up on, as received, with the "
                     "headers `vidgen-error`, `vidgen-attempts`, `vidgen-source-topic` and "
                     "`vidgen-consumer`.")
    return broker


@lru_cache(maxsize=8)
def _document(prefix: str, bootstrap: str) -> str:
    spec = AsyncAPI(_broker(Topics(prefix=prefix), bootstrap), title="vidgen events",
                    version=VERSION, description="The topics of the vidgen platform and the "
                    "versioned events on them (shared/events.py).",
                    schema_version="3.0.0").to_specification()
    return json.dumps(spec.to_jsonable(), indent=2, sort_keys=True)


def asyncapi_document(settings: PlatformSettings) -> dict[str, Any]:
    """The AsyncAPI 3.0 document for these settings' topics and broker."""
    document: dict[str, Any] = json.loads(
        _document(settings.topic_prefix, settings.kafka_bootstrap_servers))
    return document


def add_commands(commands: Any) -> None:
    command = commands.add_parser(
        "asyncapi", help="print the AsyncAPI document of the topics and events (JSON)")
    command.set_defaults(handler=_print)


def _print(_: argparse.Namespace) -> int:
    print(json.dumps(asyncapi_document(platform_settings()), indent=2, sort_keys=True))
    return 0
