"""`output.loudness` on the mix: a linear gain from a measuring first pass, with a true-peak
limiter only where the gain would push a peak over the ceiling.

The first pass (services/render/measure.py) runs the composition's audio graph alone through
FFmpeg's EBU R128 meter; its integrated loudness and true peak give the gain. Without a
measurement (`vidgen render --dry-run` prints the one command before any pass ran) the mix
goes through loudnorm's one-pass dynamic mode instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.composition.sound import Loudness

__all__ = ["SILENT_LUFS", "Measured", "normalised", "read_measurement"]

SILENT_LUFS = -70.0  # the meter's floor: a mix this quiet is left as it is
# The limiter runs at 4x the rate (192 kHz), where sample peaks are the true peaks the meter
# reads; the AAC (or Opus) encoder adds its own overshoot after it, so it aims lower.
_CODEC_MARGIN_DB = 0.5
_KEY = re.compile(r"^lavfi\.r128\.(I|true_peak)=(-?[\d.]+|-?inf|nan)$")


@dataclass(frozen=True)
class Measured:
    """The whole mix as the first pass measured it."""

    integrated: float  # LUFS
    true_peak: float  # dBTP, the louder channel

    def gain_db(self, target: Loudness) -> float:
        return target.target_lufs - self.integrated


def read_measurement(path: Path) -> Measured:
    """The last integrated loudness and true peak in an `ametadata=mode=print` file of
    `ebur128=metadata=1:peak=true` (both are running values: the last is the whole mix)."""
    values: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _KEY.match(line.strip())
        if match:
            values[match.group(1)] = float(match.group(2))
    integrated = values.get("I", -math.inf)
    linear_peak = values.get("true_peak", 0.0)
    peak = 20 * math.log10(linear_peak) if linear_peak > 0 else -math.inf
    return Measured(integrated if math.isfinite(integrated) else -math.inf, peak)


def normalised(mix: Any, loudness: Loudness | None, measured: Measured | None = None) -> Any:
    """The mix at `loudness`: with a measurement, one gain for the whole render (a slice
    gets the full render's gain) and a limiter if a peak would pass the ceiling; without
    one, loudnorm's dynamic mode, which only sees the frames rendered."""
    if loudness is None:
        return mix
    if measured is None:
        return mix.filter(
            "loudnorm", i=loudness.target_lufs, tp=loudness.true_peak, lra=11
        ).filter("aresample", 48000)
    if measured.integrated <= SILENT_LUFS:
        return mix
    gain = measured.gain_db(loudness)
    mix = mix.filter("volume", f"{gain:.3f}dB")
    ceiling = loudness.true_peak - _CODEC_MARGIN_DB
    if measured.true_peak + gain <= ceiling:
        return mix
    return mix.filter("aresample", 192000).filter(
        "alimiter", limit=f"{10 ** (ceiling / 20):.6f}", attack=2, release=50, level=0,
        latency=1,
    ).filter("aresample", 48000)
