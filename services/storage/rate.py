"""The minimum transfer rate of a download, as a rule that can say when it will break.

`TransferMeter` keeps how many bytes had arrived at which time. The rule: once the first
`window` seconds have passed, every `window` seconds must bring at least
`min_rate * window` bytes. `breach_at()` is the moment the rule breaks if nothing more
arrives, so the reader can wait for the next chunk only until then: a source that sends
nothing at all fails as early as one that drips.
"""

from __future__ import annotations

from collections import deque

__all__ = ["TransferMeter"]


class TransferMeter:
    def __init__(self, min_rate: float, window: float, started: float) -> None:
        self.min_rate = min_rate
        self.window = window
        self.started = started
        self.total = 0
        # (time, bytes received by then); only the samples a later breach can depend on
        self._samples: deque[tuple[float, int]] = deque([(started, 0)])

    @property
    def enabled(self) -> bool:
        return self.min_rate > 0

    def add(self, size: int, now: float) -> None:
        """`size` more bytes arrived at `now` (monotonic seconds)."""
        self.total += size
        last_time, _ = self._samples[-1]
        if now - last_time < self.window / 64:  # coalesce: one sample per 1/64 window
            self._samples[-1] = (last_time, self.total)
        else:
            self._samples.append((now, self.total))
        floor = self.total - self.min_rate * self.window
        # a sample at or below the floor can no longer decide a breach: totals only grow
        while len(self._samples) > 1 and self._samples[0][1] <= floor:
            self._samples.popleft()

    def breach_at(self) -> float | None:
        """When the rule is broken if no further byte arrives; None when it is off.

        The window ending at t holds total - bytes(t - window). With no more bytes that
        falls below min_rate * window once t - window reaches the first sample whose
        count is above total - min_rate * window.
        """
        if not self.enabled:
            return None
        floor = self.total - self.min_rate * self.window
        for when, count in self._samples:
            if count > floor:
                return max(when, self.started) + self.window
        return self.started + self.window  # unreachable: the last sample holds `total`
