"""One member of a consumer group, as a process of its own (tests/integration/kafka/
test_group_rejoin.py), so that a test can SIGKILL it the way a container dies:

    python -m tests.integration.kafka.group_member BOOTSTRAP TOPIC GROUP [SESSION_MS HEARTBEAT_MS]

It prints one JSON line per group event on stdout: ``{"event": "assigned", "partitions":
[...]}`` when it gets its partitions, ``{"event": "revoked"}`` when a rebalance starts for
it, ``{"event": "left"}`` after SIGTERM made it leave the group (aiokafka's `stop()`
sends LeaveGroup). The defaults are the render worker's session settings
(services/render/handlers.py): a 6 s session, a heartbeat a second.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition


def _say(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


class _Reporter(ConsumerRebalanceListener):  # type: ignore[misc]
    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        _say("revoked")

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        _say("assigned", partitions=sorted(tp.partition for tp in assigned))


async def _run(bootstrap: str, topic: str, group: str, session_ms: int,
               heartbeat_ms: int) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
        auto_offset_reset="earliest", session_timeout_ms=session_ms,
        heartbeat_interval_ms=heartbeat_ms, max_poll_interval_ms=600_000)
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    await consumer.start()
    consumer.subscribe([topic], listener=_Reporter())
    try:
        while not stopping.is_set():
            await consumer.getmany(timeout_ms=50)
    finally:
        await consumer.stop()
    _say("left")


def main(argv: list[str]) -> None:
    bootstrap, topic, group, *timeouts = argv
    session_ms, heartbeat_ms = (int(t) for t in timeouts) if timeouts else (6_000, 1_000)
    asyncio.run(_run(bootstrap, topic, group, session_ms, heartbeat_ms))


if __name__ == "__main__":
    main(sys.argv[1:])
