"""Consumer lag of every consumer group of the platform, as Prometheus gauges.

Lag is what a group still has to read: per partition, the log end offset minus the group's
committed offset (the log start offset when the group never committed there, since every
group starts from `earliest`). One admin request per group (OffsetFetch) and one ListOffsets
for all partitions, every `VIDGEN_GAUGE_INTERVAL` seconds: cheap next to the traffic it
measures, and it sees a group with no live member too (an empty render fleet still has lag,
which is exactly what an autoscaler needs).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.metrics import prom
from shared.events import Topics

__all__ = ["LagMonitor", "consumer_groups"]

log = logging.getLogger(__name__)


def consumer_groups(topics: Topics) -> dict[str, tuple[str, ...]]:
    """Each consumer group of the platform and the topics it reads (docs/architecture.md)."""
    return {
        "ingest-intake": (topics.requests,),
        "ingest-projection": (topics.events,),
        "storage": (topics.events,),
        "render": (topics.render,),
        "metrics": topics.all(),
    }


class LagMonitor:
    """Measures lag on demand (`measure`); `run` also publishes it to the gauges."""

    def __init__(self, bootstrap: str, groups: Mapping[str, tuple[str, ...]]) -> None:
        self.bootstrap = bootstrap
        self.groups = dict(groups)

    async def run(self) -> dict[tuple[str, str], int]:
        lags = await self.measure()
        for (group, topic), lag in lags.items():
            prom.CONSUMER_LAG.labels(group=group, topic=topic).set(lag)
        return lags

    async def measure(self) -> dict[tuple[str, str], int]:
        """(group, topic) -> messages not yet committed by the group, summed over partitions."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        reader = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None,
                                  enable_auto_commit=False)
        try:
            await admin.start()
            await reader.start()
            wanted = sorted({topic for names in self.groups.values() for topic in names})
            partitions = [TopicPartition(topic["topic"], part["partition"])
                          for topic in await admin.describe_topics(wanted)
                          if topic["error_code"] == 0 for part in topic["partitions"]]
            if not partitions:
                return {}
            ends = await reader.end_offsets(partitions)
            starts = await reader.beginning_offsets(partitions)
            lags: dict[tuple[str, str], int] = {}
            for group, names in self.groups.items():
                mine = [tp for tp in partitions if tp.topic in names]
                committed = await admin.list_consumer_group_offsets(group, partitions=mine)
                for tp in mine:
                    meta = committed.get(tp)
                    position = meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
                    key = (group, tp.topic)
                    lags[key] = lags.get(key, 0) + max(0, ends[tp] - position)
            return lags
        finally:
            await reader.stop()
            await admin.close()
