"""Publish a job request on the platform's requests topic, as an upstream system would.

    pip install './sdk/python[examples]'
    python3 sdk/python/examples/produce_request.py job.json \
        --bootstrap 127.0.0.1:9092 --topic vidgen.requests

The message is a `JobRequest` (vidgen_sdk.events, generated from the AsyncAPI document),
keyed by its request id, which becomes the job's id: `GET /v1/jobs/{id}` (as the same
client) or the events topic tell how it went. An invalid job is answered by a
`job.rejected` event on the events topic, never by an HTTP error. Prints the request id.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from pathlib import Path

from aiokafka import AIOKafkaProducer
from vidgen_sdk.events import JobRequest


async def publish(bootstrap: str, topic: str, request: JobRequest) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            topic, request.model_dump_json(exclude_none=True).encode(),
            key=str(request.request_id).encode(),
            headers=[("vidgen-type", b"job.request")])
    finally:
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", type=Path, help="the job's JSON (sources: URLs or asset: ids)")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="vidgen.requests")
    parser.add_argument("--client", default="example-producer", help="who publishes")
    args = parser.parse_args()
    request = JobRequest(request_id=uuid.uuid4(), client=args.client,
                         job=json.loads(args.job.read_text()))
    asyncio.run(publish(args.bootstrap, args.topic, request))
    print(request.request_id)


if __name__ == "__main__":
    main()
