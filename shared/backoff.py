"""Retry delays: one exponential backoff with jitter for every retry loop of the services.

Consumers, the webhook sender, source fetches, the listening connection and the metrics
writer all wait the same way between tries: `base * 2**(n-1)`, capped, times a random
factor in [0.5, 1.5). The jitter keeps replicas that failed together (a broker restart,
a Postgres failover) from all trying again at the same instant.
"""

from __future__ import annotations

import random

__all__ = ["backoff", "jittered"]


def backoff(attempt: int, base: float, *, cap: float | None = None) -> float:
    """Seconds to wait after failed try number `attempt` (1 for the first failure)."""
    delay = base * 2 ** max(0, attempt - 1)
    if cap is not None:
        delay = min(cap, delay)
    return jittered(delay, 0.5)


def jittered(seconds: float, spread: float = 0.25) -> float:
    """`seconds` moved at random by up to `spread` of itself either way."""
    return seconds * (1.0 - spread + 2 * spread * random.random())
