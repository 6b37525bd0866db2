"""Run a service with every Kafka message it publishes sent twice:

    python -m tests.e2e.faults.twice ingest     # like python -m services.ingest

Every publish (events, render requests, dead letters, the outbox relay's) goes through
`KafkaBroker.publish`, so every consumer downstream gets each message twice.
"""

from __future__ import annotations

import runpy
import sys
from typing import Any

from faststream.kafka import KafkaBroker

_publish = KafkaBroker.publish


async def _publish_twice(self: KafkaBroker, *args: Any, **kwargs: Any) -> Any:
    await _publish(self, *args, **kwargs)
    return await _publish(self, *args, **kwargs)


if __name__ == "__main__":
    service = sys.argv.pop(1)
    KafkaBroker.publish = _publish_twice  # type: ignore[method-assign]
    runpy.run_module(f"services.{service}", run_name="__main__", alter_sys=True)
